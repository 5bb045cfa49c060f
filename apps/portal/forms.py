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


# --- Monthly case report (PORTAL-11) ---------------------------------------------------------------

def _month_label(month) -> str:
    return f"{month:%Y年%m月}"


class MonthlyCaseReportForm(forms.Form):
    """The form of one report variant: the month (current or previous) and exactly the variant's
    figures as non-negative integers. The service validates again; this gives field errors."""

    month = forms.ChoiceField(label=_("填报月份"), error_messages={"required": _("请选择填报月份。"),
                                                                   "invalid_choice": _("只能填报本月和上月的月报。")})

    def __init__(self, *args, variant: str, months: list, **kwargs):
        from apps.portal.models import FIGURE_LABELS, VARIANT_FIGURES

        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(f"{m:%Y-%m}", _month_label(m)) for m in months]
        self.figure_names = VARIANT_FIGURES[variant]
        for name in self.figure_names:
            label = FIGURE_LABELS[name]
            self.fields[name] = forms.IntegerField(
                label=label, min_value=0, max_value=2_147_483_647,
                widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"}),
                error_messages={"required": _("请填写“%(label)s”。") % {"label": label},
                                "invalid": _("“%(label)s”必须是整数。") % {"label": label},
                                "min_value": _("“%(label)s”不能为负数。") % {"label": label},
                                "max_value": _("“%(label)s”超出允许范围。") % {"label": label}})

    def clean_month(self):
        from datetime import date

        year, month = self.cleaned_data["month"].split("-")
        return date(int(year), int(month), 1)

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.figure_names}


class MonthRangeForm(forms.Form):
    """Statistics filter: a month range (YYYY-MM); both ends default to the previous month."""

    month_from = forms.CharField(label=_("起始月份"), required=False,
                                 widget=forms.TextInput(attrs={"type": "month"}))
    month_to = forms.CharField(label=_("截止月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def _month(self, name):
        from datetime import date

        value = self.cleaned_data.get(name)
        if not value:
            return None
        try:
            year, month = value.split("-")
            return date(int(year), int(month), 1)
        except ValueError:
            raise forms.ValidationError(_("月份格式应为“年-月”，如 2026-10。")) from None

    def clean_month_from(self):
        return self._month("month_from")

    def clean_month_to(self):
        return self._month("month_to")

    def clean(self):
        data = super().clean()
        if data.get("month_from") and data.get("month_to") and data["month_from"] > data["month_to"]:
            raise forms.ValidationError(_("起始月份不能晚于截止月份。"))
        return data
