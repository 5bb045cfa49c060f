"""OAuth2 validator of the OIDC provider: our claims in ID tokens and userinfo.

Enabled by OAUTH2_PROVIDER["OAUTH2_VALIDATOR_CLASS"] = "apps.identity.sso.validator.IdentityOAuth2Validator".
"""
from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

from apps.identity.models import ClientSystem
from apps.identity.sso.claims import CLAIM_SCOPES, user_claims


class IdentityOAuth2Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, **CLAIM_SCOPES, "preferred_username": "profile"}

    def get_additional_claims(self, request):
        client = ClientSystem.objects.filter(client_id=request.client.client_id).first() if request.client else None
        claims = user_claims(request.user, client)
        claims.pop("sub", None)
        return claims
