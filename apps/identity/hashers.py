"""Password hashers for machine-generated secrets (OIDC client secrets), decisions 0205 and 0208.

User passwords stay on Django's PBKDF2-SHA256 with 1,000,000 iterations: they are chosen by people,
so every guess must be expensive. OIDC client secrets are 256-bit random strings made by
`client_system_create` / `client_system_reset_secrets`; no dictionary reaches them, so stretching
adds nothing but costs CPU on every token request (django-oauth-toolkit checks the secret each time).

* `ClientSecretSm3Hasher` ("hmac_sm3_secret", decision 0208): HMAC-SM3 keyed with a random 128-bit
  salt per secret — one keyed hash (~10 µs), still not reversible, compared in constant time. The
  preferred one for client secrets.
* `ClientSecretHasher` ("pbkdf2_sha256_secret", decision 0205): PBKDF2-SHA256 × 1,000 (~0.3 ms). Kept
  so that stored hashes keep verifying; the validator re-hashes them with the configured hasher the
  first time their secret is presented (apps.identity.sso.validator).

Settings (docs/decisions/0208-identity-token-hot-path.md):
    PASSWORD_HASHERS = [..., "apps.identity.hashers.ClientSecretHasher",
                        "apps.identity.hashers.ClientSecretSm3Hasher"]          # never first
    OAUTH2_PROVIDER["CLIENT_SECRET_HASHER"] = "hmac_sm3_secret"
"""
from django.contrib.auth.hashers import (
    BasePasswordHasher,
    PBKDF2PasswordHasher,
    mask_hash,
)
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

from apps.core.crypto import hmac_sm3_hex


class ClientSecretHasher(PBKDF2PasswordHasher):
    algorithm = "pbkdf2_sha256_secret"
    iterations = 1000


class ClientSecretSm3Hasher(BasePasswordHasher):
    """hmac_sm3_secret$<salt>$<HMAC-SM3(salt, secret) hex> — for high-entropy machine secrets only."""

    algorithm = "hmac_sm3_secret"
    salt_entropy = 128

    def encode(self, password, salt):
        self._check_encode_args(password, salt)
        return f"{self.algorithm}${salt}${hmac_sm3_hex(salt.encode(), password.encode())}"

    def decode(self, encoded):
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password, encoded):
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {_("algorithm"): decoded["algorithm"], _("salt"): mask_hash(decoded["salt"], show=2),
                _("hash"): mask_hash(decoded["hash"])}

    def must_update(self, encoded):
        return False

    def harden_runtime(self, password, encoded):
        pass
