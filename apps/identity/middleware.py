"""NationalTrustMiddleware (IDN-1.3.6): the first public page an anonymous browser opens is
checked once against the national platform's session — a user logged in there is recognised here
without logging in again. Add after AuthenticationMiddleware:

    "apps.identity.middleware.NationalTrustMiddleware",

and switch it on with IDENTITY_NATIONAL_TRUST_CHECK = True (off by default, so test clients and
non-browser callers are never redirected).
"""
from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from apps.identity.services.national import CHECKED_SESSION_KEY

SKIPPED_PREFIXES = ("/sso/", "/api/", "/static/", "/media/", "/portal/", "/admin/", "/healthz")


class NationalTrustMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._should_check(request):
            request.session[CHECKED_SESSION_KEY] = True
            return redirect(f"{reverse('sso:national-check')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _should_check(request) -> bool:
        if not getattr(settings, "IDENTITY_NATIONAL_TRUST_CHECK", False):
            return False
        if request.method != "GET" or request.user.is_authenticated or request.path.startswith(SKIPPED_PREFIXES):
            return False
        if "text/html" not in request.headers.get("Accept", "text/html"):
            return False
        return not request.session.get(CHECKED_SESSION_KEY)
