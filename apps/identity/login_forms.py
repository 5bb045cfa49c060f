"""Login forms of identity: password (lockout + captcha + exit-entry number), SMS code."""
from __future__ import annotations

from django import forms
from django.contrib.auth import signals as auth_signals
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.identity.captcha import captcha_check
from apps.identity.services.login import (
    captcha_required,
    login_failure_record,
    login_failures_clear,
    login_is_locked,
    resolve_login_name,
)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LockoutCaptchaMixin(forms.Form):
    """Mix into an AuthenticationForm (public or work-portal login): lockout after repeated
    failures, a captcha once a login name has failed, and the exit-entry document number accepted
    as login name (IDN-1.3.1).

    Every refused attempt leaves exactly ONE audit record: a wrong password is recorded by the
    kernel's `user_login_failed` receiver (Django's `authenticate()` sends the signal); the
    refusals `authenticate()` never sees (wrong captcha, locked name, or an account the form's
    `confirm_login_allowed` rejects) send the same signal here, so they are recorded the same way
    (for a staff account: pointing at it, with its organisation)."""

    captcha = forms.CharField(label=_("验证码"), required=False, max_length=8)

    lockout_messages = {
        "locked": _("连续登录失败次数过多，账号已临时锁定，请稍后再试或使用短信验证码登录。"),
        "captcha": _("图形验证码错误，请重新输入。"),
    }

    @property
    def show_captcha(self) -> bool:
        name = self.data.get("username") if self.is_bound else ""
        return bool(self.request and self.request.session.get("identity_login_failed")) or (
            bool(name) and captcha_required(resolve_login_name(name)))

    def clean(self):
        raw = (self.cleaned_data.get("username") or "").strip()
        username = resolve_login_name(raw)
        self.cleaned_data["username"] = username
        if username and login_is_locked(username):
            self._signal_failure(username)
            raise ValidationError(self.lockout_messages["locked"], code="locked")
        if username and captcha_required(username) and not captcha_check(self.request.session,
                                                                         self.cleaned_data.get("captcha")):
            self._failed()
            self._signal_failure(username)
            raise ValidationError(self.lockout_messages["captcha"], code="captcha")
        try:
            cleaned = super().clean()
        except ValidationError:
            if username:
                login_failure_record(username=username, ip_address=client_ip(self.request))
                if self.get_user() is not None:
                    # authenticate() succeeded, confirm_login_allowed refused: no signal was sent.
                    self._signal_failure(username)
            self._failed()
            raise
        login_failures_clear(username=username)
        if self.request is not None:
            self.request.session.pop("identity_login_failed", None)
        return cleaned

    def _signal_failure(self, username: str) -> None:
        auth_signals.user_login_failed.send(sender=type(self), credentials={"username": username},
                                            request=self.request)

    def _failed(self) -> None:
        if self.request is not None:
            self.request.session["identity_login_failed"] = True


class SmsLoginForm(forms.Form):
    mobile_number = forms.CharField(label=_("手机号码"), max_length=11)
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)
