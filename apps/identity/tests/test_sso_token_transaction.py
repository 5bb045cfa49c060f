"""Decisions 0208 and 0212: a token issuance is one transaction, committed asynchronously — the lean
exchanges' one statement sent with its SET LOCAL in one round trip — and leaves nothing behind when it
fails; client secrets stored with an older hasher are re-hashed on use."""
from __future__ import annotations

import base64
import json
import re
import secrets
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.db import connection
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors

from apps.core.models import AuditLog
from apps.identity.models import (
    ClientSystem,
    RealNameLevel,
    SsoTicket,
    SsoTicketKind,
    UserKind,
)
from apps.identity.sso.prepared import original
from apps.identity.sso.validator import IdentityOAuth2Validator
from apps.identity.tests.factories import UserFactory

REDIRECT = "https://rp.example/callback"
SECRET = "s" * 43


def _app(**extra):
    return get_application_model().objects.create(
        name="tx", client_id="hlj-tx-app", client_type="confidential", client_secret=SECRET,
        authorization_grant_type="authorization-code", redirect_uris=REDIRECT, skip_authorization=True,
        algorithm="RS256", **extra)


def _code(app, user) -> str:
    return get_grant_model().objects.create(application=app, user=user, code=secrets.token_urlsafe(24),
                                            expires=timezone.now() + timedelta(minutes=1), redirect_uri=REDIRECT,
                                            scope="openid profile", nonce="n").code


