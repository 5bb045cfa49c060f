"""Third-party login pages under /sso/login/: city quick login with profile completion (IDN-1.3.7),
digital certificate (1.3.8), e-business licence and e-social-security card QR (1.3.2, 4.2)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.identity.forms import ServiceForm
from apps.identity.models import (
    ExternalProvider,
    LoginMethod,
    QrLoginKind,
    QrLoginStatus,
)
from apps.identity.services import login as login_services
from apps.identity.services import thirdparty_login as services
from apps.identity.services.apis import business_require
from apps.identity.services.registration import home_region_choices
from apps.identity.services.signin import sign_in

CITY_PENDING_KEY = "identity_city_pending"
DATE = forms.DateInput(attrs={"type": "date"})


class BusinessGateMixin:
    """Refuse the page while its business control (IDN-5.3) is switched off."""

    business_code = ""

    def dispatch(self, request, *args, **kwargs):
        code = self.business_code or QR_PAGES.get(kwargs.get("provider", ""), [None] * 7)[6]
        try:
            if code:
                business_require(code)
        except PermissionDenied as exc:
            return render(request, "identity/sso_error.html", {"message": str(exc)}, status=403)
        return super().dispatch(request, *args, **kwargs)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("public:home")


class CityLoginForm(ServiceForm):
    city_code = forms.ChoiceField(label=gettext_lazy("所属地市"))
    username = forms.CharField(label=gettext_lazy("地市账号"), max_length=64)
    password = forms.CharField(label=gettext_lazy("密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = home_region_choices().filter(level=2).order_by("code")
        self.fields["city_code"].choices = [("", _("请选择"))] + [(c.code, c.name) for c in cities]


class CityCompleteForm(ServiceForm):
    username = forms.CharField(label=gettext_lazy("登录名"), max_length=150)
    mobile_number = forms.CharField(label=gettext_lazy("手机号码"), max_length=11)
    home_region = forms.ChoiceField(label=gettext_lazy("归属区划"))
    valid_from = forms.DateField(label=gettext_lazy("证件有效期起"), required=False, widget=DATE)
    valid_to = forms.DateField(label=gettext_lazy("证件有效期止"), required=False, widget=DATE)
    valid_long_term = forms.BooleanField(label=gettext_lazy("长期有效"), required=False)
    password = forms.CharField(label=gettext_lazy("设置密码"), widget=forms.PasswordInput, strip=False)
    password_confirm = forms.CharField(label=gettext_lazy("确认密码"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args, city_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        regions = home_region_choices().filter(code__startswith=city_code[:4]).order_by("code")
        self.fields["home_region"].choices = [(r.code, r.name) for r in regions]


class CityLoginView(BusinessGateMixin, View):
    """IDN-1.3.7: 地市快捷登录 — the account is checked by the city's API; new users complete their
    profile first."""
    business_code = "city_login"

    def get(self, request):
        return render(request, "identity/login_city.html", {"form": CityLoginForm(), "next": _next(request)})

    def post(self, request):
        form = CityLoginForm(request.POST)
        if form.is_valid():
            try:
                user, record = services.city_login(**form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                if user is not None:
                    sign_in(request, user, LoginMethod.CITY, provider=ExternalProvider.CITY,
                            external_id=record["external_id"])
                    return redirect(_next(request))
                request.session[CITY_PENDING_KEY] = {"record": record, "next": _next(request)}
                return redirect("sso:login-city-complete")
        return render(request, "identity/login_city.html", {"form": form, "next": _next(request)})


class CityCompleteView(BusinessGateMixin, View):
    business_code = "city_login"

    def pending(self, request) -> dict:
        pending = request.session.get(CITY_PENDING_KEY)
        if not pending:
            raise Http404
        return pending

    def render_page(self, request, form, record):
        return render(request, "identity/login_city_complete.html", {"form": form, "record": record})

    def get(self, request):
        record = self.pending(request)["record"]
        form = CityCompleteForm(city_code=record["city_code"],
                                initial={"username": record.get("username", ""),
                                         "mobile_number": record.get("mobile", "")})
        return self.render_page(request, form, record)

    def post(self, request):
        pending = self.pending(request)
        record = pending["record"]
        form = CityCompleteForm(request.POST, city_code=record["city_code"])
        if form.is_valid():
            try:
                user = services.city_login_complete(record=record, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                request.session.pop(CITY_PENDING_KEY, None)
                sign_in(request, user, LoginMethod.CITY, provider=ExternalProvider.CITY,
                        external_id=record["external_id"])
                return redirect(pending.get("next") or reverse("public:home"))
        return self.render_page(request, form, record)


class CertificateLoginView(BusinessGateMixin, View):
    """IDN-1.3.8: the certificate device signs a one-time challenge; we check chain, validity,
    signature and the CA's status service."""
    business_code = "certificate_login"

    def render_page(self, request, error=""):
        challenge = services.certificate_challenge_new(request.session)
        return render(request, "identity/login_certificate.html",
                      {"challenge": challenge, "error": error, "next": _next(request)}, status=400 if error else 200)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        challenge = request.session.pop("identity_cert_challenge", "")
        try:
            user, external_id = services.certificate_login(
                certificate_pem=request.POST.get("certificate", ""), signature_b64=request.POST.get("signature", ""),
                challenge=challenge)
        except ValidationError as exc:
            return self.render_page(request, exc.messages[0])
        sign_in(request, user, LoginMethod.CERTIFICATE, provider=ExternalProvider.CERTIFICATE,
                external_id=external_id)
        return redirect(_next(request))


