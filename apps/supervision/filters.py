"""ComplaintFilterSet: shared by the portal lists, the Excel export and the API (PORTAL-1.5, 7.2)."""
import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.filters.lean import LeanFilterSet
from apps.core.models import Organisation
from apps.supervision.models import (
    DONE_STATUSES,
    Complaint,
    ComplaintKind,
    ComplaintSource,
    ComplaintStatus,
    DeadlineStatus,
)


class ComplaintFilterSet(LeanFilterSet):
    source = django_filters.ChoiceFilter(label=_("投诉来源"), choices=ComplaintSource.choices)
    department = django_filters.ModelChoiceFilter(label=_("办件部门"), queryset=Organisation.objects.order_by("name"))
    kind = django_filters.ChoiceFilter(label=_("业务类型"), choices=ComplaintKind.choices)
    case_number = django_filters.CharFilter(label=_("办件编号"), lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("受理状态"), choices=ComplaintStatus.choices)
    text = django_filters.CharFilter(label=_("标题内容"), method="filter_text")
    submitted_from = django_filters.DateFilter(label=_("办件起始时间（起）"), field_name="submitted_at__date",
                                               lookup_expr="gte")
    submitted_to = django_filters.DateFilter(label=_("办件起始时间（止）"), field_name="submitted_at__date",
                                             lookup_expr="lte")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    replied_from = django_filters.DateFilter(label=_("回复时间（起）"), field_name="replied_at__date", lookup_expr="gte")
    deadline_status = django_filters.ChoiceFilter(label=_("时效"), choices=DeadlineStatus.choices,
                                                  method="filter_deadline")
    rating = django_filters.NumberFilter(label=_("评价类型（星级）"))
    done = django_filters.BooleanFilter(label=_("已办"), method="filter_done")

    class Meta:
        model = Complaint
        fields = ["source", "department", "kind", "case_number", "status", "text", "submitted_from", "submitted_to",
                  "region", "replied_from", "deadline_status", "rating", "done"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(content__icontains=value))

    def filter_region(self, queryset, name, value):
        from apps.core.models import Region

        region = Region.objects.filter(pk=value).first()
        return queryset.filter(region__code__startswith=region.prefix) if region else queryset.none()

    def filter_done(self, queryset, name, value):
        return queryset.filter(status__in=DONE_STATUSES) if value else queryset.exclude(status__in=DONE_STATUSES)

    def filter_deadline(self, queryset, name, value):
        from apps.core.calendar import add_working_days
        from apps.supervision.services.deadlines import DUE_SOON_DAYS

        now = timezone.now()
        open_ = queryset.exclude(status__in=DONE_STATUSES).filter(deadline__isnull=False)
        if value == DeadlineStatus.OVERDUE:
            return open_.filter(deadline__lt=now)
        soon = add_working_days(now, DUE_SOON_DAYS)
        if value == DeadlineStatus.DUE_SOON:
            return open_.filter(deadline__gte=now, deadline__lte=soon)
        return queryset.exclude(pk__in=open_.filter(deadline__lte=soon).values("pk"))
