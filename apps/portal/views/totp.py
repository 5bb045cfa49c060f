"""The TOTP step of a privileged staff member's portal login (decision 0214): enrol an authenticator app on
the first login (QR code + a code to confirm), then a 6-digit code after the password every time."""
from __future__ import annotations

import base64
import io

import qrcode
from django import forms
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.identity.services import totp as totp_services

PENDING_KEY = "portal_totp_pending"
PENDING_SECONDS = 300


class TotpCodeForm(forms.Form):
    code = forms.CharField(label=_("动态口令"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "autofocus": True, "pattern": "[0-9]{6}"}),
                           error_messages={"required": _("请输入 6 位动态口令。"),
                                           "min_length": _("动态口令为 6 位数字。")})


def totp_pending_start(request, user, *, next_url: str) -> None:
    request.session[PENDING_KEY] = {"user_id": user.pk, "backend": getattr(user, "backend", ""), "next": next_url,
                                    "at": timezone.now().timestamp()}


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or timezone.now().timestamp() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    return user, pending


def _qr_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text, box_size=6, border=2).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


class TotpView(View):
    template_name = "portal/totp.html"

    def get(self, request):
        user, _pending = _pending_user(request)
        if user is None:
            return redirect("portal:login")
        context = {"form": TotpCodeForm(), "enrolling": totp_services.confirmed_device(user) is None}
        if context["enrolling"]:
            device, uri = totp_services.enrolment_start(user)
            context.update(secret=device.secret, qr=_qr_data_uri(uri))
        return render(request, self.template_name, context)

    def post(self, request):
        user, pending = _pending_user(request)
        if user is None:
            return redirect("portal:login")
        enrolling = totp_services.confirmed_device(user) is None
        form = TotpCodeForm(request.POST)
        if form.is_valid():
            try:
                totp_services.code_check(user, form.cleaned_data["code"], confirming=enrolling)
            except ValidationError as error:
                form.add_error("code", error.message_dict.get("code", error.messages))
            else:
                return self._log_in(request, user, pending)
        context = {"form": form, "enrolling": enrolling}
        if enrolling:
            device = user.totp_device
            context.update(secret=device.secret, qr=_qr_data_uri(totp_services.provisioning_uri(device)))
        return render(request, self.template_name, context, status=400)

    @staticmethod
    def _log_in(request, user, pending):
        from apps.ops.services.access import session_register

        del request.session[PENDING_KEY]
        login(request, user, backend=pending.get("backend") or "django.contrib.auth.backends.ModelBackend")
        session_register(request, user)
        return redirect(pending.get("next") or "portal:home")
