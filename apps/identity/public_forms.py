"""Forms of the public identity pages (registration, account centre, agents). They only parse
and render; the services validate and write (their errors are put back on the fields)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.identity.forms import ServiceForm
from apps.identity.models import EnterpriseType, IdType
from apps.identity.models.agents import AgentScope

DATE = forms.DateInput(attrs={"type": "date"})


class PersonStepForm(ServiceForm):
    """Step one of natural-person registration (IDN-1.8.1)."""

    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = forms.CharField(label=_("证件号码"), max_length=32)
    valid_from = forms.DateField(label=_("证件有效期起"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("证件有效期止"), required=False, widget=DATE)
    valid_long_term = forms.BooleanField(label=_("长期有效"), required=False)


class LegalStepForm(ServiceForm):
    """Step one of legal-person registration (IDN-1.8.2)."""

    enterprise_type = forms.ChoiceField(label=_("法人类型"), choices=EnterpriseType.choices)
    enterprise_name = forms.CharField(label=_("单位名称"), max_length=128)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    id_type = forms.ChoiceField(label=_("法定代表人证件类型"), choices=IdType.choices)
    name = forms.CharField(label=_("法定代表人姓名"), max_length=64)
    id_number = forms.CharField(label=_("法定代表人证件号码"), max_length=32)
    valid_from = forms.DateField(label=_("证件有效期起"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("证件有效期止"), required=False, widget=DATE)
    valid_long_term = forms.BooleanField(label=_("长期有效"), required=False)


class TemporaryStepForm(PersonStepForm):
    """Step one of a temporary legal person: the enterprise name and its representative."""

    enterprise_type = forms.ChoiceField(label=_("法人类型"), choices=EnterpriseType.choices)
    enterprise_name = forms.CharField(label=_("单位名称"), max_length=128)
    field_order = ["enterprise_type", "enterprise_name", "id_type", "name", "id_number", "valid_from", "valid_to",
                   "valid_long_term"]


class AccountStepForm(ServiceForm):
    """Step two: login name, mobile, password, home region (city → county)."""

    username = forms.CharField(label=_("登录名"), max_length=150)
    mobile_number = forms.CharField(label=_("手机号码"), max_length=11)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password_confirm = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)
    home_region = forms.CharField(label=_("归属区划"), max_length=12, widget=forms.HiddenInput, required=False)


class LegalAccountStepForm(AccountStepForm):
    sms_code = forms.CharField(label=_("短信验证码"), max_length=6, required=False)


class HomeRegionForm(ServiceForm):
    home_region = forms.CharField(label=_("归属区划"), max_length=12, widget=forms.HiddenInput, required=False)


class CreditCodeForm(ServiceForm):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)


class AgentForm(ServiceForm):
    agent_name = forms.CharField(label=_("经办人姓名"), max_length=64)
    agent_id_number = forms.CharField(label=_("经办人身份证号码"), max_length=18)
    scopes = forms.MultipleChoiceField(label=_("授权范围"), choices=AgentScope.choices,
                                       widget=forms.CheckboxSelectMultiple, required=False)
    valid_until = forms.DateTimeField(label=_("有效期至"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    remarks = forms.CharField(label=_("备注"), max_length=200, required=False)
