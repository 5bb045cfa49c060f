"""Alert pages (OPS-3.12): the list with the eleven preset quick filters, and the detail page where
an alert becomes a work_order (OPS-4.4)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.core.exports import ExportColumn
from apps.core.forms import add_service_errors
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.core.workflow import timeline_for
from apps.ops.filters import AlertFilterSet
from apps.ops.forms import WorkOrderCreateForm
from apps.ops.models import Alert, AlertStatus
from apps.ops.selectors import QUICK_FILTERS, alert_list
from apps.ops.services.work_orders import work_order_from_alert

VIEW = "ops.view_security"


class AlertListView(ScopedListView):
    model = Alert
    filterset_class = AlertFilterSet
    permission_required = VIEW
    title = gettext_lazy("安全告警")
    template_name = "ops/alerts/list.html"
    columns = [ExportColumn(gettext_lazy("告警名称"), "title", 30), ExportColumn(gettext_lazy("等级"), "get_severity_display", 8),
               ExportColumn(gettext_lazy("分类"), "get_category_display", 10),
               ExportColumn(gettext_lazy("来源"), "get_origin_display", 10),
               ExportColumn(gettext_lazy("方向"), "get_direction_display", 10),
               ExportColumn(gettext_lazy("源地址"), "source_ip", 16), ExportColumn(gettext_lazy("目的地址"), "destination_ip", 16),
               ExportColumn(gettext_lazy("次数"), "count", 6), ExportColumn(gettext_lazy("最近发生"), "last_seen_at", 18),
               ExportColumn(gettext_lazy("状态"), "get_status_display", 8)]

    def get_queryset(self):
        return alert_list(quick=self.request.GET.get("quick"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "quick_filters": QUICK_FILTERS,
                "quick": self.request.GET.get("quick", "")}


class AlertDetailView(StaffPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "ops/alerts/detail.html"

    def get_context_data(self, **kwargs):
        alert = get_object_or_404(Alert.objects.select_related("asset", "event"), pk=self.kwargs["pk"])
        return {**super().get_context_data(**kwargs), "alert": alert, "title": alert.title,
                "work_orders": list(alert.work_orders.select_related("owner")), "transitions": timeline_for(alert),
                "can_work_order": self.request.user.has_perm("ops.add_workorder") and alert.status == AlertStatus.OPEN,
                "form": kwargs.get("form") or WorkOrderCreateForm(initial={"title": alert.title})}


class AlertWorkOrderCreateView(StaffPermissionMixin, View):
    permission_required = "ops.add_workorder"

    def post(self, request, pk):
        alert = get_object_or_404(Alert, pk=pk)
        form = WorkOrderCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                work_order = work_order_from_alert(alert=alert, by=request.user, owner=data["owner"], title=data["title"],
                                           priority=data["priority"], due_at=data["due_at"],
                                           related_users=data["related_users"], description=data["description"],
                                           notify_sms=data["notify_sms"], notify_email=data["notify_email"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已创建工单 %(n)s。") % {"n": work_order.number})
                return redirect(work_order.get_absolute_url())
        view = AlertDetailView(request=request, kwargs={"pk": pk})
        return render(request, AlertDetailView.template_name, view.get_context_data(form=form), status=400)
