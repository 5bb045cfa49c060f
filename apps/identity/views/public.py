"""Public identity pages under /sso/: SMS and QR-code login, captcha, real-name level upgrade,
account centre (home region, credit code), agents (IDN-8.x)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from apps.identity.captcha import captcha_new, captcha_png
from apps.identity.login_forms import SmsLoginForm
from apps.identity.models import AgentAuthorisation, LoginMethod, UserKind
from apps.identity.public_forms import AgentForm, CreditCodeForm, HomeRegionForm
from apps.identity.selectors import (
    agent_active_for,
    agent_authorisations_given,
    agent_authorisations_received,
)
from apps.identity.services import agents as agent_services
from apps.identity.services import login as login_services
from apps.identity.services.apis import business_require
from apps.identity.services.enterprise import enterprise_info_change
from apps.identity.services.registration import (
    home_region_choices,
    legal_person_convert,
    user_change_home_region,
)
from apps.identity.services.signin import sign_in
from apps.identity.sso.views import ACTING_FOR_SESSION_KEY, acting_for
from apps.identity.views import registration


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def captcha_image(request):
    response = HttpResponse(captcha_png(captcha_new(request.session)), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


class SmsLoginView(View):
    """IDN-1.6: a registered natural person logs in with a code sent to the mobile; the page is
    refused while the `sms_login` business control (IDN-5.3) is switched off."""

    def dispatch(self, request, *args, **kwargs):
        try:
            business_require(login_services.SMS_LOGIN_BUSINESS)
        except PermissionDenied as exc:
            return render(request, "identity/sso_error.html", {"message": str(exc)}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form):
        return render(self.request, "identity/login_sms.html", {"form": form, "next": _next(self.request, "")})

    def get(self, request):
        return self.render_page(SmsLoginForm())

    def post(self, request):
        form = SmsLoginForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        mobile = form.cleaned_data["mobile_number"]
        try:
            if request.POST.get("action") == "send_code":
                login_services.sms_login_send(mobile_number=mobile)
                messages.success(request, _("短信验证码已发送，5 分钟内有效。"))
                return self.render_page(form)
            user = login_services.sms_login(mobile_number=mobile, code=form.cleaned_data["sms_code"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.render_page(form)
        sign_in(request, user, LoginMethod.SMS)
        return redirect(_next(request, reverse("public:home")))


class QrLoginView(View):
    """IDN-1.7: the PC page shows a one-time code as a QR image and polls until the app confirms."""

    def get(self, request):
        if not request.session.session_key:
            request.session.save()
        qr = login_services.qr_login_start(browser_key=login_services.browser_key_for(request.session.session_key))
        return render(request, "identity/login_qr.html", {"qr": qr, "next": _next(request, "")})


def qr_image(request, token):
    import qrcode

    image = qrcode.make(f"hljzwfw://qr-login?token={token}", box_size=6, border=2)
    response = HttpResponse(content_type="image/png")
    image.save(response, "PNG")
    return response


def qr_poll(request, token):
    status, user = login_services.qr_login_poll(
        token=token, browser_key=login_services.browser_key_for(request.session.session_key or ""))
    if user is not None:
        sign_in(request, user, LoginMethod.QR_FACE)
        return JsonResponse({"status": "logged_in", "next": _next(request, reverse("public:home"))})
    return JsonResponse({"status": str(status)})


class LevelUpgradeView(LoginRequiredMixin, View):
    """IDN-4.1: a system requiring a higher real-name level sends the user here; a public-security
    face check (IDN-7.4) raises the account to level three, then the user goes on."""

    def get(self, request):
        return render(request, "identity/level_upgrade.html", {"next": _next(request, ""),
                                                               "level": request.GET.get("level", "3")})

    def post(self, request):
        from apps.identity.services.levels import real_name_upgrade_by_face

        try:
            real_name_upgrade_by_face(user=request.user, image_base64=request.POST.get("face_image", ""))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect(f"{reverse('sso:level-upgrade')}?next={_next(request, '')}")
        messages.success(request, _("实名等级已提升为三级。"))
        return redirect(_next(request, reverse("sso:account")))


class AccountView(LoginRequiredMixin, View):
    """Account centre: level, home region (IDN-1.4), credit code of a temporary legal person (1.5)."""

    def context(self, **extra):
        user = self.request.user
        return {"region_form": HomeRegionForm(initial={"home_region": user.home_region_id}),
                "credit_form": CreditCodeForm(), "cities": home_region_choices().filter(level=2).order_by("code"),
                "acting_for": acting_for(self.request), "agent_of": agent_active_for(agent=user), **extra}

    def get(self, request):
        if request.user.kind == UserKind.STAFF:
            return redirect("portal:home")
        return render(request, "identity/account.html", self.context())

    def post(self, request):
        action = request.POST.get("action")
        try:
            if action == "home_region":
                user_change_home_region(user=request.user, region_code=request.POST.get("home_region", ""),
                                        actor=request.user)
                messages.success(request, _("归属区划已修改。"))
            elif action == "credit_code":
                legal_person_convert(user=request.user, credit_code=request.POST.get("credit_code", ""),
                                     actor=request.user)
                messages.success(request, _("已转为正式法人账号，统一社会信用代码已锁定。"))
            elif action == "enterprise":
                enterprise_info_change(user=request.user, data=request.POST.dict(), actor=request.user)
                messages.success(request, _("企业信息已核验并变更。"))
            elif action == "act_for":
                self.switch(request)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        return redirect("sso:account")

    @staticmethod
    def switch(request):
        target = request.POST.get("legal_person") or ""
        if not target:
            request.session.pop(ACTING_FOR_SESSION_KEY, None)
            messages.success(request, _("已切换回本人身份。"))
            return
        authorisation = agent_services.agent_act_check(agent=request.user, legal_person_id=int(target))
        request.session[ACTING_FOR_SESSION_KEY] = authorisation.legal_person_id
        messages.success(request, _("您正在代理“%(name)s”办事。") % {"name": authorisation.legal_person.full_name})


class AgentListView(LoginRequiredMixin, View):
    """IDN-8.1 / 8.2: the legal person's agents, and the natural person's received authorisations."""

    def render_page(self, form=None):
        user = self.request.user
        return render(self.request, "identity/agents.html", {
            "form": form or AgentForm(), "given": agent_authorisations_given(user=user),
            "received": agent_authorisations_received(user=user), "is_legal": user.kind == UserKind.LEGAL_PERSON})

    def get(self, request):
        return self.render_page()

    def post(self, request):
        form = AgentForm(request.POST)
        if form.is_valid():
            try:
                agent_services.agent_authorise(
                    legal_person=request.user, agent_id_number=form.cleaned_data["agent_id_number"],
                    agent_name=form.cleaned_data["agent_name"], scopes=form.cleaned_data["scopes"],
                    valid_until=form.cleaned_data["valid_until"], remarks=form.cleaned_data["remarks"],
                    actor=request.user)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已授权，等待经办人确认。"))
                return redirect("sso:agents")
        return self.render_page(form)


class AgentDecideView(LoginRequiredMixin, View):
    ACTIONS = {"accept": agent_services.agent_accept, "reject": agent_services.agent_reject,
               "revoke": agent_services.agent_revoke}

    def post(self, request, pk, action):
        if action not in self.ACTIONS:
            raise Http404
        authorisation = get_object_or_404(AgentAuthorisation, pk=pk)
        if request.user.pk not in (authorisation.agent_id, authorisation.legal_person_id):
            raise Http404
        try:
            self.ACTIONS[action](authorisation=authorisation, actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, exc.messages[0] if hasattr(exc, "messages") else str(exc))
        return redirect("sso:agents")


urlpatterns = [
    *registration.urlpatterns,
    path("captcha.png", captcha_image, name="captcha"),
    path("login/sms/", SmsLoginView.as_view(), name="login-sms"),
    path("login/qr/", QrLoginView.as_view(), name="login-qr"),
    path("login/qr/<str:token>.png", qr_image, name="login-qr-image"),
    path("login/qr/<str:token>/status/", qr_poll, name="login-qr-poll"),
    path("level-upgrade/", LevelUpgradeView.as_view(), name="level-upgrade"),
    path("account/", AccountView.as_view(), name="account"),
    path("account/agents/", AgentListView.as_view(), name="agents"),
    path("account/agents/<int:pk>/<str:action>/", AgentDecideView.as_view(), name="agent-decide"),
]
