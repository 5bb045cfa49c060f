"""Decision 0211: token values from `secrets`, the code exchange's rows from a precompiled statement,
and the client application read with the grant (no cache).

Each test shows what a client or an administrator meets: the token format on every path, rows equal
to the library's column for column, a changed or deleted application counting from its commit on,
and the library taking over when the models no longer match the precompiled statement."""
# ruff: noqa: F811  (the tests take the `rp` fixture imported from test_sso_code_exchange)
from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_id_token_model,
    get_refresh_token_model,
)
from oauth2_provider.settings import oauth2_settings

from apps.identity.sso import code_exchange, fastcache, tokens
from apps.identity.sso.prepared import original
from apps.identity.tests.test_sso_code_exchange import (  # noqa: F401  (rp is a fixture)
    SECRET,
    basic,
    counts,
    exchange,
    grant,
    rp,
)

TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _ours(settings):
    """The settings change of decision 0211 (the library's views keep their oauthlib server per class,
    built from the settings at the first request: rebuilt here because earlier tests built it)."""
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "ACCESS_TOKEN_GENERATOR": tokens.DOTTED_PATH,
                                "REFRESH_TOKEN_GENERATOR": tokens.DOTTED_PATH, "ALWAYS_RELOAD_OAUTHLIB_CORE": True}


def _statements(queries) -> list[str]:
    return [original(q["sql"]).split()[0] for q in queries.captured_queries
            if not original(q["sql"]).startswith(("SET", "SAVE", "RELEASE"))]


def test_token_values_are_256_bit_urlsafe_and_distinct():
    values = {tokens.token_value() for _ in range(200)}
    assert len(values) == 200 and all(TOKEN.match(value) for value in values)
    assert tokens.token_value(object(), refresh_token=True) not in values    # oauthlib's call signature


@pytest.mark.spec("IDN-6.1")
def test_lean_and_library_paths_issue_the_same_format_with_the_settings_named(client, rp, settings):
    _ours(settings)
    assert code_exchange.provider_is_stock()          # our generator keeps the lean path on
    lean = exchange(client, grant(rp)).json()
    settings.IDENTITY_LEAN_CODE_EXCHANGE = False
    library = exchange(client, grant(rp)).json()
    for answer in (lean, library):
        assert TOKEN.match(answer["access_token"]) and TOKEN.match(answer["refresh_token"])
        assert answer["access_token"] != answer["refresh_token"]
    for bearer in (lean["access_token"], library["access_token"]):
        info = client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {bearer}")
        assert info.status_code == 200 and info.json()["sub"] == str(rp["user"].pk)
    rotated = client.post("/sso/o/token/", {"grant_type": "refresh_token", "refresh_token": lean["refresh_token"]},
                          HTTP_AUTHORIZATION=basic())
    assert rotated.status_code == 200, rotated.content
    assert TOKEN.match(rotated.json()["access_token"]) and TOKEN.match(rotated.json()["refresh_token"])
    info = client.get("/sso/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {rotated.json()['access_token']}")
    assert info.status_code == 200 and info.json()["sub"] == str(rp["user"].pk)


def _library_defaults(settings):
    """The settings without decision 0211's generators: the library's own token values."""
    provider = {key: value for key, value in settings.OAUTH2_PROVIDER.items()
                if key not in ("ACCESS_TOKEN_GENERATOR", "REFRESH_TOKEN_GENERATOR")}
    settings.OAUTH2_PROVIDER = {**provider, "ALWAYS_RELOAD_OAUTHLIB_CORE": True}


def test_lean_path_issues_secrets_tokens_with_the_librarys_default_settings_too(client, rp, settings):
    _library_defaults(settings)
    assert oauth2_settings.ACCESS_TOKEN_GENERATOR is None and code_exchange.provider_is_stock()
    exchange(client, grant(rp))                                           # warm the client-system memo
    code = grant(rp)
    with CaptureQueriesContext(connection) as queries:
        answer = exchange(client, code).json()
    assert _statements(queries) == ["WITH"]                               # the lean path (decision 0213)
    assert TOKEN.match(answer["access_token"]) and TOKEN.match(answer["refresh_token"])


# Columns that differ between any two issuances (values drawn or stamped per request, row links).
PER_ISSUANCE = {"id", "token", "token_checksum", "jti", "token_family", "expires", "created", "updated",
                "id_token", "access_token"}


