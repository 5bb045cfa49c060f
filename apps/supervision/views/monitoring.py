"""Statistics dashboard (投诉与超期统计, ECharts) and the electronic-supervision list (预警与黄红牌)."""
from __future__ import annotations

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from apps.core.exports import ExportColumn
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.supervision.models import EarlyWarning, WarningLevel, WarningReason
from apps.supervision.selectors_dashboard import (
    chart_payload,
    dashboard_figures,
    warning_list,
)

VIEW = "supervision.view_complaint"
SUBJECTS = (("complaint", _("投诉")), ("case", _("办件")))


class DashboardView(StaffPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "supervision/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        complaints, overdue = dashboard_figures(user=self.request.user)
        context.update(title=_("投诉与超期统计"), complaints=complaints, overdue=overdue,
                       charts=chart_payload(complaints, overdue))
        return context


class WarningFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("预警级别"), choices=WarningLevel.choices)
    subject = django_filters.ChoiceFilter(label=_("监察对象"), choices=SUBJECTS, method="filter_subject")
    reason = django_filters.ChoiceFilter(label=_("监察事由"), choices=WarningReason.choices)
    raised_from = django_filters.DateFilter(label=_("发出时间（起）"), field_name="raised_at__date", lookup_expr="gte")
    raised_to = django_filters.DateFilter(label=_("发出时间（止）"), field_name="raised_at__date", lookup_expr="lte")

    class Meta:
        model = EarlyWarning
        fields = ["level", "subject", "reason", "raised_from", "raised_to"]

    def filter_subject(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})


def _when(field):
    def read(obj):
        value = getattr(obj, field)
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
    return read


class WarningListView(ScopedListView):
    """电子监察: warnings, yellow and red cards of complaints and accepted cases, in scope, exportable."""

    model = EarlyWarning
    filterset_class = WarningFilterSet
    permission_required = VIEW
    title = _("电子监察（预警与黄红牌）")
    template_name = "supervision/warning_list.html"
    export_key = "supervision.warnings"
    columns = [
        ExportColumn(_("预警级别"), "get_level_display", 10),
        ExportColumn(_("监察对象"), "subject_kind", 8),
        ExportColumn(_("监察事由"), "get_reason_display", 12),
        ExportColumn(_("办件编号"), "subject_number", 44),
        ExportColumn(_("责任部门"), "department.name", 24),
        ExportColumn(_("区划"), "region.name", 12),
        ExportColumn(_("办理期限"), _when("deadline"), 18),
        ExportColumn(_("发出时间"), _when("raised_at"), 18),
    ]

    def get_queryset(self):
        return warning_list(user=self.request.user)
