"""Integrated systems calling our APIs: they authenticate with their application identifier and
secret (headers X-App-Id / X-App-Secret) and need a live grant for the API (IDN-5.4)."""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from apps.identity.models import ClientSystem
from apps.identity.services.apis import api_grant_active
from apps.identity.sso.tickets import client_authenticate


class ClientSystemAuthentication(BaseAuthentication):
    """request.auth = the ClientSystem (request.user stays anonymous)."""

    def authenticate(self, request):
        app_id = request.headers.get("X-App-Id")
        if not app_id:
            return None
        try:
            client = client_authenticate(code=app_id, secret=request.headers.get("X-App-Secret", ""))
        except DjangoPermissionDenied as exc:
            raise AuthenticationFailed(str(exc)) from None
        return AnonymousUser(), client

    def authenticate_header(self, request):
        return 'AppSecret realm="api"'


class ClientSystemAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "apps.identity.api.client_auth.ClientSystemAuthentication"
    name = "identityAppSecret"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "X-App-Id",
                "description": "对接应用标识；同时在 X-App-Secret 头中提供应用密钥"}


class HasApiGrant(BasePermission):
    """The calling application holds a live grant for the view's `api_code`."""

    message = "该应用未获得此接口的授权。"

    def has_permission(self, request, view):
        client = request.auth
        return isinstance(client, ClientSystem) and api_grant_active(client=client, code=view.api_code)
