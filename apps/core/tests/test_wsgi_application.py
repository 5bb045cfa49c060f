"""apps.core.wsgi, the WSGI application: IPv4-mapped client addresses given back as IPv4 (decision 0016);
server-to-server endpoints on a slimmer middleware chain (decision 0015).
The token and user-info exchanges themselves through it: apps/identity/tests/test_sso_backchannel.py."""
from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.core.wsgi import PlatformApplication, ipv4_unmapped
from apps.core.tests.wsgi_client import wsgi_call

pytestmark = pytest.mark.django_db


def test_the_server_entry_point_is_the_platform_application():
    from govplatform import wsgi

    assert isinstance(wsgi.application, PlatformApplication)


def test_listed_paths_take_the_slim_chain_and_every_other_path_the_full_one():
    application = PlatformApplication()
    assert application.paths == {"/sso/o/token/", "/sso/o/userinfo/", "/sso/api/ticket/token", "/sso/api/userinfo"}
    assert application.handler_for("/sso/o/token/") is application.slim
    for other in ("/api/v1/core/ping/", "/sso/o/token", "/sso/o/authorize/", "/portal/", "/sso/o/token/x"):
        assert application.handler_for(other) is application.full


def test_the_slim_chain_still_sets_the_security_headers_and_skips_the_browser_middleware():
    application = PlatformApplication()
    slim = wsgi_call(application, "GET", "/sso/api/userinfo")        # no bearer: the view's own 401
    full = wsgi_call(application.full, "GET", "/sso/api/userinfo")
    assert slim.status == full.status == 401
    assert slim.body == full.body
    for header in ("x-frame-options", "x-content-type-options", "referrer-policy", "cross-origin-opener-policy"):
        assert slim.headers[header] == full.headers[header]
    assert "content-language" not in slim.headers                   # LocaleMiddleware skipped …
    assert full.headers["content-language"] == "zh-hans"            # … and run on the full chain


def test_listed_paths_are_resolved_once_to_what_the_resolver_answers():
    from django.urls import resolve

    from apps.identity.sso.oidc import IdentityTokenView

    application = PlatformApplication()
    for path, match in application.slim.matches.items():
        fresh = resolve(path)
        assert (match.func, match.view_name, match.route) == (fresh.func, fresh.view_name, fresh.route)
    assert application.slim.matches["/sso/o/token/"].func.view_class is IdentityTokenView


def test_a_listed_view_that_needs_csrf_protection_is_refused_at_start_up(settings):
    settings.BACKCHANNEL_URL_NAMES = ["sso:oidc-token", "identity:password-change"]
    with pytest.raises(ImproperlyConfigured, match="identity:password-change"):
        PlatformApplication()


def test_skipping_a_middleware_that_is_not_in_the_chain_is_refused(settings):
    settings.BACKCHANNEL_SKIPPED_MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddlware"]      # misspelt
    with pytest.raises(ImproperlyConfigured, match="CsrfViewMiddlware"):
        PlatformApplication()


def test_settings_middleware_is_left_as_it_was():
    from django.conf import settings

    before = list(settings.MIDDLEWARE)
    PlatformApplication()
    assert settings.MIDDLEWARE == before


@pytest.mark.spec("IDN-0.2")
@pytest.mark.parametrize("seen, recorded", [
    ("::ffff:203.0.113.7", "203.0.113.7"), ("::FFFF:10.0.0.1", "10.0.0.1"), ("::ffff:7f00:1", "127.0.0.1"),
    ("::1", "::1"), ("2001:db8::7", "2001:db8::7"), ("203.0.113.7", "203.0.113.7"),
    ("::ffff:not-an-address", "::ffff:not-an-address"), ("", ""),
])
def test_an_ipv4_client_on_the_dual_stack_socket_reads_as_ipv4(seen, recorded):
    assert ipv4_unmapped(seen) == recorded


def test_a_failed_login_through_the_dual_stack_socket_records_the_ipv4_address():
    """The address is fixed before the dispatch: on the full chain a failed API login (counted towards the
    lockout with the client's address) keeps the IPv4 form; the slim chain's ticket audit shows the same
    (apps/identity/tests/test_sso_backchannel.py)."""
    import json

    from apps.identity.models import LoginFailure

    body = json.dumps({"username": "nobody_here", "password": "wrong-Pass1"}).encode()
    answer = wsgi_call(PlatformApplication(), "POST", "/api/v1/identity/token/", body=body,
                       content_type="application/json", remote_addr="::ffff:198.51.100.4")
    assert answer.status == 400
    assert list(LoginFailure.objects.values_list("username", "ip_address")) == [("nobody_here", "198.51.100.4")]
