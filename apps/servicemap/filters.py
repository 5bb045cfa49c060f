"""FilterSets of the service map's back-office lists (shared by list pages and exports)."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.servicemap.models import PushStatus, RequestTarget, WindowBooking, WindowConsultation


class _RequestFilterSet(django_filters.FilterSet):
    number = django_filters.CharFilter(label=_("单号"), lookup_expr="icontains")
    hall = django_filters.CharFilter(label=_("大厅名称"), field_name="hall__name", lookup_expr="icontains")
    region = django_filters.CharFilter(label=_("区划代码"), method="filter_region")
    target = django_filters.ChoiceFilter(label=_("推送目标"), choices=RequestTarget.choices)
    status = django_filters.ChoiceFilter(label=_("推送状态"), choices=PushStatus.choices)

    def filter_region(self, queryset, name, value):
        return queryset.filter(hall__region__code__startswith=value.rstrip("0")[:12]) if value else queryset


class WindowBookingFilterSet(_RequestFilterSet):
    class Meta:
        model = WindowBooking
        fields = ["number", "hall", "region", "target", "status"]


class WindowConsultationFilterSet(_RequestFilterSet):
    class Meta:
        model = WindowConsultation
        fields = ["number", "hall", "region", "target", "status"]
