from django import forms
from django.utils.translation import gettext_lazy as _

from apps.identity.login_forms import LockoutCaptchaMixin
from apps.portal.forms import PlatformAuthenticationForm


class PublicAuthenticationForm(LockoutCaptchaMixin, PlatformAuthenticationForm):
    """Natural and legal persons log in on the public site; staff use the portal. Lockout after
    repeated failures, a captcha once a login name has failed, and the exit-entry document number
    accepted as login name (apps.identity.login_forms)."""

    error_messages = {
        **PlatformAuthenticationForm.error_messages,
        "staff": _("政务工作人员请从工作门户登录。"),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_staff_user:
            raise forms.ValidationError(self.error_messages["staff"], code="staff")
