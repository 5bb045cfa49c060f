"""The second step of a two-factor portal login (OPS-5.5), and the staff member's own choice of factor."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from apps.core.forms import add_service_errors
from apps.core.views.mixins import StaffRequiredMixin
from apps.ops.models import SecondFactor, StaffSecondFactor
from apps.ops.services.access import PENDING_KEY, challenge_send, challenge_verify, second_factor_set


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("验证码"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class LoginVerifyView(View):
    template_name = "ops/login_verify.html"

    def get(self, request):
        if PENDING_KEY not in request.session:
            return redirect("portal:login")
        return render(request, self.template_name, {"form": CodeForm()})

    def post(self, request):
        if PENDING_KEY not in request.session:
            return redirect("portal:login")
        if "resend" in request.POST:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.get(pk=request.session[PENDING_KEY]["user_id"])
            try:
                challenge_send(user=user)
                messages.info(request, _("验证码已重新发送。"))
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            return redirect("ops:login-verify")
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                _user, next_url = challenge_verify(request, code=form.cleaned_data["code"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                    next_url = "/portal/"
                return redirect(next_url)
        return render(request, self.template_name, {"form": form}, status=400)


class FactorForm(forms.Form):
    method = forms.ChoiceField(label=gettext_lazy("第二因子"), choices=SecondFactor.choices)


class SecondFactorView(StaffRequiredMixin, View):
    template_name = "ops/form.html"

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form, "title": _("双因子认证设置")}, status=status)

    def get(self, request):
        current = StaffSecondFactor.objects.filter(user=request.user).values_list("method", flat=True).first()
        return self._render(request, FactorForm(initial={"method": current or SecondFactor.SMS}))

    def post(self, request):
        form = FactorForm(request.POST)
        if form.is_valid():
            try:
                second_factor_set(user=request.user, method=form.cleaned_data["method"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("ops:second-factor")
        return self._render(request, form, status=400)
