"""One request of each SSO hot path (token issuance, user info), counted: the statements of each
request are pinned so the bench figures of bench/identity.py cannot silently regress (issue 4 "How
well", decisions 0207 and 0208). Savepoints and transaction settings are left out of the lists (the
test's own transaction adds savepoints that production does not have); the one-transaction,
asynchronous-commit shape is checked separately on real commits.

Set IDENTITY_PROFILE=1 to also print a cProfile of each request (the numbers are not asserted)."""
from __future__ import annotations

import base64
import cProfile
import os
import pstats
import re
import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
)

from apps.identity.models import (
    ClientSystem,
    RealNameLevel,
    SsoTicket,
    SsoTicketKind,
    UserKind,
)
from apps.identity.sso.prepared import original
from apps.identity.tests.factories import UserFactory

REDIRECT = "https://bench.example/callback"
SECRET = "perf-oidc-secret"


@pytest.fixture
def setup(db, oidc_settings, regions):
    user = UserFactory(username="perf_citizen", kind=UserKind.NATURAL_PERSON, full_name="基准",
                       real_name_level=RealNameLevel.VERIFIED, home_region=regions["230102000000"],
                       mobile_number="13700002222")
    app = get_application_model().objects.create(
        name="perf", client_id="hlj-perf-app", client_type="confidential", client_secret=SECRET,
        authorization_grant_type="authorization-code", redirect_uris=REDIRECT, skip_authorization=True,
        algorithm="RS256")
    system = ClientSystem.objects.create(code="perf-app", name="性能测试应用", owner="perf", kind="third_party",
                                         client_id=app.client_id, service_url=REDIRECT, ticket_secret="perf-ticket")
    expires = timezone.now() + timedelta(hours=1)
    token = get_access_token_model().objects.create(user=user, application=app, token=secrets.token_urlsafe(32),
                                                    scope="openid profile", expires=expires)
    return {"user": user, "app": app, "system": system, "bearer": token.token, "expires": expires}


def _grant(setup) -> str:
    grant = get_grant_model().objects.create(application=setup["app"], user=setup["user"], expires=setup["expires"],
                                             code=secrets.token_urlsafe(24), redirect_uri=REDIRECT,
                                             scope="openid profile", nonce="n")
    return grant.code


def _ticket(setup) -> str:
    return SsoTicket.objects.create(ticket=f"TK-{secrets.token_urlsafe(32)}", kind=SsoTicketKind.APP,
                                    client=setup["system"], user=setup["user"], expires_at=setup["expires"]).ticket


def _statement(sql: str) -> str | None:
    """'SELECT oauth2_provider_grant', 'INSERT core_auditlog', … (None for savepoints and SET)."""
    if sql.startswith("WITH "):                    # WITH spent AS (UPDATE <table> … RETURNING …) SELECT …
        sql = sql.split("(", 1)[1]
    words = sql.split()
    verb = words[0].upper()
    if verb in ("SAVEPOINT", "RELEASE", "ROLLBACK", "SET"):
        return None
    table = next((w for w in words[1:] if w.startswith('"') and "." not in w), None) if verb != "SELECT" else None
    if verb == "SELECT":
        while (flat := re.sub(r"\([^()]*\)", "", sql)) != sql:     # drop subqueries and column lists
            sql = flat
        table = sql.split(" FROM ", 1)[1].split()[0]
    return f"{verb} {table.strip(chr(34))}"


def _measure(label, call):
    """Run `call` once counted (and profiled when IDENTITY_PROFILE is set); its statements in order."""
    profile = cProfile.Profile() if os.environ.get("IDENTITY_PROFILE") else None
    with CaptureQueriesContext(connection) as queries:
        if profile:
            profile.enable()
        response = call()
        if profile:
            profile.disable()
    assert response.status_code == 200, response.content[:300]
    if profile:
        print(f"\n==== {label}: {len(queries)} queries")
        for q in queries.captured_queries:
            print("   ", original(q["sql"])[:160])
        pstats.Stats(profile).sort_stats("tottime").print_stats(18)
    statements = [_statement(original(q["sql"])) for q in queries.captured_queries]
    return [s for s in statements if s], response


def _token_call(client, setup):
    basic = base64.b64encode(f"hlj-perf-app:{SECRET}".encode()).decode()
    code = _grant(setup)
    return lambda: client.post("/sso/o/token/", {"grant_type": "authorization_code", "code": code,
                                                 "redirect_uri": REDIRECT}, HTTP_AUTHORIZATION=f"Basic {basic}")


