from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from apps.identity.login_forms import LockoutCaptchaMixin
from apps.portal.services import parse_month

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
        return parse_month(self.cleaned_data["month"])       # one of the offered choices

    def figures(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.figure_names}


class MonthRangeForm(forms.Form):
    """Statistics filter: a month range (YYYY-MM); both ends default to the previous month."""

    month_from = forms.CharField(label=_("起始月份"), required=False,
                                 widget=forms.TextInput(attrs={"type": "month"}))
    month_to = forms.CharField(label=_("截止月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))

    def _month(self, name):
        value = self.cleaned_data.get(name)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("月份格式应为“年-月”，如 2026-10。"))
        return month

    def clean_month_from(self):
        return self._month("month_from")

    def clean_month_to(self):
        return self._month("month_to")

    def clean(self):
        data = super().clean()
        if data.get("month_from") and data.get("month_to") and data["month_from"] > data["month_to"]:
            raise forms.ValidationError(_("起始月份不能晚于截止月份。"))
        return data


# --- Information publishing (PORTAL-5.1) -----------------------------------------------------------

def _https_urls(field, **kwargs):
    """Model URL fields become form fields that assume https:// for a bare host name."""
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ContentColumnForm(forms.ModelForm):
    """A column's attributes. Organisation and parent choices are cut to the user's scope; the
    service checks scope, depth and cycles again."""

    class Meta:
        from apps.portal.models import ContentColumn

        formfield_callback = _https_urls

        model = ContentColumn
        fields = ["name", "parent", "organisation", "column_model", "position", "is_categorised", "display_mode",
                  "link_url", "home_count", "order", "is_enabled"]
        error_messages = {
            "name": {"required": _("请填写栏目名称。"), "max_length": _("栏目名称不能超过 60 个字。")},
            "organisation": {"required": _("请选择栏目归属机构。"), "invalid_choice": _("请选择本单位或下级单位。")},
            "parent": {"invalid_choice": _("请选择可管理的上级栏目。")},
            "link_url": {"invalid": _("请输入以 http:// 或 https:// 开头的链接地址。")},
        }

    def __init__(self, *args, user, **kwargs):
        from apps.portal.selectors_columns import columns_for_user, manageable_organisations

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = manageable_organisations(user=user)
        parents = columns_for_user(user=user).order_by("order", "id")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False
        self.fields["home_count"].min_value = 1
        self.fields["home_count"].max_value = 20
        self.fields["home_count"].widget.attrs.update(min=1, max=20)
        self.fields["home_count"].error_messages.update(
            min_value=_("首页显示条数应在 1 到 20 之间。"), max_value=_("首页显示条数应在 1 到 20 之间。"))
        from django.core.validators import MaxValueValidator, MinValueValidator

        self.fields["home_count"].validators += [MinValueValidator(1), MaxValueValidator(20)]

    def _post_clean(self):
        # The service validates against the database (scope, depth, cycles); skip the model's
        # full_clean here so the form does not half-apply cleaned data to the instance.
        pass


class ArticleForm(forms.ModelForm):
    class Meta:
        from apps.portal.models import Article

        formfield_callback = _https_urls

        model = Article
        fields = ["title", "category", "summary", "body", "title_ru", "summary_ru", "body_ru", "image_url",
                  "is_published", "published_at"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12}), "summary": forms.Textarea(attrs={"rows": 3}),
                   "body_ru": forms.Textarea(attrs={"rows": 8, "lang": "ru"}),
                   "summary_ru": forms.Textarea(attrs={"rows": 3, "lang": "ru"}),
                   "title_ru": forms.TextInput(attrs={"lang": "ru"}),
                   "published_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}
        help_texts = {"published_at": _("留空则发布时取当前时间")}
        error_messages = {
            "title": {"required": _("请填写标题。"), "max_length": _("标题不能超过 120 个字。")},
            "image_url": {"invalid": _("请输入以 http:// 或 https:// 开头的图片地址。")},
            "published_at": {"invalid": _("发布时间格式不正确。")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def _post_clean(self):
        pass
