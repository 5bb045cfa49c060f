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


class PasswordChangeRequiredMiddleware:
    """MAT-7.6: after an administrator initialised the password, every page of the logged-in user
    leads to the password change page until the password is changed. Add after
    AuthenticationMiddleware:

        "apps.identity.middleware.PasswordChangeRequiredMiddleware",
    """

    ALLOWED_PREFIXES = ("/static/", "/media/", "/logout/", "/portal/logout/", "/sso/captcha",
                        "/sso/password-init/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "password_must_change", False):
            target = reverse("identity:password-change")
            if request.path != target and not request.path.startswith(self.ALLOWED_PREFIXES):
                if request.path.startswith("/api/"):
                    from django.http import JsonResponse

                    return JsonResponse({"detail": "登录密码已被初始化，请先修改密码。"}, status=403)
                return redirect(target)
        return self.get_response(request)
