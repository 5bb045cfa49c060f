"""National-platform pages under /sso/national/: account login, silent trust check, the trust
endpoint the national platform calls, and its code exchange (IDN-1.3.5, 1.3.6, 4.1, 4.2)."""
from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from apps.identity.adapters import thirdparty
from apps.identity.models import ExternalProvider, LoginMethod
from apps.identity.services import national
from apps.identity.services.apis import business_require
from apps.identity.services.signin import session_login_method, sign_in
from apps.identity.sso.tickets import TicketError
from apps.identity.sso.views import _with_params


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return reverse("public:home")


def _callback_uri(request) -> str:
    return request.build_absolute_uri(reverse("sso:national-callback"))


class NationalLoginView(View):
    """IDN-1.3.5: "国家平台账号登录" — off to the national login page."""

    def get(self, request):
        try:
            business_require("national_login")
        except PermissionDenied as exc:
            return render(request, "identity/sso_error.html", {"message": str(exc)}, status=403)
        url = national.national_login_url(session=request.session, redirect_uri=_callback_uri(request),
                                          next_url=_safe_next(request, request.GET.get("next", "")))
        return redirect(url)


class NationalCheckView(View):
    """IDN-1.3.6: silent check — does this browser hold a national session?"""

    def get(self, request):
        request.session[national.CHECKED_SESSION_KEY] = True
        url = national.national_login_url(session=request.session, redirect_uri=_callback_uri(request),
                                          next_url=_safe_next(request, request.GET.get("next", "")), silent=True)
        return redirect(url)


class NationalCallbackView(View):
    def get(self, request):
        try:
            expected = national.national_callback_state(session=request.session, state=request.GET.get("state", ""))
        except PermissionDenied as exc:
            return render(request, "identity/sso_error.html", {"message": str(exc)}, status=400)
        next_url = _safe_next(request, expected.get("next", ""))
        if request.GET.get("error"):
            if expected.get("silent"):          # no national session: carry on anonymously
                return redirect(next_url)
            return render(request, "identity/sso_error.html", {"message": "国家政务服务平台登录未完成。"}, status=400)
        try:
            user = national.national_login_complete(code=request.GET.get("code", ""),
                                                    redirect_uri=_callback_uri(request))
        except ValidationError as exc:
            return render(request, "identity/sso_error.html", {"message": exc.messages[0]}, status=400)
        sign_in(request, user, LoginMethod.NATIONAL, provider=ExternalProvider.NATIONAL)
        return redirect(next_url)


class NationalTrustView(View):
    """The national platform asks whether this browser is logged in here (IDN-1.3.6 reverse,
    IDN-4.2 implicit login). `level=3` — the national service needs level three: an account below
    it goes to the national level-upgrade page instead (IDN-4.1)."""

    def get(self, request):
        target = request.GET.get("redirect_uri", "")
        if not national.national_redirect_allowed(target):
            return render(request, "identity/sso_error.html", {"message": "回调地址不属于国家政务服务平台。"}, status=400)
        state = request.GET.get("state", "")
        if not request.user.is_authenticated or request.user.is_staff_user:
            return redirect(_with_params(target, error="login_required", state=state))
        required = request.GET.get("level", "")
        if required.isdigit() and request.user.real_name_level < int(required):
            return redirect(thirdparty.national_url("level-upgrade", level=required, **{"return": target}))
        try:
            code = national.national_trust_issue(user=request.user, login_method=session_login_method(request),
                                                 session_key=request.session.session_key or "")
        except PermissionDenied:
            return redirect(_with_params(target, error="not_configured", state=state))
        return redirect(_with_params(target, code=code, state=state))


@method_decorator(csrf_exempt, name="dispatch")
class NationalTokenView(View):
    """POST {code, client_id, client_secret} → the user passed in trust (server to server)."""

    def post(self, request):
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"error": "invalid_request", "message": "请求体须为 JSON。"}, status=400)
        try:
            data = national.national_trust_exchange(client_id=str(body.get("client_id", "")),
                                                    client_secret=str(body.get("client_secret", "")),
                                                    code=str(body.get("code", "")))
        except PermissionDenied as exc:
            return JsonResponse({"error": "invalid_client", "message": str(exc)}, status=401)
        except TicketError as exc:
            return JsonResponse({"error": "invalid_grant", "message": exc.messages[0]}, status=400)
        return JsonResponse(data)


urlpatterns = [
    path("national/login/", NationalLoginView.as_view(), name="national-login"),
    path("national/check/", NationalCheckView.as_view(), name="national-check"),
    path("national/callback/", NationalCallbackView.as_view(), name="national-callback"),
    path("national/trust/", NationalTrustView.as_view(), name="national-trust"),
    path("api/national/token", NationalTokenView.as_view(), name="national-token"),
]
