"""Portal forms of efficiency supervision (MAT-6.1, 6.2) and the leader column (PORTAL-3.1).

The forms only shape input; every rule (uniqueness, permission, region) is checked by the
services, whose ValidationError messages the views put back on the form.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region
from apps.supervision.models import (
    AssessmentMethod,
    IndicatorMetric,
    LeaderPostKind,
    SupervisionIndicator,
    SupervisionTheme,
)


class IndicatorForm(forms.Form):
    theme = forms.ChoiceField(label=_("主题"), choices=SupervisionTheme.choices)
    number = forms.CharField(label=_("指标编号"), max_length=32)
    name = forms.CharField(label=_("指标名称"), max_length=100)
    metric = forms.ChoiceField(label=_("使用数据"), choices=IndicatorMetric.choices)
    data_source = forms.CharField(label=_("数据来源"), max_length=200)


class RuleForm(forms.Form):
    name = forms.CharField(label=_("细则名称"), max_length=100, required=False)
    method = forms.ChoiceField(label=_("考评方式"), choices=[("", "---------"), *AssessmentMethod.choices],
                               required=False)
    score = forms.DecimalField(label=_("分值"), max_digits=6, decimal_places=2, required=False)
    deduction = forms.DecimalField(label=_("每件扣分"), max_digits=6, decimal_places=2, required=False)

    def rule(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("name") and not data.get("method") and data.get("score") is None:
            return None
        return {"name": data.get("name") or "", "method": data.get("method") or "",
                "score": data.get("score") if data.get("score") is not None else 0,
                "deduction": data.get("deduction") or 0}


RuleFormSet = forms.formset_factory(RuleForm, extra=3, max_num=10)


class DataSourceForm(forms.Form):
    data_source = forms.CharField(label=_("数据来源"), max_length=200)


class TaskForm(forms.Form):
    name = forms.CharField(label=_("任务名称"), max_length=100)
    theme = forms.ChoiceField(label=_("主题"), choices=SupervisionTheme.choices)
    indicators = forms.ModelMultipleChoiceField(label=_("监督指标"), widget=forms.CheckboxSelectMultiple,
                                                queryset=SupervisionIndicator.objects.filter(active=True))
    region = forms.ModelChoiceField(label=_("考评区划"), queryset=Region.objects.order_by("code"))
    period_start = forms.DateField(label=_("考评期起"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("考评期止"), widget=forms.DateInput(attrs={"type": "date"}))


class ManualScoreForm(forms.Form):
    department = forms.IntegerField(label=_("考评对象"), widget=forms.Select)
    indicator = forms.IntegerField(label=_("监督指标"), widget=forms.Select)
    score = forms.DecimalField(label=_("得分"), max_digits=8, decimal_places=2)


class LeaderPostForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=LeaderPostKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
