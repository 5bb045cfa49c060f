"""The SSO token and user-info endpoints as a WSGI server serves them: through govplatform.wsgi's
application, on the slim middleware chain of decision 0015. The answers a client system receives are
the ones the full chain gives (the Django test client's, on which every other SSO test runs), and what
the skipped middleware did not contribute — the request context and audit — is still there."""
from __future__ import annotations

import secrets
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.wsgi import PlatformApplication
from apps.core.models import AuditLog
from apps.core.tests.wsgi_client import wsgi_call
from apps.identity.models import SsoTicket, SsoTicketKind
from apps.identity.sso.prepared import original
from apps.identity.tests.test_sso_code_exchange import REDIRECT, basic, grant, rp  # noqa: F401 — fixture

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def application(rp):  # noqa: F811 — the fixture imported above
    return PlatformApplication()


def _exchange(application, code, *, authorization=None):
    body = urlencode({"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}).encode()
    return wsgi_call(application, "POST", "/sso/o/token/", body=body, content_type=FORM,
                     headers={"Authorization": authorization or basic()})


@pytest.mark.spec("IDN-6.1", "IDN-9.1")
def test_code_exchange_on_the_slim_chain_is_the_lean_exchange_with_the_full_chains_answer(application, rp):  # noqa: F811
    _exchange(application, grant(rp))                                     # warm caches
    code = grant(rp)
    with CaptureQueriesContext(connection) as queries:
        slim = _exchange(application, code)
    assert slim.status == 200, slim.body
    statements = [original(q["sql"]).split()[0] for q in queries.captured_queries]
    assert [s for s in statements if s not in ("SET", "SAVEPOINT", "RELEASE")] == ["WITH"]   # decision 0213
    full = _exchange(application.full, grant(rp))
    assert full.status == 200
    assert list(slim.json()) == list(full.json()) == ["access_token", "expires_in", "token_type", "scope",
                                                      "refresh_token", "id_token"]
    assert slim.headers["cache-control"] == full.headers["cache-control"] == "no-store"
    assert slim.headers["x-frame-options"] == full.headers["x-frame-options"] == "DENY"
    assert slim.headers["x-content-type-options"] == "nosniff"
    assert "content-language" not in slim.headers and "content-language" in full.headers


@pytest.mark.parametrize("authorization", [basic(secret="wrong"), basic(client_id="hlj-nobody"), "Basic !!"])
def test_refusals_on_the_slim_chain_are_the_librarys_as_on_the_full_chain(application, rp, authorization):  # noqa: F811
    code = grant(rp)
    slim = _exchange(application, code, authorization=authorization)
    full = _exchange(application.full, code, authorization=authorization)
    assert slim.status == full.status == 401
    assert slim.json() == full.json() == {"error": "invalid_client"}
    assert _exchange(application, code).status == 200                   # the refused code was not spent


def test_ticket_exchange_and_user_info_on_the_slim_chain_keep_the_request_context(application, rp):  # noqa: F811
    from apps.identity.models import ClientSystem

    system = ClientSystem.objects.get(code="lean-app")
    system.ticket_secret = "ticket-secret"
    system.save()
    ticket = SsoTicket.objects.create(ticket=f"TK-{secrets.token_urlsafe(32)}", kind=SsoTicketKind.APP,
                                      client=system, user=rp["user"],
                                      expires_at=rp["user"].date_joined.replace(year=2999))
    body = urlencode({"app_id": "lean-app", "app_secret": "ticket-secret", "ticket": ticket.ticket}).encode()
    token = wsgi_call(application, "POST", "/sso/api/ticket/token", body=body, content_type=FORM,
                      headers={"User-Agent": "dept-system/1.0"}, remote_addr="::ffff:203.0.113.9")
    assert token.status == 200, token.body
    audit = AuditLog.objects.filter(actor=rp["user"]).latest("id")       # written by the exchange's statement
    # an IPv4 client through the dual-stack socket is recorded by its IPv4 address (decision 0016)
    assert audit.ip == "203.0.113.9" and audit.user_agent == "dept-system/1.0" and len(audit.request_id) == 32
    replay = wsgi_call(application, "POST", "/sso/api/ticket/token", body=body, content_type=FORM)
    assert replay.status == 400 and "error" in replay.json()            # a spent ticket is refused
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    slim = wsgi_call(application, "GET", "/sso/api/userinfo", headers=bearer)
    full = wsgi_call(application.full, "GET", "/sso/api/userinfo", headers=bearer)
    assert slim.status == full.status == 200
    assert slim.json() == full.json() and slim.json()["name"] == "赵六"
