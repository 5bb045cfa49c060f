"""WorkOrder pages (OPS-4.4, 4.5): list, detail with its flow history and the step forms, dashboard."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from apps.core import charts
from apps.core.exports import ExportColumn
from apps.core.forms import add_service_errors
from apps.core.views.generic import ScopedListView
from apps.core.views.mixins import StaffPermissionMixin
from apps.core.workflow import timeline_for
from apps.ops.filters import WorkOrderFilterSet
from apps.ops.forms import WorkOrderAssignForm, WorkOrderHandleForm, WorkOrderVerifyForm
from apps.ops.models import WorkOrder, WorkOrderStatus
from apps.ops.selectors import DASHBOARD_PERIODS, work_order_dashboard
from apps.ops.services import work_orders as services

VIEW = "ops.view_workorder"


class WorkOrderListView(ScopedListView):
    model = WorkOrder
    filterset_class = WorkOrderFilterSet
    permission_required = VIEW
    title = gettext_lazy("工单管理")
    template_name = "ops/work_orders/list.html"
    columns = [ExportColumn(gettext_lazy("工单编号"), "number", 18), ExportColumn(gettext_lazy("标题"), "title", 30),
               ExportColumn(gettext_lazy("工单类型"), "get_subject_display", 12),
               ExportColumn(gettext_lazy("优先级"), "get_priority_display", 8),
               ExportColumn(gettext_lazy("状态"), "get_status_display", 8), ExportColumn(gettext_lazy("负责人"), "owner", 12),
               ExportColumn(gettext_lazy("创建时间"), "created_at", 18),
               ExportColumn(gettext_lazy("超期提醒时间"), "due_at", 18)]

    def get_queryset(self):
        return WorkOrder.objects.select_related("owner", "creator")


class WorkOrderDetailView(StaffPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "ops/work_orders/detail.html"

    def get_context_data(self, **kwargs):
        work_order = get_object_or_404(WorkOrder.objects.select_related("owner", "creator", "alert", "finding__asset")
                                   .prefetch_related("related_users"), pk=self.kwargs["pk"])
        user = self.request.user
        is_owner, is_manager = user.pk == work_order.owner_id, user.has_perm("ops.manage_work_orders")
        return {**super().get_context_data(**kwargs), "work_order": work_order, "title": work_order.number,
                "transitions": timeline_for(work_order),
                "can_start": is_owner and work_order.status == WorkOrderStatus.NEW,
                "can_handle": is_owner and work_order.status in (WorkOrderStatus.NEW, WorkOrderStatus.IN_PROGRESS),
                "can_verify": work_order.status == WorkOrderStatus.HANDLED and (
                    is_manager or (user.pk == work_order.creator_id and not is_owner)),
                "can_assign": is_manager and work_order.status in (WorkOrderStatus.NEW, WorkOrderStatus.IN_PROGRESS),
                "handle_form": kwargs.get("handle_form") or WorkOrderHandleForm(),
                "verify_form": kwargs.get("verify_form") or WorkOrderVerifyForm(),
                "assign_form": kwargs.get("assign_form") or WorkOrderAssignForm()}


class WorkOrderActionView(StaffPermissionMixin, View):
    """POST one workflow step: start, handle, verify or assign."""

    permission_required = VIEW
    forms = {"handle": WorkOrderHandleForm, "verify": WorkOrderVerifyForm, "assign": WorkOrderAssignForm, "start": None}

    def post(self, request, pk, action):
        work_order = get_object_or_404(WorkOrder, pk=pk)
        form_class = self.forms.get(action, False)
        if form_class is False:
            return redirect(work_order.get_absolute_url())
        form = form_class(request.POST) if form_class else None
        if form is None or form.is_valid():
            data = form.cleaned_data if form else {}
            try:
                self.run(action, work_order, data, request.user)
            except ValidationError as exc:
                if form is None:
                    messages.error(request, "；".join(exc.messages))
                    return redirect(work_order.get_absolute_url())
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已完成：%(a)s") % {"a": ACTION_LABELS[action]})
                return redirect(work_order.get_absolute_url())
        view = WorkOrderDetailView(request=request, kwargs={"pk": pk})
        context = view.get_context_data(**{f"{action}_form": form})
        from django.shortcuts import render

        return render(request, WorkOrderDetailView.template_name, context, status=400)

    @staticmethod
    def run(action, work_order, data, user):
        if action == "start":
            services.work_order_start(work_order=work_order, by=user)
        elif action == "handle":
            services.work_order_handle(work_order=work_order, resolution=data["resolution"], by=user)
        elif action == "verify":
            services.work_order_verify(work_order=work_order, approved=data["approved"], comment=data["comment"], by=user)
        elif action == "assign":
            services.work_order_assign(work_order=work_order, owner=data["owner"], comment=data["comment"], by=user)


ACTION_LABELS = {"start": gettext_lazy("开始处理"), "handle": gettext_lazy("提交处理结果"),
                 "verify": gettext_lazy("验收"), "assign": gettext_lazy("转派")}


class WorkOrderDashboardView(StaffPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "ops/work_orders/dashboard.html"

    def get_context_data(self, **kwargs):
        try:
            days = int(self.request.GET.get("days", 7))
        except ValueError:
            days = 7
        days = days if days in DASHBOARD_PERIODS else 7
        data = work_order_dashboard(days=days)
        pie = lambda rows: charts.bar([r[0] for r in rows], [r[1] for r in rows], horizontal=False)  # noqa: E731
        return {**super().get_context_data(**kwargs), **data, "title": _("工单统计"), "periods": DASHBOARD_PERIODS,
                "charts": {
                    "trend": charts.lines([d for d, _n in data["trend"]], [(_("新建工单"), [n for _d, n in data["trend"]])]),
                    "cycle": pie(data["cycle_distribution"]),
                    "priority": pie(data["priority_distribution"]),
                    "status": pie(data["status_distribution"]),
                }}