QR_PAGES = {
    "e-licence": (QrLoginKind.E_LICENCE, LoginMethod.E_LICENCE, ExternalProvider.E_LICENCE,
                  gettext_lazy("电子营业执照登录"), gettext_lazy("请使用“电子营业执照”APP 扫描二维码并确认授权。"),
                  "hljzwfw://e-licence-login", "e_licence_login"),
    "social-security": (QrLoginKind.SOCIAL_SECURITY, LoginMethod.SOCIAL_SECURITY, ExternalProvider.SOCIAL_SECURITY,
                        gettext_lazy("电子社保卡登录"), gettext_lazy("请使用电子社保卡扫码并确认授权。"),
                        "hljzwfw://social-security-login", "social_security_login"),
}


def _qr_page(provider: str):
    if provider not in QR_PAGES:
        raise Http404
    return QR_PAGES[provider]


class ProviderQrLoginView(BusinessGateMixin, View):
    def get(self, request, provider):
        kind, _method, _prov, title, hint, *_rest = _qr_page(provider)
        if not request.session.session_key:
            request.session.save()
        qr = services.provider_qr_start(kind=kind, browser_key=login_services.browser_key_for(
            request.session.session_key))
        return render(request, "identity/login_provider_qr.html",
                      {"qr": qr, "provider": provider, "title": title, "hint": hint, "next": _next(request)})


def provider_qr_image(request, provider, token):
    import qrcode

    scheme = _qr_page(provider)[5]
    response = HttpResponse(content_type="image/png")
    qrcode.make(f"{scheme}?token={token}", box_size=6, border=2).save(response, "PNG")
    return response


def provider_qr_poll(request, provider, token):
    kind, method, prov, *_rest = _qr_page(provider)
    try:
        status, user, detail = services.provider_qr_poll(
            kind=kind, token=token, browser_key=login_services.browser_key_for(request.session.session_key or ""))
    except ValidationError as exc:
        return JsonResponse({"status": "error", "message": exc.messages[0]}, status=503)
    if user is not None:
        sign_in(request, user, method, provider=prov, external_id=detail)
        return JsonResponse({"status": "logged_in", "next": _next(request)})
    return JsonResponse({"status": str(status), "message": detail if status == QrLoginStatus.FAILED else ""})


urlpatterns = [
    path("login/city/", CityLoginView.as_view(), name="login-city"),
    path("login/city/complete/", CityCompleteView.as_view(), name="login-city-complete"),
    path("login/certificate/", CertificateLoginView.as_view(), name="login-certificate"),
    path("login/app/<slug:provider>/", ProviderQrLoginView.as_view(), name="login-provider-qr"),
    path("login/app/<slug:provider>/<str:token>.png", provider_qr_image, name="login-provider-qr-image"),
    path("login/app/<slug:provider>/<str:token>/status/", provider_qr_poll, name="login-provider-qr-poll"),
]
