"""SMS filters, shared by the portal lists and the API."""
import django_filters
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import keyed_digest
from apps.core.models import OutboxStatus, SmsMessage, SmsSchedule


class SmsMessageFilterSet(django_filters.FilterSet):
    mobile_number = django_filters.CharFilter(label=_("手机号码"), method="filter_mobile")
    purpose = django_filters.CharFilter(label=_("用途"), lookup_expr="startswith")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=OutboxStatus.choices,
                                         field_name="outbox_message__status")
    created_from = django_filters.DateFilter(label=_("发送日期起"), field_name="created_at", lookup_expr="date__gte")
    created_to = django_filters.DateFilter(label=_("发送日期止"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = SmsMessage
        fields = ["mobile_number", "purpose", "status", "created_from", "created_to"]

    def filter_mobile(self, queryset, name, value):
        return queryset.filter(mobile_number_digest=keyed_digest(value)) if value else queryset


class SmsScheduleFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("名称"), lookup_expr="icontains")
    enabled = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = SmsSchedule
        fields = ["name", "enabled"]