def _row(model, **lookup) -> dict:
    instance = model.objects.get(**lookup)
    fields = [f.name for f in model._meta.concrete_fields if f.name not in PER_ISSUANCE]
    return model_to_dict(instance, fields=fields)


def test_lean_rows_equal_the_librarys_column_for_column(client, rp, settings):
    assert code_exchange._statement() is not None
    answers = []
    for lean in (True, False):
        settings.IDENTITY_LEAN_CODE_EXCHANGE = lean
        answers.append(exchange(client, grant(rp)).json())        # (a `scope` parameter: the library's, 0213)
    rows = []
    for answer in answers:
        access = get_access_token_model().objects.get(token=answer["access_token"])
        refresh = get_refresh_token_model().objects.get(token=answer["refresh_token"])
        assert refresh.access_token_id == access.pk and access.id_token_id is not None
        assert refresh.token_family is not None and access.token_checksum and refresh.token_checksum
        rows.append((_row(get_id_token_model(), pk=access.id_token_id), _row(get_access_token_model(), pk=access.pk),
                     _row(get_refresh_token_model(), pk=refresh.pk)))
    assert rows[0] == rows[1]
    _id_row, access_row, refresh_row = rows[0]
    assert access_row["resource"] == [] and access_row["source_refresh_token"] is None
    assert refresh_row["revoked"] is None and refresh_row["resource"] == []


def test_the_application_is_read_with_the_grant_not_from_a_cache(client, rp, monkeypatch):
    """Decision 0213: checked against the committed row inside the one statement (no shared cache)."""
    exchange(client, grant(rp))                                           # would have filled a cache

    def no_cache(keys):
        raise AssertionError(f"the code exchange read the shared cache: {keys}")

    monkeypatch.setattr(fastcache, "get_many", no_cache)
    code = grant(rp)
    with CaptureQueriesContext(connection) as queries:
        response = exchange(client, code)
    assert response.status_code == 200 and _statements(queries) == ["WITH"]


def test_a_reset_secret_counts_at_once(client, rp):
    assert exchange(client, grant(rp)).status_code == 200
    app = get_application_model().objects.get(pk=rp["app"].pk)
    app.client_secret = "a-new-secret-" + "y" * 30
    app.save()
    code = grant(rp)
    before = counts()
    refused = exchange(client, code)                                      # the old secret
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"
    assert counts() == before
    with CaptureQueriesContext(connection) as queries:
        served = exchange(client, code, authorization=basic(secret="a-new-secret-" + "y" * 30))
    assert served.status_code == 200 and _statements(queries) == ["SELECT", "WITH"]


def test_a_grant_type_taken_away_counts_at_once(client, rp):
    assert exchange(client, grant(rp)).status_code == 200
    get_application_model().objects.filter(pk=rp["app"].pk).update(authorization_grant_type="client-credentials")
    before = counts()
    refused = exchange(client, grant(rp))
    assert refused.status_code in (400, 401) and refused.json()["error"] in ("unauthorized_client", "invalid_client")
    assert counts()[1:] == before[1:]                                     # no token row written


def test_models_unlike_the_statement_send_the_exchange_to_the_library(client, rp, monkeypatch):
    monkeypatch.setattr(code_exchange, "_ACCESS_ROW", {**code_exchange._ACCESS_ROW, "a_column_of_a_later_version": "x"})
    code_exchange._statement.cache_clear()
    try:
        assert code_exchange._statement() is None
        code = grant(rp)
        with CaptureQueriesContext(connection) as queries:
            response = exchange(client, code)
        assert response.status_code == 200 and response.json()["id_token"]
        assert not any(original(q["sql"]).startswith("WITH") for q in queries.captured_queries)     # the library's rows
    finally:
        code_exchange._statement.cache_clear()


# --- ticket → token: planned row values, the same rows as the ORM-built ones -----------------------------

@pytest.fixture
def ticket_setup(db, oidc_settings, regions):
    """A user, an application and its client system with a ticket secret (as test_sso_performance)."""
    from apps.identity.models import ClientSystem, RealNameLevel, UserKind
    from apps.identity.tests.factories import UserFactory

    user = UserFactory(username="ticket_user", kind=UserKind.NATURAL_PERSON, full_name="钱七",
                       real_name_level=RealNameLevel.VERIFIED, home_region=regions["230102000000"])
    app = get_application_model().objects.create(
        name="perf", client_id="hlj-perf-app", client_type="confidential", client_secret="perf-oidc-secret",
        authorization_grant_type="authorization-code", redirect_uris="https://bench.example/callback",
        skip_authorization=True, algorithm="RS256")
    system = ClientSystem.objects.create(code="perf-app", name="票据应用", owner="perf", kind="third_party",
                                         client_id=app.client_id, service_url="https://bench.example/callback",
                                         ticket_secret="perf-ticket")
    return {"user": user, "app": app, "system": system, "expires": timezone.now() + timedelta(hours=1)}


