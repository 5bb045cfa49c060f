"""FilterSets of ops, shared by the portal lists and the API."""
import ipaddress

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.ops.models import (
    Alert, AlertCategory, AlertOrigin, AlertStatus, Availability, HostAsset, HostCategory, Severity, UsageStatus,
    WebsiteAsset, WorkOrder, WorkOrderPriority, WorkOrderStatus, WorkOrderSubject,
)


class WorkOrderFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("编号/标题"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=WorkOrderStatus.choices)
    subject = django_filters.ChoiceFilter(label=_("工单类型"), choices=WorkOrderSubject.choices)
    priority = django_filters.ChoiceFilter(label=_("优先级"), choices=WorkOrderPriority.choices)
    mine = django_filters.BooleanFilter(label=_("我负责的"), method="filter_mine")

    class Meta:
        model = WorkOrder
        fields = ["q", "status", "subject", "priority", "mine"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value)) if value else queryset

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        return queryset.filter(owner=user) if value and user is not None else queryset


class AlertFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("告警名称/地址"), method="filter_q")
    severity = django_filters.ChoiceFilter(label=_("等级"), choices=Severity.choices)
    category = django_filters.ChoiceFilter(label=_("分类"), choices=AlertCategory.choices)
    origin = django_filters.ChoiceFilter(label=_("来源"), choices=AlertOrigin.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=AlertStatus.choices)

    class Meta:
        model = Alert
        fields = ["q", "severity", "category", "origin", "status"]

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q(title__icontains=value) | Q(rule_name__icontains=value)
        try:
            address = str(ipaddress.ip_address(value.strip()))
        except ValueError:
            address = None
        if address:
            condition |= Q(source_ip=address) | Q(destination_ip=address)
        return queryset.filter(condition)


class WebsiteAssetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/URL/标题"), method="filter_q")
    usage_status = django_filters.ChoiceFilter(label=_("使用状态"), choices=UsageStatus.choices)
    availability = django_filters.ChoiceFilter(label=_("可用性"), choices=Availability.choices)
    group = django_filters.NumberFilter(label=_("资产组"), field_name="group_id")

    class Meta:
        model = WebsiteAsset
        fields = ["q", "usage_status", "availability", "group"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(url__icontains=value) | Q(site_title__icontains=value)
                               ) if value else queryset


HOST_CATEGORY_CHOICES = HostCategory.choices


class HostAssetFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称/IP"), method="filter_q")
    category = django_filters.ChoiceFilter(label=_("类别"), choices=HostCategory.choices)
    group = django_filters.NumberFilter(label=_("资产组"), field_name="group_id")

    class Meta:
        model = HostAsset
        fields = ["q", "category", "group"]

    def filter_q(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q(name__icontains=value)
        try:
            condition |= Q(ip_address=str(ipaddress.ip_address(value.strip())))
        except ValueError:
            pass
        return queryset.filter(condition)
