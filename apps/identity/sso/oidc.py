"""The OIDC token and user-info endpoints on the hot path (decision 0208).

Both are django-oauth-toolkit's views with less work per call, and the same answers:

* `IdentityTokenView`: a confidential client's code exchange that is sure to succeed is served by
  apps.identity.sso.code_exchange (decision 0210: the same rows, claims and answer in one statement);
  everything else goes to the library. The lean exchange's one statement is its own transaction; the library's
  code → token exchange is one transaction; both are committed asynchronously
  (apps.identity.sso.commit) and the library's is rolled back when the answer is not 200 — a replayed code that loses
  the race for the grant leaves no tokens behind. Other grants (refresh) are one durable transaction
  committed whatever the answer (a refused refresh-token replay may revoke the token family). The access token is read back only
  when something listens to `app_authorized` (nothing in this platform does).
* `IdentityUserInfoView`: a Bearer header with a valid token that holds `openid` is answered from the
  shared cache without any database query while the answer is current (decision 0209,
  apps.identity.sso.userinfo_cache), otherwise from one query (token with its application and user,
  sensitive columns deferred) and the validator's own claim filter; every other case (no header,
  unknown, revoked or expired token, missing scope, a resource-restricted token) goes to the library,
  which answers with its own errors.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

from django.db import transaction
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.signals import app_authorized
from oauth2_provider.views import TokenView, UserInfoView

from apps.identity.sso import code_exchange, userinfo_cache
from apps.identity.sso.commit import token_transaction
from apps.identity.sso.tickets import bearer_access_token


class IdentityTokenView(TokenView):
    def post(self, request, *args, **kwargs):
        if request.POST.get("grant_type") != "authorization_code":
            # refresh and other grants: one transaction, durable, committed whatever the answer (a
            # refused replay of a refresh token may revoke its whole family: that must stay written)
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        response = code_exchange.exchange(request)         # decisions 0210, 0212: success only, else None
        if response is not None:
            return response
        with token_transaction():
            response = super().post(request, *args, **kwargs)
            if response.status_code != 200:
                transaction.set_rollback(True)
        return response

    @method_decorator(sensitive_post_parameters("password", "client_secret"))
    def authorization_flow_token_response(self, request, *args, **kwargs):
        if app_authorized.has_listeners(self):
            return super().authorization_flow_token_response(request, *args, **kwargs)
        _url, headers, body, status = self.create_token_response(request)
        response = HttpResponse(content=body, status=status)
        for key, value in headers.items():
            response[key] = value
        return response


def _bearer(request) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return header[7:].strip() or None


class IdentityUserInfoView(UserInfoView):
    def _create_userinfo_response(self, request):
        bearer = _bearer(request)
        if bearer is None:
            return super()._create_userinfo_response(request)
        found = userinfo_cache.lookup("oidc", userinfo_cache.checksum(bearer))
        if found.body is not None:
            return HttpResponse(found.body, content_type="application/json")
        token = bearer_access_token(bearer)
        if token is None or not token.is_valid(["openid"]) or token.resource:
            return super()._create_userinfo_response(request)
        validator = oauth2_settings.OAUTH2_VALIDATOR_CLASS()
        claims = validator.get_userinfo_claims(SimpleNamespace(
            user=token.user, client=token.application, scopes=list(token.scopes), access_token=token))
        body = json.dumps(claims).encode()
        userinfo_cache.store(found, user_id=token.user_id, organisation_id=token.user.organisation_id,
                             valid_until=userinfo_cache.claims_valid_until(token=token, claims=claims), body=body)
        return HttpResponse(body, content_type="application/json")
