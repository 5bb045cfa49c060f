"""Forms of the analytics pages."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.analytics.charts import CHARTS
from apps.analytics.models import EmbedClientKind, VisitChannel
from apps.core.daterange import DATE_INPUT
from apps.core.models import Region
from apps.core.models.regions import RegionLevel


class EmbedClientForm(forms.Form):
    name = forms.CharField(label=_("系统名称"), max_length=128)
    kind = forms.ChoiceField(label=_("系统类型"), choices=EmbedClientKind.choices)
    origin = forms.CharField(label=_("嵌入来源"), max_length=200,
                             help_text=_("允许以 iframe 嵌入图表的页面来源，如 https://zwfw.hlj.gov.cn"))
    region = forms.ModelChoiceField(label=_("数据区划"), queryset=Region.objects.none(),
                                    help_text=_("嵌入的图表只显示此区划及其下级的数据"))
    allowed_charts = forms.MultipleChoiceField(label=_("授权图表"), required=False, widget=forms.CheckboxSelectMultiple,
                                               choices=[(c.code, f"{c.code} {c.title}") for c in CHARTS.values()])
    may_report_visits = forms.BooleanField(label=_("可上报访问量"), required=False)
    visit_channel = forms.ChoiceField(label=_("访问量渠道"), required=False,
                                      choices=[("", "—")] + list(VisitChannel.choices))

    def __init__(self, *args, home: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(code__startswith=home.prefix,
                                                               level__lte=RegionLevel.COUNTY).order_by("code")
        self.fields["region"].initial = home.pk


class DatasetFilterForm(forms.Form):
    dimension = forms.CharField(label=_("维度"), required=False, max_length=32)
    start = forms.DateField(label=_("开始日期"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("结束日期"), required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data
