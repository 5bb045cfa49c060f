"""OAuth2 validator of the OIDC provider: our claims in ID tokens and userinfo.

Enabled by OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"] = "apps.identity.sso.validator.IdentityOAuth2Validator".

Token issuance (code → token) asks django-oauth-toolkit's validator about the same authorization code
five times (scopes, code, PKCE challenge and method, redirect URI, nonce), each a query. Here the grant
is read once per token request, with its user, and kept on the oauthlib request (decision 0207).
"""
from __future__ import annotations

from oauth2_provider.models import get_grant_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2.rfc6749 import utils

from apps.identity.sso.cache import client_system_for
from apps.identity.sso.claims import CLAIM_SCOPES, user_claims

_GRANT_ATTR = "_identity_grant"


def _grant(request, code: str):
    """The grant behind `code`, read once per oauthlib request (None if there is none)."""
    memo = getattr(request, _GRANT_ATTR, None)
    if memo is None or memo[0] != code:
        grant = get_grant_model().objects.select_related("user").filter(code=code or "").first()
        memo = (code, grant)
        setattr(request, _GRANT_ATTR, memo)
    return memo[1]


def _grant_of(request, code: str, client):
    grant = _grant(request, code)
    if grant is None or client is None or grant.application_id != client.pk:
        return None
    return grant


class IdentityOAuth2Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, **CLAIM_SCOPES, "preferred_username": "profile"}

    def get_additional_claims(self, request):
        client = client_system_for(request.client.client_id) if request.client else None
        claims = user_claims(request.user, client)
        claims.pop("sub", None)
        return claims

    # --- one grant read per token request (same answers as the library's own queries) -------------

    def get_authorization_code_scopes(self, client_id, code, redirect_uri, request):
        grant = _grant(request, code)
        return utils.scope_to_list(grant.scope) if grant and grant.scope else []

    def get_authorization_code_nonce(self, client_id, code, redirect_uri, request):
        grant = _grant(request, code)
        return grant.nonce if grant and grant.nonce else None

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        grant = _grant_of(request, code, client)
        if grant is None or grant.is_expired():
            return False
        request.scopes = grant.scope.split(" ")
        request.user = grant.user
        if grant.nonce:
            request.nonce = grant.nonce
        if grant.claims:
            import json

            request.claims = json.loads(grant.claims)
        return True

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, *args, **kwargs):
        request = kwargs.get("request") or (args[0] if args else None)
        if request is None:
            return super().confirm_redirect_uri(client_id, code, redirect_uri, client, *args, **kwargs)
        grant = _grant_of(request, code, client)
        return bool(grant) and grant.redirect_uri_allowed(redirect_uri)

    def get_code_challenge(self, code, request):
        grant = _grant_of(request, code, request.client)
        return (grant.code_challenge or None) if grant else None

    def get_code_challenge_method(self, code, request):
        grant = _grant_of(request, code, request.client)
        return (grant.code_challenge_method or None) if grant else None
