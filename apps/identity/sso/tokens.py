"""Access and refresh token values (decision 0211).

oauthlib's default generator (`oauthlib.common.generate_token`) draws 30 characters one by one with
`SystemRandom().choice` — one `os.urandom` call per character, ~60 per token response, the largest
single CPU item of a token request after the RS256 signature. `token_value` draws 32 bytes once
(`secrets.token_urlsafe`: 256 bits, 43 URL-safe characters `A–Z a–z 0–9 - _`) — more entropy than
the default's ~178 bits, and a value every token column and Bearer header accepts (RFC 6750 b64token).

The lean code exchange (decision 0210), the ticket exchange, and — once the settings name it as
`OAUTH2_PROVIDER["ACCESS_TOKEN_GENERATOR"]` / `["REFRESH_TOKEN_GENERATOR"]` — the library's own
token endpoint all issue this format.
"""
from __future__ import annotations

import secrets

TOKEN_BYTES = 32
DOTTED_PATH = "apps.identity.sso.tokens.token_value"


def token_value(request=None, refresh_token: bool = False) -> str:
    """A new access or refresh token value (oauthlib's token-generator signature)."""
    return secrets.token_urlsafe(TOKEN_BYTES)
