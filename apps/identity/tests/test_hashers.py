"""Decision 0205: client secrets hashed cheaply, user passwords expensively."""
import time

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, make_password

from apps.identity.hashers import ClientSecretHasher


def test_client_secret_hasher_is_salted_checkable_and_cheap(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "apps.identity.hashers.ClientSecretHasher"]
    secret = "x" * 43
    started = time.perf_counter()
    encoded = make_password(secret, hasher="pbkdf2_sha256_secret")
    assert encoded.startswith("pbkdf2_sha256_secret$1000$") and secret not in encoded
    assert encoded != make_password(secret, hasher="pbkdf2_sha256_secret")            # salted
    assert check_password(secret, encoded) and not check_password("y" * 43, encoded)
    assert time.perf_counter() - started < 1.0
    assert get_hasher("default").iterations >= ClientSecretHasher.iterations * 600     # passwords stay expensive


@pytest.mark.django_db
def test_oidc_application_secret_uses_the_configured_hasher(settings):
    from oauth2_provider.models import get_application_model
    from oauth2_provider.settings import oauth2_settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "apps.identity.hashers.ClientSecretHasher"]
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "CLIENT_SECRET_HASHER": "pbkdf2_sha256_secret"}
    oauth2_settings.reload()
    try:
        app = get_application_model().objects.create(name="h", client_type="confidential", client_secret="s" * 43,
                                                     authorization_grant_type="authorization-code")
        app.refresh_from_db()
        assert app.client_secret.startswith("pbkdf2_sha256_secret$") and check_password("s" * 43, app.client_secret)
    finally:
        settings.OAUTH2_PROVIDER = {k: v for k, v in settings.OAUTH2_PROVIDER.items() if k != "CLIENT_SECRET_HASHER"}
        oauth2_settings.reload()
