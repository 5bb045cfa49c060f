"""Portal pages that maintain efficiency supervision (MAT-6.1, 6.2): indicators with their rules
and data sources, launching a task, entering manual scores."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from apps.core.models import Organisation
from apps.core.views.mixins import StaffPermissionMixin
from apps.supervision.forms_efficiency import (
    DataSourceForm,
    IndicatorForm,
    ManualScoreForm,
    RuleFormSet,
    TaskForm,
)
from apps.supervision.models import IndicatorMetric, SupervisionIndicator
from apps.supervision.selectors_efficiency import task_list
from apps.supervision.services.efficiency import (
    indicator_create,
    indicator_update_source,
    task_create,
    task_score_manual,
)


def _put_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError back on the form (unknown fields become form errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class IndicatorListView(StaffPermissionMixin, ListView):
    """监督指标库: every indicator with its rules (one query for indicators, one for rules)."""

    permission_required = "supervision.view_supervisiontask"
    template_name = "supervision/indicator_list.html"
    paginate_by = 50

    def get_queryset(self):
        return SupervisionIndicator.objects.prefetch_related("rules").order_by("theme", "number")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(title=_("监督指标管理"), **kwargs,
                                        can_define=user.has_perm("supervision.add_supervisionindicator"),
                                        can_change=user.has_perm("supervision.change_supervisionindicator"))


class IndicatorCreateView(StaffPermissionMixin, View):
    permission_required = "supervision.add_supervisionindicator"
    template_name = "supervision/indicator_form.html"

    def get(self, request):
        return self._render(IndicatorForm(), RuleFormSet(prefix="rules"))

    def post(self, request):
        form, rules = IndicatorForm(request.POST), RuleFormSet(request.POST, prefix="rules")
        if form.is_valid() and rules.is_valid():
            rows = [r for r in (f.rule() for f in rules.forms) if r]
            try:
                indicator = indicator_create(rules=rows, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, _("监督指标 %(n)s 已新增。") % {"n": indicator})
                return redirect("supervision:indicator-list")
        return self._render(form, rules, status=400)

    def _render(self, form, rules, status=200):
        return render(self.request, self.template_name, {"title": _("新增监督指标"), "form": form, "rules": rules},
                      status=status)


class IndicatorSourceView(StaffPermissionMixin, View):
    permission_required = "supervision.change_supervisionindicator"

    def post(self, request, pk):
        indicator = SupervisionIndicator.objects.filter(pk=pk).first()
        if indicator is None:
            raise Http404(_("监督指标不存在。"))
        form = DataSourceForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.get("data_source") or _("请填写数据来源。"))
            indicator_update_source(indicator=indicator, data_source=form.cleaned_data["data_source"],
                                    actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("数据来源已更新。"))
        return redirect("supervision:indicator-list")


class TaskCreateView(StaffPermissionMixin, View):
    permission_required = "supervision.add_supervisiontask"
    template_name = "supervision/task_form.html"

    def get(self, request):
        return self._render(TaskForm())

    def post(self, request):
        form = TaskForm(request.POST)
        if form.is_valid():
            try:
                task = task_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _put_errors(form, exc)
            else:
                messages.success(request, _("监督任务“%(n)s”已发起。") % {"n": task.name})
                return redirect(f"{reverse('supervision:efficiency')}?task={task.pk}")
        return self._render(form, status=400)

    def _render(self, form, status=200):
        return render(self.request, self.template_name, {"title": _("发起监督任务"), "form": form}, status=status)


class TaskManualScoreView(StaffPermissionMixin, View):
    """An assessor enters the score of an indicator the system cannot collect (人工采集)."""

    permission_required = "supervision.score_supervisiontask"

    def post(self, request, pk):
        task = task_list(user=request.user).filter(pk=pk).first()
        if task is None:
            raise Http404(_("监督任务不存在或不在您的数据范围内。"))
        form = ManualScoreForm(request.POST)
        target = f"{reverse('supervision:efficiency')}?task={task.pk}"
        if not form.is_valid():
            messages.error(request, _("请选择考评对象、指标并填写得分。"))
            return redirect(target)
        department = Organisation.objects.filter(pk=form.cleaned_data["department"]).first()
        indicator = task.indicators.filter(pk=form.cleaned_data["indicator"], metric=IndicatorMetric.MANUAL).first()
        try:
            if department is None or indicator is None:
                raise ValidationError(_("考评对象或人工采集指标无效。"))
            task_score_manual(task=task, department=department, indicator=indicator,
                              score=form.cleaned_data["score"], actor=request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("人工评分已保存。"))
        return redirect(target)
