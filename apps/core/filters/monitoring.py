"""Filters of the monitoring pages (PORTAL-7.10, 7.12, 7.13)."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import keyed_digest
from apps.core.models import (InterfaceMaintainer, FrontEndProcessor, InterfaceStatus, MonitoredInterface,
                              ProcessorStatus)


class MonitoredInterfaceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("接口"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=InterfaceStatus.choices)

    class Meta:
        model = MonitoredInterface
        fields = ["q", "status"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value)) if value else queryset


class FrontEndProcessorFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("前置机名称"), lookup_expr="icontains")
    data_source = django_filters.CharFilter(label=_("数据来源代码"), field_name="data_source__code",
                                            lookup_expr="iexact")
    status = django_filters.ChoiceFilter(label=_("连接状态"), choices=ProcessorStatus.choices)

    class Meta:
        model = FrontEndProcessor
        fields = ["name", "data_source", "status"]


class InterfaceMaintainerFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("姓名"), lookup_expr="icontains")
    mobile_number = django_filters.CharFilter(label=_("手机号码"), method="filter_mobile")
    organisation_name = django_filters.CharFilter(label=_("所属单位"), lookup_expr="icontains")
    interface = django_filters.ModelChoiceFilter(label=_("维护的接口"), field_name="interfaces",
                                                 queryset=MonitoredInterface.objects.all())
    is_active = django_filters.BooleanFilter(label=_("接收预警"))

    class Meta:
        model = InterfaceMaintainer
        fields = ["name", "mobile_number", "organisation_name", "interface", "is_active"]

    def filter_mobile(self, queryset, name, value):
        return queryset.filter(mobile_number_digest=keyed_digest(value.strip())) if value else queryset
