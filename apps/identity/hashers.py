"""Password hasher for machine-generated secrets (OIDC client secrets), decision 0205.

User passwords stay on Django's PBKDF2-SHA256 with 1,000,000 iterations: they are chosen by people,
so every guess must be expensive. OIDC client secrets are 256-bit random strings made by
`client_system_create` / `client_system_reset_secrets`; no dictionary reaches them, so stretching
adds nothing but costs ~0.3–3 s of CPU on every token request. They are stored with this hasher:
PBKDF2-SHA256, salted, 1,000 iterations (still not reversible, still constant-time checked).

Settings (see docs/identity.md):
    PASSWORD_HASHERS = [..., "apps.identity.hashers.ClientSecretHasher"]   # not first
    OAUTH2_PROVIDER["CLIENT_SECRET_HASHER"] = "pbkdf2_sha256_secret"
"""
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ClientSecretHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_secret"
    iterations = 1000
