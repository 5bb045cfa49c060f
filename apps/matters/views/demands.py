"""Shared data demand management (共享数据需求管理, MAT-4.2.2a–4.2.5) on one page: the needs the user's
department raised (track the status, record 已对接) and the needs addressed to it, aggregated (confirm,
return the interface, or send back with a reason)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.models import Organisation
from apps.core.views.mixins import StaffRequiredMixin
from apps.matters import selectors
from apps.matters.models import DataDemand, DemandStatus
from apps.matters.services.resources import (
    data_demand_confirm, data_demand_feedback, data_demand_integrated, data_demand_reject, data_demand_submit,
    demands_for_source,
)


class DataDemandView(StaffRequiredMixin, View):
    def get(self, request):
        org = getattr(request.user, "organisation_id", None)
        raised = (DataDemand.objects.filter(requester_id=org).select_related("implementation_item", "source")
                  .order_by("-created_at")[:200])
        return render(request, "matters/demands.html", {
            "title": _("共享数据需求"), "raised": raised, "incoming": demands_for_source(user=request.user)[:200],
            "statuses": DemandStatus})

    def post(self, request):
        action = request.POST.get("action", "")
        try:
            if action == "submit":
                item = selectors.access_implementation_item(request.user, request.POST.get("item") or 0)
                source = get_object_or_404(Organisation, pk=request.POST.get("source") or 0, is_enabled=True)
                data_demand_submit(actor=request.user, item=item, source=source,
                                   content=request.POST.get("content", ""))
                messages.success(request, _("数据需求已提交，等待数据来源部门确认。"))
                return redirect("matters:item-resources", pk=item.pk)
            org = getattr(request.user, "organisation_id", None)
            demand = get_object_or_404(DataDemand.objects.filter(Q(source_id=org) | Q(requester_id=org)),
                                       pk=request.POST.get("demand") or 0)
            if action == "confirm":
                data_demand_confirm(actor=request.user, demand=demand)
            elif action == "feedback":
                data_demand_feedback(actor=request.user, demand=demand, api_details=request.POST.get("api_details", ""))
            elif action == "reject":
                data_demand_reject(actor=request.user, demand=demand, reason=request.POST.get("reason", ""))
            elif action == "integrated":
                data_demand_integrated(actor=request.user, demand=demand)
            else:
                raise ValidationError(_("未知操作。"))
            messages.success(request, _("已保存。"))
        except (ValidationError, PermissionDenied) as error:
            for text in getattr(error, "messages", [str(error)]):
                messages.error(request, text)
        return redirect("matters:demands")