def _exchange(client, code, secret=SECRET):
    basic = base64.b64encode(f"hlj-tx-app:{secret}".encode()).decode()
    return client.post("/sso/o/token/", {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
                       HTTP_AUTHORIZATION=f"Basic {basic}")


RELAXED = "SET LOCAL synchronous_commit TO OFF; "


class _Writes:
    """Every statement that writes: (tables, sent with the SET LOCAL prefix, inside an atomic block);
    separate SET statements and savepoints counted."""

    def __init__(self):
        self.writes, self.settings, self.savepoints = [], [], 0

    def __call__(self, execute, sql, params, many, context):
        seen = original(sql)                       # a prepared statement's text (decision 0213)
        prefixed = seen.startswith(RELAXED)
        statement = seen.removeprefix(RELAXED)
        verb = statement.split()[0].upper()
        if verb in ("INSERT", "UPDATE", "DELETE", "WITH"):   # WITH: every table its sub-statements write (0210)
            tables = re.findall(r'(?:INSERT INTO|UPDATE|DELETE FROM) "(\w+)"', statement)
            self.writes.append((set(tables), prefixed, connection.in_atomic_block))
        elif verb == "SET":
            self.settings.append(statement)
        elif verb == "SAVEPOINT":
            self.savepoints += 1
        return execute(sql, params, many, context)


def test_a_multi_statement_query_is_one_transaction_so_set_local_covers_it(django_db_blocker):
    """What decision 0212 relies on: PostgreSQL runs `SET LOCAL …; <statement>` sent at once (autocommit) as one
    implicit transaction — the setting applies to the statement and ends with it."""
    from django.db import connections

    with django_db_blocker.unblock():
        own = connections.create_connection("default")
        try:
            own.ensure_connection()
            assert own.get_autocommit()
            with own.cursor() as cursor:
                cursor.execute(RELAXED + "SELECT current_setting('synchronous_commit')")
                assert cursor.fetchone()[0] == "off"
                cursor.execute("SELECT current_setting('synchronous_commit')")
                assert cursor.fetchone()[0] == "on"
        finally:
            own.close()


@pytest.mark.django_db(transaction=True)
def test_token_issuance_is_one_asynchronously_committed_transaction(client, oidc_settings, regions):
    user = UserFactory(username="tx_user", kind=UserKind.NATURAL_PERSON, real_name_level=RealNameLevel.VERIFIED)
    app = _app()
    system = ClientSystem.objects.create(code="tx-app", name="事务应用", owner="t", kind="third_party",
                                         client_id=app.client_id, service_url=REDIRECT, ticket_secret="tx-ticket")
    ticket = SsoTicket.objects.create(ticket=f"TK-{secrets.token_urlsafe(16)}", kind=SsoTicketKind.APP, client=system,
                                      user=user, expires_at=timezone.now() + timedelta(minutes=1))
    code = _code(app, user)

    oidc, ticket_mode = _Writes(), _Writes()
    with connection.execute_wrapper(oidc):
        assert _exchange(client, code).status_code == 200
    with connection.execute_wrapper(ticket_mode):
        response = client.post("/sso/api/ticket/token", {"app_id": "tx-app", "app_secret": "tx-ticket",
                                                         "ticket": ticket.ticket})
        assert response.status_code == 200, response.content

    for seen, tables in (
            (oidc, {"oauth2_provider_idtoken", "oauth2_provider_accesstoken", "oauth2_provider_refreshtoken",
                    "oauth2_provider_grant"}),
            (ticket_mode, {"identity_ssoticket", "oauth2_provider_accesstoken", "core_auditlog"})):
        # every row in ONE statement, sent with its SET LOCAL: one implicit transaction, not flushed, one round trip
        assert seen.writes == [(tables, True, False)], seen.writes
        assert seen.settings == [] and seen.savepoints == 0
    # committed for real: the token works from another transaction
    token = response.json()["access_token"]
    assert client.get("/sso/api/userinfo", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_durable_commits_can_be_switched_back_on(client, oidc_settings, settings, regions):
    settings.IDENTITY_TOKEN_SYNCHRONOUS_COMMIT = True
    user = UserFactory(username="tx_user2", kind=UserKind.NATURAL_PERSON)
    code = _code(_app(), user)
    seen = _Writes()
    with connection.execute_wrapper(seen):
        assert _exchange(client, code).status_code == 200
    assert seen.settings == [] and seen.writes and not any(prefixed for _, prefixed, _ in seen.writes)


@pytest.mark.django_db
def test_a_token_request_that_fails_late_leaves_no_tokens(client, oidc_settings, monkeypatch, regions, settings):
    """A second request for the same code loses the race for the grant after the library has written
    the tokens: its 400 rolls every row back (the library alone would keep them). The library's path
    (decision 0210's lean path writes nothing unless its one statement spent the grant: see
    test_sso_code_exchange.test_a_code_spent_concurrently_writes_nothing)."""
    settings.IDENTITY_LEAN_CODE_EXCHANGE = False
    user = UserFactory(username="tx_user3", kind=UserKind.NATURAL_PERSON)
    app = _app()
    code = _code(app, user)

    def grant_already_spent(self, client_id, code, request, *args, **kwargs):
        raise errors.InvalidGrantError(request=request)

    monkeypatch.setattr(IdentityOAuth2Validator, "invalidate_authorization_code", grant_already_spent)
    response = _exchange(client, code)
    assert response.status_code == 400 and json.loads(response.content)["error"] == "invalid_grant"
    assert not get_access_token_model().objects.exists()
    assert not get_refresh_token_model().objects.exists()
    assert not get_id_token_model().objects.exists()
    assert get_grant_model().objects.filter(code=code).exists()


@pytest.mark.django_db
def test_a_refused_ticket_exchange_writes_nothing(client, regions):
    user = UserFactory(username="tx_user4", kind=UserKind.NATURAL_PERSON)
    _app()
    system = ClientSystem.objects.create(code="tx-app", name="事务应用", owner="t", kind="third_party",
                                         client_id="hlj-tx-app", service_url=REDIRECT, ticket_secret="tx-ticket")
    used = SsoTicket.objects.create(ticket="TK-used", kind=SsoTicketKind.APP, client=system, user=user,
                                    expires_at=timezone.now() + timedelta(minutes=1), used_at=timezone.now())
    audits = AuditLog.objects.count()
    response = client.post("/sso/api/ticket/token", {"app_id": "tx-app", "app_secret": "tx-ticket",
                                                     "ticket": used.ticket})
    assert response.status_code == 400 and response.json()["error"] == "票据已使用。"
    assert not get_access_token_model().objects.exists() and AuditLog.objects.count() == audits


@pytest.fixture
def sm3_secrets(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "apps.identity.hashers.ClientSecretHasher",
                                 "apps.identity.hashers.ClientSecretSm3Hasher"]
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "CLIENT_SECRET_HASHER": "hmac_sm3_secret"}
    oauth2_settings.reload()
    yield
    oauth2_settings.reload()


def test_sm3_client_secret_hasher_is_salted_keyed_and_checkable(sm3_secrets):
    encoded = make_password(SECRET, hasher="hmac_sm3_secret")
    algorithm, salt, digest = encoded.split("$")
    assert algorithm == "hmac_sm3_secret" and len(salt) >= 22 and len(digest) == 64 and SECRET not in encoded
    assert encoded != make_password(SECRET, hasher="hmac_sm3_secret")
    assert check_password(SECRET, encoded) and not check_password("t" * 43, encoded)


@pytest.mark.django_db
def test_an_older_client_secret_hash_is_upgraded_on_first_use(client, oidc_settings, sm3_secrets, regions):
    user = UserFactory(username="tx_user5", kind=UserKind.NATURAL_PERSON)
    app = _app()
    old = make_password(SECRET, hasher="pbkdf2_sha256_secret")
    get_application_model().objects.filter(pk=app.pk).update(client_secret=old)

    assert _exchange(client, _code(app, user), secret="wrong-" + SECRET).status_code == 401
    app.refresh_from_db()
    assert app.client_secret == old                                   # a wrong secret changes nothing

    assert _exchange(client, _code(app, user)).status_code == 200
    app.refresh_from_db()
    assert app.client_secret.startswith("hmac_sm3_secret$") and check_password(SECRET, app.client_secret)
    assert _exchange(client, _code(app, user)).status_code == 200     # and the new hash verifies

    fresh = get_application_model().objects.create(name="new", client_id="hlj-new", client_type="confidential",
                                                   client_secret=SECRET, authorization_grant_type="authorization-code")
    fresh.refresh_from_db()
    assert fresh.client_secret.startswith("hmac_sm3_secret$")         # new secrets: the cheap hasher directly