def _ticket_exchange(client, setup):
    from apps.identity.tests.test_sso_performance import _ticket

    ticket = _ticket(setup)
    response = client.post("/sso/api/ticket/token", {"app_id": "perf-app", "app_secret": "perf-ticket",
                                                      "ticket": ticket}, HTTP_USER_AGENT="bench-agent/1")
    assert response.status_code == 200, response.content
    return response.json()


AUDIT_PER_REQUEST = {"id", "at", "request_id"}


def test_ticket_exchange_rows_equal_the_orm_built_ones(client, ticket_setup, monkeypatch):
    from apps.core.models.audit import AuditLog
    from apps.identity.sso import exchange_statement

    assert exchange_statement._planned_sql() is not None
    answers, audits = [], []
    for planned in (True, False):
        if not planned:
            monkeypatch.setattr(exchange_statement, "_planned_sql", lambda checked_client=False: None)
        before = set(AuditLog.objects.values_list("pk", flat=True))
        answers.append(_ticket_exchange(client, ticket_setup))
        (audit,) = AuditLog.objects.exclude(pk__in=before)
        audits.append(model_to_dict(audit, fields=[f.name for f in AuditLog._meta.concrete_fields
                                                   if f.name not in AUDIT_PER_REQUEST]))
    assert audits[0] == audits[1]
    assert audits[0]["action"] == "login" and audits[0]["actor"] == ticket_setup["user"].pk
    assert audits[0]["user_agent"] == "bench-agent/1" and audits[0]["path"] == "/sso/api/ticket/token"
    assert audits[0]["changes"] == {} and audits[0]["detail"] == "票据登录 perf-app"
    rows = [_row(get_access_token_model(), token=answer["access_token"]) for answer in answers]
    assert rows[0] == rows[1] and rows[0]["resource"] == [] and rows[0]["user"] == ticket_setup["user"].pk
    for answer in answers:
        assert TOKEN.match(answer["access_token"]) and answer["expires_in"] == 600
        access = get_access_token_model().objects.get(token=answer["access_token"])
        assert access.token_checksum == hashlib.sha256(answer["access_token"].encode()).hexdigest()
        info = client.get("/sso/api/userinfo", HTTP_AUTHORIZATION=f"Bearer {answer['access_token']}")
        assert info.status_code == 200 and info.json()["sub"] == str(ticket_setup["user"].pk)


def test_ticket_exchange_a_stale_copy_of_the_client_system_never_authenticates(client, ticket_setup):
    """Decision 0213: the ticket exchange checks the secret on this process's copy of the client system
    and spends the ticket only if the committed rows still hold what was checked. Another worker
    resets the secret (here: saved, then this process's copy put back as if it had not seen it): the
    old secret spends nothing on the lean path and the two previous steps refuse it; the new one is
    served; a disabled client system likewise."""
    from apps.identity.sso import tickets
    from apps.identity.tests.test_sso_performance import _ticket

    def post(secret):
        return client.post("/sso/api/ticket/token", {"app_id": "perf-app", "app_secret": secret,
                                                     "ticket": _ticket(ticket_setup)})

    assert post("perf-ticket").status_code == 200                        # the copy is made
    stale = tickets._systems["perf-app"]
    system = ticket_setup["system"]
    system.ticket_secret = "perf-ticket-new"
    system.save()
    tickets._systems["perf-app"] = stale
    tokens = get_access_token_model().objects.count()
    refused = post("perf-ticket")
    assert refused.status_code == 401 and get_access_token_model().objects.count() == tokens
    assert "perf-app" not in tickets._systems                            # dropped after the empty spend
    assert post("perf-ticket-new").status_code == 200
    stale = tickets._systems["perf-app"]
    system.is_enabled = False
    system.save()
    tickets._systems["perf-app"] = stale
    assert post("perf-ticket-new").status_code == 401
    assert get_access_token_model().objects.count() == tokens + 1
