"""Outbox filters, shared by the portal list and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.models import OutboxMessage, OutboxStatus


class OutboxMessageFilterSet(django_filters.FilterSet):
    peer = django_filters.CharFilter(label=_("对端"))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=OutboxStatus.choices)
    created_from = django_filters.DateFilter(label=_("创建日期起"), field_name="created_at", lookup_expr="date__gte")
    created_to = django_filters.DateFilter(label=_("创建日期止"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = OutboxMessage
        fields = ["peer", "status", "created_from", "created_to"]
