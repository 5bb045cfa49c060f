from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class StaffAuthenticationForm(AuthenticationForm):
    """Only staff accounts may log in to the work portal."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "not_staff": _("该账号不是政务工作人员账号，请从黑龙江政务服务网登录。"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not (user.is_staff_user or user.is_superuser):
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")
