"""FilterSets shared by the data-log page and the API (ANA-1.3)."""
import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from apps.analytics.models import DataLog, DataLogKind, TopicDataset
from apps.core.daterange import DATE_INPUT


class DataLogFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("日志类型"), choices=DataLogKind.choices)
    dataset = django_filters.ModelChoiceFilter(label=_("专题库"), queryset=TopicDataset.objects.order_by("code"))
    job_id = django_filters.NumberFilter(label=_("刷新任务号"), field_name="job_id")
    start = django_filters.DateFilter(label=_("开始日期"), field_name="created_at", lookup_expr="date__gte",
                                      widget=DATE_INPUT)
    end = django_filters.DateFilter(label=_("结束日期"), field_name="created_at", lookup_expr="date__lte",
                                    widget=DATE_INPUT)
    q = django_filters.CharFilter(label=_("摘要包含"), field_name="summary", lookup_expr="icontains",
                                  widget=forms.TextInput(attrs={"placeholder": _("关键字")}))

    class Meta:
        model = DataLog
        fields = ["kind", "dataset", "job_id", "start", "end", "q"]
