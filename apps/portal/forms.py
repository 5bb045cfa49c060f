from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from apps.identity.login_forms import LockoutCaptchaMixin

LOGIN_ERRORS = {
    "invalid_login": _("用户名或密码错误，请重新输入（密码区分大小写）。"),
    "inactive": _("该账号已停用，请联系本单位管理员。"),
}


class PlatformAuthenticationForm(AuthenticationForm):
    """Login form with clear Chinese messages, shared by the portal and the public site."""

    error_messages = {**AuthenticationForm.error_messages, **LOGIN_ERRORS}

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = _("请输入用户名。")
        self.fields["password"].error_messages["required"] = _("请输入密码。")
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class StaffAuthenticationForm(LockoutCaptchaMixin, PlatformAuthenticationForm):
    """Only staff accounts may log in to the work portal; repeated failures bring a captcha and
    then a temporary lockout (identity's mixin, IDN-1.1), each refusal audited once."""

    error_messages = {
        **PlatformAuthenticationForm.error_messages,
        "not_staff": _("该账号不是政务工作人员账号，请从黑龙江政务服务网登录。"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not (user.is_staff_user or user.is_superuser):
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")
