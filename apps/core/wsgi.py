"""The WSGI application gunicorn and runserver call (govplatform.wsgi): Django's handler, plus two things
done once for every request before Django sees it.

Dual stack (decision 0016). The web service listens on one IPv6 wildcard socket that also takes IPv4
connections (`--bind [::]:8000`; Linux's default `bindv6only=0`). An IPv4 client then arrives as an
IPv4-mapped address, `::ffff:203.0.113.7`. REMOTE_ADDR is given back in its IPv4 form, so an address
reads the same whichever socket a client came through — in audit records, login-failure lockouts, rate
limits and the trusted-proxy check.

Back channel (decision 0015). A department system exchanging a code or a ticket for tokens, or reading user info with a bearer
token, is a machine calling a JSON endpoint: no browser session to load, no page language to pick,
no CSRF cookie, no flash messages, no "change your initial password" page. Yet every request paid for
the whole browser-facing middleware chain (≈0.06 ms of CPU per request here, a tenth of a token
exchange). `BackchannelDispatcher` serves the URL names in settings.BACKCHANNEL_URL_NAMES (resolved
once, at start-up) with the project's MIDDLEWARE minus settings.BACKCHANNEL_SKIPPED_MIDDLEWARE — everything
else in the chain
(security headers and HTTPS redirect, sessions and the lazy `request.user`, CommonMiddleware's checks,
X-Frame-Options, the request context and audit) still runs, and any middleware added later runs too
unless it is named as skipped. Every other path goes through the full chain.

Dropping CsrfViewMiddleware is only sound for views that never needed it: each listed view must be
CSRF-exempt or answer safe methods only, checked when the application is built (ImproperlyConfigured
otherwise). The Django test client always runs the full chain; apps/core/tests/test_wsgi_application.py
calls the application as a WSGI server does.
"""
from __future__ import annotations

import ipaddress

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.handlers.wsgi import WSGIHandler
from django.urls import resolve, reverse

SAFE_METHODS = frozenset({"get", "head", "options", "trace"})


class _SlimHandler(WSGIHandler):
    """Django's WSGI handler with the middleware chain of MIDDLEWARE minus `skipped`, and the URL
    resolution of its few exact paths done once (`matches`: path → the ResolverMatch the root resolver
    gave at start-up; a request for any of them would walk the same patterns to the same answer)."""

    def __init__(self, skipped: frozenset, matches: dict):
        self._skipped = skipped
        self.matches = matches
        super().__init__()

    def resolve_request(self, request):
        match = None if hasattr(request, "urlconf") else self.matches.get(request.path_info)
        if match is None:                        # a middleware chose another URLconf, or not a listed path
            return super().resolve_request(request)
        request.resolver_match = match
        return match

    def load_middleware(self, is_async=False):
        # Django builds the chain from settings.MIDDLEWARE only; the list is swapped for the build (once,
        # at start-up, before any request) and restored at once.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = [path for path in full if path not in self._skipped]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def _check_csrf_free(name: str, path: str, view) -> None:
    if getattr(view, "csrf_exempt", False):
        return
    view_class = getattr(view, "view_class", None)
    methods = {m for m in getattr(view_class, "http_method_names", []) if hasattr(view_class, m)}
    if view_class is None or not methods <= SAFE_METHODS:
        raise ImproperlyConfigured(f"BACKCHANNEL_URL_NAMES: {name} ({path}) accepts unsafe methods and is not "
                                   "CSRF-exempt; it cannot run without CsrfViewMiddleware")


def ipv4_unmapped(address: str) -> str:
    """`::ffff:a.b.c.d` as `a.b.c.d`; any other address unchanged."""
    if address[:7].lower() != "::ffff:":
        return address
    try:
        mapped = ipaddress.IPv6Address(address).ipv4_mapped
    except ValueError:
        return address
    return str(mapped) if mapped is not None else address


class PlatformApplication:
    """The WSGI application: REMOTE_ADDR unmapped; the listed server-to-server paths through the slim
    chain, all else through the full one."""

    def __init__(self):
        self.full = WSGIHandler()
        skipped = frozenset(getattr(settings, "BACKCHANNEL_SKIPPED_MIDDLEWARE", ()))
        unknown = skipped - set(settings.MIDDLEWARE)
        if unknown:
            raise ImproperlyConfigured(f"BACKCHANNEL_SKIPPED_MIDDLEWARE names middleware not in MIDDLEWARE: "
                                       f"{sorted(unknown)}")
        matches = dict(self._matches())
        self.slim = _SlimHandler(skipped, matches)
        self.paths = frozenset(matches)

    @staticmethod
    def _matches():
        for name in getattr(settings, "BACKCHANNEL_URL_NAMES", ()):
            path = reverse(name)
            match = resolve(path)
            _check_csrf_free(name, path, match.func)
            yield path, match

    def handler_for(self, path_info: str) -> WSGIHandler:
        return self.slim if path_info in self.paths else self.full

    def __call__(self, environ, start_response):
        remote = environ.get("REMOTE_ADDR")
        if remote:
            environ["REMOTE_ADDR"] = ipv4_unmapped(remote)
        return self.handler_for(environ.get("PATH_INFO", ""))(environ, start_response)


def get_wsgi_application() -> PlatformApplication:
    """django.core.wsgi.get_wsgi_application with the address unmapping and the back-channel dispatch."""
    django.setup(set_prefix=False)
    return PlatformApplication()
