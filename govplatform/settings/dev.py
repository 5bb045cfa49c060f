from .base import *  # noqa: F401,F403
from .base import ALLOWED_HOSTS, BASE_DIR, OAUTH2_PROVIDER

DEBUG = True
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "*"]


def _dev_oidc_key() -> str:
    """A stable development signing key for OIDC ID tokens, kept in var/ (never used in production)."""
    path = BASE_DIR / "var" / "oidc-dev-key.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        path.chmod(0o600)
    return path.read_text()


if not OAUTH2_PROVIDER.get("OIDC_RSA_PRIVATE_KEY"):
    OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": _dev_oidc_key()}
