"""The user information a client system receives, the same in every protocol (OIDC claims, CAS
attributes, ticket-mode user info), limited to the claims the client system is allowed."""
from __future__ import annotations

from apps.identity.models import ClientSystem, User
from apps.identity.models.sso import DEFAULT_CLAIMS

# Which OIDC scope releases each claim (apps.identity.sso.validator).
CLAIM_SCOPES = {
    "account_type": "openid", "real_name_level": "openid",  # in every token, whatever the scopes
    "name": "profile", "home_region": "profile",
    "organisation": "profile", "credit_code": "profile", "agent_of": "profile", "acting_for": "profile",
    "phone_number": "phone", "id_number": "real_name",
}


def _agent_of(user: User) -> list[dict]:
    from apps.identity.selectors import agent_active_for

    return [{"credit_code": a.legal_person.credit_code, "name": a.legal_person.full_name, "scopes": a.scopes}
            for a in agent_active_for(agent=user)]


def user_claims(user: User, client: ClientSystem | None, *, acting_for: User | None = None) -> dict:
    """Claims of `user` for `client` (all defaults when no client system is linked)."""
    allowed = set(client.allowed_claims if client and client.allowed_claims else DEFAULT_CLAIMS)
    values = {
        "name": lambda: user.full_name or user.username,
        "account_type": lambda: user.kind,
        "real_name_level": lambda: int(user.real_name_level),
        "home_region": lambda: user.home_region_id or "",
        "organisation": lambda: user.organisation.name if user.organisation_id else "",
        "credit_code": lambda: user.credit_code,
        "phone_number": lambda: user.mobile_number or "",
        "id_number": lambda: user.id_number or "",
        "agent_of": lambda: _agent_of(user),
    }
    claims = {"sub": str(user.pk), "preferred_username": user.username,
              "real_name_level": int(user.real_name_level), "account_type": user.kind}
    claims.update({key: build() for key, build in values.items() if key in allowed})
    if acting_for is not None:
        claims["acting_for"] = {"sub": str(acting_for.pk), "name": acting_for.full_name,
                                "credit_code": acting_for.credit_code}
    return claims