TOKEN_STATEMENTS = [
    # decision 0213: client authentication on this process's copy of the application row (read once),
    # then WITH spent AS (DELETE grant USING application WHERE <every check, the copy against the row>)
    # INSERT ID token, access token, refresh token … SELECT the spent grant's user — one statement
    "DELETE oauth2_provider_grant",
]


def test_oidc_token_issuance_statements(client, setup):
    _token_call(client, setup)()                                   # warm caches (key, content types)
    statements, response = _measure("oidc-token", _token_call(client, setup))
    assert "id_token" in response.json()
    assert statements == TOKEN_STATEMENTS      # 20 statements before decision 0207, 10 before 0208, 6 before 0209,
    assert len(statements) == 1                # 5 before 0210, 2 before 0213


def test_ticket_token_statements(client, setup):
    def call():
        ticket = _ticket(setup)
        return lambda: client.post("/sso/api/ticket/token", {"app_id": "perf-app", "app_secret": "perf-ticket",
                                                             "ticket": ticket})
    call()()
    statements, response = _measure("ticket-token", call())
    assert response.json()["access_token"]
    # the client system (with its application's pk) comes from the shared cache (decision 0209)
    # decision 0210: WITH spent AS (UPDATE ticket …) INSERT access token, INSERT audit row — one statement
    assert statements == ["UPDATE identity_ssoticket"]


@pytest.mark.parametrize("path", ["/sso/o/userinfo/", "/sso/api/userinfo"])
def test_userinfo_statements(client, setup, path):
    call = lambda: client.get(path, HTTP_AUTHORIZATION=f"Bearer {setup['bearer']}")
    call()                                                        # the client system memo; the token's ids kept
    statements, response = _measure(path, call)
    assert response.json()["name"] == "基准"
    assert statements == ["SELECT oauth2_provider_accesstoken"]   # with user and application; client memoised
    statements, response = _measure(path, call)
    assert response.json()["name"] == "基准"
    assert statements == []                                       # from the shared cache (decision 0209)


@pytest.mark.parametrize("path", ["/sso/o/userinfo/", "/sso/api/userinfo"])
def test_userinfo_reads_the_encrypted_phone_only_for_a_client_allowed_it(client, setup, path):
    setup["system"].allowed_claims = ["name", "phone_number"]
    setup["system"].save()
    token = get_access_token_model().objects.create(user=setup["user"], application=setup["app"],
                                                    token=secrets.token_urlsafe(32), scope="openid profile phone",
                                                    expires=setup["expires"])
    call = lambda: client.get(path, HTTP_AUTHORIZATION=f"Bearer {token.token}")
    call()                                                          # the saved client system is read again once
    statements, response = _measure(path, call)
    assert response.json()["phone_number"] == "13700002222"
    assert statements == ["SELECT oauth2_provider_accesstoken", "SELECT identity_user"]   # the deferred column


@pytest.mark.skipif(not os.environ.get("IDENTITY_PROFILE_LOOP"), reason="profiling aid, run by hand")
def test_profile_loop(client, setup):
    """IDENTITY_PROFILE_LOOP=200: time N requests of each path against ping, in-process (no HTTP)."""
    import time

    n = int(os.environ["IDENTITY_PROFILE_LOOP"])
    basic = base64.b64encode(f"hlj-perf-app:{SECRET}".encode()).decode()
    codes = [_grant(setup) for _ in range(n + 1)]
    tickets = [_ticket(setup) for _ in range(n + 1)]
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {setup['bearer']}"}
    calls = {
        "ping": lambda i: client.get("/api/v1/core/ping/"),
        "oidc-token": lambda i: client.post("/sso/o/token/", {"grant_type": "authorization_code", "code": codes[i],
                                                               "redirect_uri": REDIRECT},
                                             HTTP_AUTHORIZATION=f"Basic {basic}"),
        "ticket-token": lambda i: client.post("/sso/api/ticket/token", {"app_id": "perf-app",
                                                                         "app_secret": "perf-ticket",
                                                                         "ticket": tickets[i]}),
        "oidc-userinfo": lambda i: client.get("/sso/o/userinfo/", **bearer),
        "ticket-userinfo": lambda i: client.get("/sso/api/userinfo", **bearer),
    }
    for label, call in calls.items():
        assert call(n).status_code == 200
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for i in range(n):
            call(i)
        profile.disable()
        print(f"\n==== {label}: {(time.perf_counter() - started) / n * 1000:.2f} ms/request")
        pstats.Stats(profile).sort_stats("tottime").print_stats(12)
