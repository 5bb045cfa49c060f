"""Forms of the portal steps and the public filing page."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.supervision.models import ComplaintKind


class ComplaintStepForm(forms.Form):
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Organisation.objects.none(), required=False)
    comment = forms.CharField(label=_("意见 / 受理结果"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=4000)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label=_("延期工作日数"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class WithdrawalForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class DoneLookupForm(forms.Form):
    case_number = forms.CharField(label=_("办件编号"), required=False, max_length=40)
    query_code = forms.CharField(label=_("查询码"), required=False, max_length=12)

    def clean(self):
        data = super().clean()
        if not data.get("case_number") and not data.get("query_code"):
            raise forms.ValidationError(_("请输入办件编号或查询码。"))
        return data


class PublicComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("投诉或建议"), choices=[(k.value, k.label) for k in
                                                          (ComplaintKind.COMPLAINT, ComplaintKind.CONSULTATION,
                                                           ComplaintKind.SUGGESTION)])
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000)
    complainant_name = forms.CharField(label=_("姓名"), max_length=64)
    complainant_mobile = forms.CharField(label=_("手机号码"), max_length=11)
    email = forms.EmailField(label=_("E_MAIL"), required=False)
    region_code = forms.ModelChoiceField(label=_("所属区划"), queryset=Region.objects.order_by("code"),
                                         to_field_name="code")
    item_code = forms.CharField(label=_("事项编码"), required=False, max_length=64)
    item_name = forms.CharField(label=_("事项名称"), required=False, max_length=200)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["region_code"] = data["region_code"].code
        return data


class PublicLookupForm(forms.Form):
    case_number = forms.CharField(label=_("办件编号"), max_length=40)
    query_code = forms.CharField(label=_("查询码"), max_length=12)


class InvestmentComplaintForm(PublicComplaintForm):
    """招商引资直通车: 我要反馈 / 我要建言 / 我要评价 (with a star rating)."""

    kind = forms.ChoiceField(label=_("类型"), choices=[(k.value, k.label) for k in
                                                      (ComplaintKind.FEEDBACK, ComplaintKind.SUGGESTION,
                                                       ComplaintKind.INVESTMENT_EVALUATION)])
    rating = forms.TypedChoiceField(label=_("评价星级（我要评价）"), required=False, coerce=int, empty_value=None,
                                    choices=[("", "—")] + [(i, f"{i}星") for i in range(1, 6)])
