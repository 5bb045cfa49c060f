"""Ticket pages (OPS-4.4, 4.5): list, detail with its flow history and the step forms, dashboard."""
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
from apps.ops.filters import TicketFilterSet
from apps.ops.forms import TicketAssignForm, TicketHandleForm, TicketVerifyForm
from apps.ops.models import Ticket, TicketStatus
from apps.ops.selectors import DASHBOARD_PERIODS, ticket_dashboard
from apps.ops.services import tickets as services

VIEW = "ops.view_ticket"


class TicketListView(ScopedListView):
    model = Ticket
    filterset_class = TicketFilterSet
    permission_required = VIEW
    title = gettext_lazy("工单管理")
    template_name = "ops/tickets/list.html"
    columns = [ExportColumn(gettext_lazy("工单编号"), "number", 18), ExportColumn(gettext_lazy("标题"), "title", 30),
               ExportColumn(gettext_lazy("工单类型"), "get_subject_display", 12),
               ExportColumn(gettext_lazy("优先级"), "get_priority_display", 8),
               ExportColumn(gettext_lazy("状态"), "get_status_display", 8), ExportColumn(gettext_lazy("负责人"), "owner", 12),
               ExportColumn(gettext_lazy("创建时间"), "created_at", 18),
               ExportColumn(gettext_lazy("超期提醒时间"), "due_at", 18)]

    def get_queryset(self):
        return Ticket.objects.select_related("owner", "creator")


class TicketDetailView(StaffPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "ops/tickets/detail.html"

    def get_context_data(self, **kwargs):
        ticket = get_object_or_404(Ticket.objects.select_related("owner", "creator", "alert", "finding__asset")
                                   .prefetch_related("related_users"), pk=self.kwargs["pk"])
        user = self.request.user
        is_owner, is_manager = user.pk == ticket.owner_id, user.has_perm("ops.manage_tickets")
        return {**super().get_context_data(**kwargs), "ticket": ticket, "title": ticket.number,
                "transitions": timeline_for(ticket),
                "can_start": is_owner and ticket.status == TicketStatus.NEW,
                "can_handle": is_owner and ticket.status in (TicketStatus.NEW, TicketStatus.IN_PROGRESS),
                "can_verify": ticket.status == TicketStatus.HANDLED and (
                    is_manager or (user.pk == ticket.creator_id and not is_owner)),
                "can_assign": is_manager and ticket.status in (TicketStatus.NEW, TicketStatus.IN_PROGRESS),
                "handle_form": kwargs.get("handle_form") or TicketHandleForm(),
                "verify_form": kwargs.get("verify_form") or TicketVerifyForm(),
                "assign_form": kwargs.get("assign_form") or TicketAssignForm()}


class TicketActionView(StaffPermissionMixin, View):
    """POST one workflow step: start, handle, verify or assign."""

    permission_required = VIEW
    forms = {"handle": TicketHandleForm, "verify": TicketVerifyForm, "assign": TicketAssignForm, "start": None}

    def post(self, request, pk, action):
        ticket = get_object_or_404(Ticket, pk=pk)
        form_class = self.forms.get(action, False)
        if form_class is False:
            return redirect(ticket.get_absolute_url())
        form = form_class(request.POST) if form_class else None
        if form is None or form.is_valid():
            data = form.cleaned_data if form else {}
            try:
                self.run(action, ticket, data, request.user)
            except ValidationError as exc:
                if form is None:
                    messages.error(request, "；".join(exc.messages))
                    return redirect(ticket.get_absolute_url())
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已完成：%(a)s") % {"a": ACTION_LABELS[action]})
                return redirect(ticket.get_absolute_url())
        view = TicketDetailView(request=request, kwargs={"pk": pk})
        context = view.get_context_data(**{f"{action}_form": form})
        from django.shortcuts import render

        return render(request, TicketDetailView.template_name, context, status=400)

    @staticmethod
    def run(action, ticket, data, user):
        if action == "start":
            services.ticket_start(ticket=ticket, by=user)
        elif action == "handle":
            services.ticket_handle(ticket=ticket, resolution=data["resolution"], by=user)
        elif action == "verify":
            services.ticket_verify(ticket=ticket, approved=data["approved"], comment=data["comment"], by=user)
        elif action == "assign":
            services.ticket_assign(ticket=ticket, owner=data["owner"], comment=data["comment"], by=user)


ACTION_LABELS = {"start": gettext_lazy("开始处理"), "handle": gettext_lazy("提交处理结果"),
                 "verify": gettext_lazy("验收"), "assign": gettext_lazy("转派")}


class TicketDashboardView(StaffPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "ops/tickets/dashboard.html"

    def get_context_data(self, **kwargs):
        try:
            days = int(self.request.GET.get("days", 7))
        except ValueError:
            days = 7
        days = days if days in DASHBOARD_PERIODS else 7
        data = ticket_dashboard(days=days)
        pie = lambda rows: charts.bar([r[0] for r in rows], [r[1] for r in rows], horizontal=False)  # noqa: E731
        return {**super().get_context_data(**kwargs), **data, "title": _("工单统计"), "periods": DASHBOARD_PERIODS,
                "charts": {
                    "trend": charts.lines([d for d, _n in data["trend"]], [(_("新建工单"), [n for _d, n in data["trend"]])]),
                    "cycle": pie(data["cycle_distribution"]),
                    "priority": pie(data["priority_distribution"]),
                    "status": pie(data["status_distribution"]),
                }}
