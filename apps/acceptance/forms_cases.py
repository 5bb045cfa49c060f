"""Forms of the one-window pages, the dispatch centre and case codes."""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models import (
    CaseClassification, DeliveryEventKind, DeliveryMethod, NetworkType, ResultType, SystemType,
)
from apps.acceptance.services.onewindow import PreReviewDecision


class PreReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("预审意见"), choices=PreReviewDecision.CHOICES, widget=forms.RadioSelect)
    opinion = forms.CharField(label=_("意见说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    supplement_days = forms.IntegerField(label=_("补正期限（工作日）"), min_value=1, max_value=30, initial=5)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("不予受理理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class SupplementForm(forms.Form):
    content = forms.CharField(label=_("需补正的内容"), widget=forms.Textarea(attrs={"rows": 2}))
    working_days = forms.IntegerField(label=_("补正期限（工作日）"), min_value=1, max_value=30, initial=5)


class SupplementSubmitForm(forms.Form):
    note = forms.CharField(label=_("补正说明"), max_length=500, required=False)
    file = forms.FileField(label=_("补正材料"), required=False)


class IssueForm(forms.Form):
    method = forms.ChoiceField(label=_("出件方式"), choices=DeliveryMethod.choices)
    recipient = forms.CharField(label=_("领取人/收件人"), max_length=64)
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    waybill_number = forms.CharField(label=_("运单号"), max_length=40, required=False)


class SignForForm(forms.Form):
    result_type = forms.ChoiceField(label=_("结果类型"), choices=ResultType.choices)
    copies = forms.IntegerField(label=_("份数"), min_value=1, max_value=99, initial=1)
    photo = forms.FileField(label=_("结果照片"))
    checked = forms.BooleanField(label=_("已核对结果与审批决定一致"), required=False)
    check_note = forms.CharField(label=_("核对说明"), max_length=500, required=False)


class TrackForm(forms.Form):
    kind = forms.ChoiceField(label=_("流转节点"), choices=DeliveryEventKind.choices)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label=_("申请人"), max_length=128)
    applicant_id_number = forms.CharField(label=_("证件号码"), max_length=18)
    applicant_mobile = forms.CharField(label=_("联系电话"), max_length=11, required=False)
    internal_review_opinion = forms.CharField(
        label=_("单位内审意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("法人单位申报时可填写本单位内部审核意见，供预审人员参考。"))


class ClientForm(forms.Form):
    name = forms.CharField(label=_("应用名称"), max_length=100)
    system_type = forms.ChoiceField(label=_("系统类型"), choices=SystemType.choices)
    address = forms.URLField(label=_("系统地址"), max_length=300, assume_scheme="http")
    description = forms.CharField(label=_("详细描述"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RouteForm(forms.Form):
    name = forms.CharField(label=_("路由名称"), max_length=100)
    address = forms.URLField(label=_("路由地址"), max_length=300, assume_scheme="http")
    network_type = forms.ChoiceField(label=_("网络类型"), choices=NetworkType.choices)
    description = forms.CharField(label=_("路由描述"), max_length=300, required=False)
    creator_name = forms.CharField(label=_("创建人"), max_length=64)
    creator_contact = forms.CharField(label=_("联系方式"), max_length=64)


class BagHandoverForm(forms.Form):
    to_party = forms.CharField(label=_("接收方"), max_length=100)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class ClassifyForm(forms.Form):
    """ACC-6.5: re-mark a case's handling mode."""

    classification = forms.ChoiceField(label=_("申办件分类"), choices=CaseClassification.choices)
