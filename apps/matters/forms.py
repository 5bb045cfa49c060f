"""Portal forms: the element form shared by declaration and change, and the child-row formsets."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.matters.models import CatalogueItem, ImplementationItem
from apps.matters.services.versions import ELEMENT_FIELDS

FORM_FIELDS = [name for name in ELEMENT_FIELDS if name != "region"]


def _organisations_for(user):
    return restrict(Organisation.objects.filter(is_enabled=True), user).select_related("region").order_by("name")


class MatterElementsForm(forms.ModelForm):
    """Every editable element of a matter. Elements synced from the catalogue are shown disabled
    on implementation items (MAT-2.2 (3))."""

    online_handling_url = forms.URLField(label=_("网上办理地址"), max_length=500, required=False,
                                         assume_scheme="https")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handling_department"].queryset = _organisations_for(user)
        for name in getattr(self._meta.model, "synced_elements", ()):
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("由目录清单同步，不可修改")

    def element_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class CatalogueElementsForm(MatterElementsForm):
    class Meta:
        model = CatalogueItem
        fields = FORM_FIELDS


class ImplementationElementsForm(MatterElementsForm):
    class Meta:
        model = ImplementationItem
        fields = FORM_FIELDS


class DeclarationForm(CatalogueElementsForm):
    department = forms.ModelChoiceField(label=_("主管部门"), queryset=Organisation.objects.none())
    parent = forms.ModelChoiceField(label=_("所属大项（申报小项时选择）"), queryset=CatalogueItem.objects.none(),
                                    required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["department"].queryset = _organisations_for(user)
        self.fields["parent"].queryset = restrict(CatalogueItem.objects.filter(parent__isnull=True), user)


class StepForm(forms.Form):
    name = forms.CharField(label=_("岗位（环节）名称"), max_length=100)
    is_acceptance = forms.BooleanField(label=_("受理环节"), required=False)
    step_limit_working_days = forms.IntegerField(label=_("办理时限（工作日）"), min_value=0, initial=0)
    description = forms.CharField(label=_("办理要求"), max_length=255, required=False)


class MaterialForm(forms.Form):
    name = forms.CharField(label=_("材料名称"), max_length=200)
    is_required = forms.BooleanField(label=_("必要"), required=False, initial=True)
    original_copies = forms.IntegerField(label=_("原件份数"), min_value=0, initial=1)
    photocopy_copies = forms.IntegerField(label=_("复印件份数"), min_value=0, initial=0)
    source = forms.CharField(label=_("来源渠道"), max_length=100, required=False)
    is_proof = forms.BooleanField(label=_("证明类材料"), required=False)


StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True)
MaterialFormSet = forms.formset_factory(MaterialForm, extra=2, can_delete=True)


def formset_rows(formset) -> list[dict]:
    """Cleaned rows of a formset, blank extra rows and deleted rows dropped, in order."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append({key: value for key, value in data.items() if key != "DELETE"})
    return rows


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("approve", _("同意")), ("reject", _("驳回"))],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CodeCorrectionForm(forms.Form):
    code = forms.CharField(label=_("正确编码"), max_length=50)
    reason = forms.CharField(label=_("修正原因"), widget=forms.Textarea(attrs={"rows": 2}))
