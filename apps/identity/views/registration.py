"""Public registration pages (IDN-1.1, 1.2.x, 1.8.x): choose the account type, then two steps."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from apps.identity.models import ImageSide, RegistrationChannel, ReviewStatus, UserKind
from apps.identity.public_forms import (
    AccountStepForm,
    LegalAccountStepForm,
    LegalStepForm,
    PersonStepForm,
    TemporaryStepForm,
)
from apps.identity.services import registration as reg
from apps.identity.services.registration_images import (
    PERSON_SIDES,
    TEMPORARY_SIDES,
    registration_check_person_for_review,
)

BACKEND = "apps.identity.backends.RolePermissionBackend"

FLOWS = {
    "person": {"title": _("自然人注册"), "step": PersonStepForm, "account": AccountStepForm},
    "legal": {"title": _("法人注册"), "step": LegalStepForm, "account": LegalAccountStepForm},
    "temporary": {"title": _("临时法人注册"), "step": TemporaryStepForm, "account": LegalAccountStepForm},
}


def _session_key(flow: str) -> str:
    return f"identity_registration_{flow}"


def _cities():
    return reg.home_region_choices().filter(level=2).order_by("code")


class RegisterChooseView(View):
    def get(self, request):
        return render(request, "identity/register_choose.html")


class RegisterStepOneView(View):
    """Identity check: the national real-name service and the provincial police (and for legal
    persons the enterprise registry of the type, first)."""

    def dispatch(self, request, flow):
        if flow not in FLOWS:
            return redirect("sso:register")
        self.flow = flow
        return super().dispatch(request, flow)

    offer_manual = False

    def render_step(self, form):
        return render(self.request, "identity/register_step.html",
                      {"form": form, "flow": self.flow, "title": FLOWS[self.flow]["title"], "step": 1,
                       "offer_manual": self.offer_manual})

    def get(self, request, flow):
        return self.render_step(FLOWS[flow]["step"]())

    def post(self, request, flow):
        form = FLOWS[flow]["step"](request.POST)
        if form.is_valid():
            data = {**request.POST.dict(), "valid_long_term": form.cleaned_data.get("valid_long_term")}
            _review = False
            try:
                if flow == "person" and request.POST.get("action") == "manual":
                    token, _review = registration_check_person_for_review(data=data)
                elif flow == "legal":
                    token = reg.registration_check_legal_person(data=data)
                else:
                    kind = UserKind.NATURAL_PERSON if flow == "person" else UserKind.LEGAL_PERSON
                    token = reg.registration_check_person(data=data, kind=kind)
            except ValidationError as exc:
                form.add_service_errors(exc)
                self.offer_manual = flow == "person" and not hasattr(exc, "error_dict")
            else:
                request.session[_session_key(flow)] = {"token": token, "manual": flow == "person" and _review,
                                                       "enterprise_name": data.get("enterprise_name", ""),
                                                       "enterprise_type": data.get("enterprise_type", "")}
                return redirect("sso:register-account", flow=flow)
        return self.render_step(form)


class RegisterStepTwoView(View):
    """Account data; legal persons confirm the market-supervision mobile with an SMS code."""

    def dispatch(self, request, flow):
        self.flow = flow
        self.state = request.session.get(_session_key(flow)) if flow in FLOWS else None
        if not self.state:
            messages.info(request, _("请先完成第一步身份核验。"))
            return redirect("sso:register-step", flow=flow if flow in FLOWS else "person")
        return super().dispatch(request, flow)

    def render_step(self, form):
        return render(self.request, "identity/register_step.html",
                      {"form": form, "flow": self.flow, "title": FLOWS[self.flow]["title"], "step": 2,
                       "cities": _cities(), "needs_sms": self.flow != "person",
                       "image_sides": self.image_sides(), "manual": self.state.get("manual", False)})

    def image_sides(self):
        if self.flow == "temporary":
            return [(side, ImageSide(side).label, False) for side in TEMPORARY_SIDES]
        if self.flow == "person" and self.state.get("manual"):
            return [(side, ImageSide(side).label, True) for side in PERSON_SIDES]
        return []

    def get(self, request, flow):
        return self.render_step(FLOWS[flow]["account"]())

    def post(self, request, flow):
        form = FLOWS[flow]["account"](request.POST)
        data = {**request.POST.dict(), **{k: v for k, v in self.state.items() if k != "token"}}
        if request.POST.get("action") == "send_code":
            return self.send_code(form, data)
        if not form.is_valid():
            return self.render_step(form)
        register = {"person": reg.natural_person_register, "legal": reg.legal_person_register,
                    "temporary": reg.temporary_legal_person_register}[flow]
        try:
            kwargs = {"images": request.FILES} if self.flow != "legal" else {}
            user = register(verification_token=self.state["token"], data=data, channel=RegistrationChannel.PC,
                            **kwargs)
        except ValidationError as exc:
            form.add_service_errors(exc)
            return self.render_step(form)
        request.session.pop(_session_key(flow), None)
        login(request, user, backend=BACKEND)
        if user.review_status == ReviewStatus.PENDING:
            messages.success(request, _("注册成功，已为您登录。您的证件资料正在人工审核，审核通过后实名等级将提升。"))
        else:
            messages.success(request, _("注册成功，已为您登录。"))
        return redirect("sso:account")

    def send_code(self, form, data):
        mobile = (data.get("mobile_number") or "").strip()
        try:
            reg.registration_sms_code_send(verification_token=self.state["token"], mobile_number=mobile,
                                           flow=self.flow)
        except ValidationError as exc:
            form.is_valid()
            form.add_service_errors(exc)
        else:
            messages.success(self.request, _("短信验证码已发送。"))
        return self.render_step(form)


def counties(request, city):
    """The counties of a city for the cascade (IDN-1.2.1)."""
    rows = reg.home_region_choices().filter(level=3, code__startswith=city[:4]).order_by("code") \
        if len(city) == 12 and city.isdigit() else []
    return JsonResponse({"counties": [{"code": r.code, "name": r.name} for r in rows]})


urlpatterns = [
    path("register/", RegisterChooseView.as_view(), name="register"),
    path("register/<str:flow>/", RegisterStepOneView.as_view(), name="register-step"),
    path("register/<str:flow>/account/", RegisterStepTwoView.as_view(), name="register-account"),
    path("regions/<str:city>/counties/", counties, name="region-counties"),
]
