"""Decision 0015: server-to-server endpoints on a slimmer middleware chain (apps.core.backchannel).
The token and user-info exchanges themselves through it: apps/identity/tests/test_sso_backchannel.py."""
from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.core.backchannel import BackchannelDispatcher
from apps.core.tests.wsgi import wsgi_call

pytestmark = pytest.mark.django_db


def test_the_server_entry_point_is_the_dispatcher():
    from govplatform import wsgi

    assert isinstance(wsgi.application, BackchannelDispatcher)


def test_listed_paths_take_the_slim_chain_and_every_other_path_the_full_one():
    dispatcher = BackchannelDispatcher()
    assert dispatcher.paths == {"/sso/o/token/", "/sso/o/userinfo/", "/sso/api/ticket/token", "/sso/api/userinfo"}
    assert dispatcher.handler_for("/sso/o/token/") is dispatcher.slim
    for other in ("/api/v1/core/ping/", "/sso/o/token", "/sso/o/authorize/", "/portal/", "/sso/o/token/x"):
        assert dispatcher.handler_for(other) is dispatcher.full


def test_the_slim_chain_still_sets_the_security_headers_and_skips_the_browser_middleware():
    dispatcher = BackchannelDispatcher()
    slim = wsgi_call(dispatcher, "GET", "/sso/api/userinfo")        # no bearer: the view's own 401
    full = wsgi_call(dispatcher.full, "GET", "/sso/api/userinfo")
    assert slim.status == full.status == 401
    assert slim.body == full.body
    for header in ("x-frame-options", "x-content-type-options", "referrer-policy", "cross-origin-opener-policy"):
        assert slim.headers[header] == full.headers[header]
    assert "content-language" not in slim.headers                   # LocaleMiddleware skipped …
    assert full.headers["content-language"] == "zh-hans"            # … and run on the full chain


def test_listed_paths_are_resolved_once_to_what_the_resolver_answers():
    from django.urls import resolve

    from apps.identity.sso.oidc import IdentityTokenView

    dispatcher = BackchannelDispatcher()
    for path, match in dispatcher.slim.matches.items():
        fresh = resolve(path)
        assert (match.func, match.view_name, match.route) == (fresh.func, fresh.view_name, fresh.route)
    assert dispatcher.slim.matches["/sso/o/token/"].func.view_class is IdentityTokenView


def test_a_listed_view_that_needs_csrf_protection_is_refused_at_start_up(settings):
    settings.BACKCHANNEL_URL_NAMES = ["sso:oidc-token", "identity:password-change"]
    with pytest.raises(ImproperlyConfigured, match="identity:password-change"):
        BackchannelDispatcher()


def test_skipping_a_middleware_that_is_not_in_the_chain_is_refused(settings):
    settings.BACKCHANNEL_SKIPPED_MIDDLEWARE = ["django.middleware.csrf.CsrfViewMiddlware"]      # misspelt
    with pytest.raises(ImproperlyConfigured, match="CsrfViewMiddlware"):
        BackchannelDispatcher()


def test_settings_middleware_is_left_as_it_was():
    from django.conf import settings

    before = list(settings.MIDDLEWARE)
    BackchannelDispatcher()
    assert settings.MIDDLEWARE == before
