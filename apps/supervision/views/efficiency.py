"""Efficiency analysis page (效能分析, MAT-6.4) with automatic scoring of a task."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.views.mixins import StaffPermissionMixin
from apps.supervision.selectors_efficiency import (
    efficiency_charts,
    efficiency_report,
    task_list,
)
from apps.supervision.services.efficiency import score_departments, task_score


def _task(user, pk):
    task = task_list(user=user).filter(pk=pk).first()
    if task is None:
        raise Http404(_("监督任务不存在或不在您的数据范围内。"))
    return task


class EfficiencyView(StaffPermissionMixin, TemplateView):
    permission_required = "supervision.view_supervisiontask"
    template_name = "supervision/efficiency.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = list(task_list(user=self.request.user))
        selected = None
        if self.request.GET.get("task"):
            selected = _task(self.request.user, self.request.GET["task"])
        report = efficiency_report(user=self.request.user, task=selected)
        context.update(title=_("效能分析"), tasks=tasks, selected=selected, charts=efficiency_charts(report),
                       can_score=self.request.user.has_perm("supervision.score_supervisiontask"),
                       can_manage=self.request.user.has_perm("supervision.add_supervisiontask"),
                       can_define=self.request.user.has_perm("supervision.add_supervisionindicator"), **report)
        if selected is not None and context["can_score"]:
            context.update(manual_indicators=[i for i in selected.indicators.all() if i.metric == "manual"],
                           score_departments=score_departments(selected))
        return context


class TaskScoreView(StaffPermissionMixin, View):
    permission_required = "supervision.score_supervisiontask"

    def post(self, request, pk):
        task = _task(request.user, pk)
        try:
            count = task_score(task=task, actor=request.user)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已自动评分 %(n)s 项。") % {"n": count})
        return redirect(f"{reverse('supervision:efficiency')}?task={task.pk}")


class EvaluationReportView(StaffPermissionMixin, TemplateView):
    """PORTAL-4.7: the four "我要评价" groupings."""

    permission_required = "supervision.view_complaint"
    template_name = "supervision/evaluation_report.html"

    def get_context_data(self, **kwargs):
        from apps.supervision.selectors_reports import evaluation_report

        context = super().get_context_data(**kwargs)
        context.update(title=_("我要评价统计分析"), **evaluation_report(user=self.request.user))
        return context
