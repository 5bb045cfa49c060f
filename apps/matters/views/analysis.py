"""Pages for change monitoring and version comparison (MAT-5.5) and optimisation analysis (MAT-5.2)."""
from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View

from apps.core.scope import restrict
from apps.core.views.mixins import StaffPermissionMixin, StaffRequiredMixin
from apps.matters import selectors
from apps.matters.models import OptimisationDirection, OptimisationProposal
from apps.matters.selectors_monitoring import change_monitoring, thematic_comparison
from apps.matters.services.national_comparison import national_comparison
from apps.matters.services.analysis import (
    optimisation_analysis, optimisation_report, proposal_decide, proposal_issue, proposal_report,
)


def _digits(value: str) -> int:
    return int(value) if value.isdigit() else 0


def _period(request) -> tuple[date, date]:
    end = parse_date(request.GET.get("end", "") or "") or timezone.localdate()
    start = parse_date(request.GET.get("start", "") or "") or end - timedelta(days=6)
    return (start, end) if start <= end else (end, start)


class MonitoringView(StaffPermissionMixin, View):
    """事项变更监控 and 专题比对 for a period (default: the last seven days)."""

    permission_required = "matters.view_implementationitem"

    def get(self, request):
        start, end = _period(request)
        return render(request, "matters/monitoring.html", {
            "title": _("事项变更监控"), "start": start, "end": end,
            "monitoring": change_monitoring(user=request.user, start=start, end=end),
            "thematic": thematic_comparison(user=request.user, start=start, end=end)})


class OptimisationView(StaffPermissionMixin, View):
    """事项优化分析: problem discovery by region, proposals, the automatic report."""

    permission_required = "matters.view_optimisationproposal"

    def get(self, request):
        start, end = _period(request) if request.GET.get("start") else (None, None)
        region = getattr(getattr(request.user, "organisation", None), "region", None)
        return render(request, "matters/optimisation.html", {
            "title": _("事项优化分析"), "start": start, "end": end,
            "analysis": optimisation_analysis(user=request.user, region=region) if region else None,
            "national": national_comparison(user=request.user, region=region)
            if region and request.GET.get("national") else None,
            "report": optimisation_report(user=request.user, start=start, end=end),
            "proposals": restrict(OptimisationProposal.objects.all(), request.user)
            .select_related("implementation_item", "department")[:200],
            "directions": OptimisationDirection.choices})

    def post(self, request):
        try:
            item = selectors.access_implementation_item(request.user, _digits(request.POST.get("item", "")))
            proposal_issue(actor=request.user, item=item, direction=request.POST.get("direction", ""),
                           problem=request.POST.get("problem", ""), measure=request.POST.get("measure", ""))
            messages.success(request, _("优化建议已下发。"))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect("matters:optimisation")


class ProposalActionView(StaffRequiredMixin, View):
    """The department answers (action=agree/disagree) or reports the result (action=report)."""

    def post(self, request, pk):
        proposal = get_object_or_404(restrict(OptimisationProposal.objects.all(), request.user), pk=pk)
        action = request.POST.get("action")
        try:
            if action in ("agree", "disagree"):
                proposal_decide(actor=request.user, proposal=proposal, agree=action == "agree",
                                comment=request.POST.get("comment", ""))
            elif action == "report":
                proposal_report(actor=request.user, proposal=proposal, result=request.POST.get("result", ""))
            else:
                raise ValidationError(_("未知操作。"))
            messages.success(request, _("已保存。"))
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect("matters:optimisation")
