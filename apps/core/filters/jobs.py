"""Job list filters (the "my jobs" page and the API)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.models.jobs import JobRun, JobStatus


class JobRunFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=JobStatus.choices, label=_("状态"))
    kind = django_filters.CharFilter(label=_("任务类型"))
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("任务名称"))

    class Meta:
        model = JobRun
        fields = ["status", "kind", "title"]
