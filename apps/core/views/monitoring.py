"""Portal pages of operations monitoring (系统运维): interface status (PORTAL-7.13), front-end processor
databases (7.10), scheduled statistics tasks (7.11) and interface-alert maintainers (7.12).

Monitoring data is platform-wide (no region scope): the permissions core.view_monitoring and
core.manage_monitoring gate every page."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView

from apps.core.exports import ExportColumn
from apps.core.filters.monitoring import (InterfaceMaintainerFilterSet, FrontEndProcessorFilterSet,
                                          MonitoredInterfaceFilterSet)
from apps.core.models import (InterfaceMaintainer, FrontEndProcessor, IncidentKind, JobRun, JobStatus,
                              MonitoredInterface, MonitoringIncident)
from apps.core.services import monitoring as services
from apps.core.services.monitoring_checks import processor_check, scheduled_task_states
from apps.core.views.generic import ScopedListView
from apps.core.forms import add_service_errors
from apps.core.views.mixins import StaffPermissionMixin

VIEW, MANAGE = "core.view_monitoring", "core.manage_monitoring"


def open_incidents(kind: str) -> list[MonitoringIncident]:
    return list(MonitoringIncident.objects.filter(kind=kind, closed_at__isnull=True).order_by("-opened_at")[:50])


class MonitoringListView(ScopedListView):
    """A monitoring list: permission-gated, not region-scoped, with the open alerts of `incident_kind`."""

    permission_required = VIEW
    incident_kind = ""

    def get_queryset(self):
        return self.get_base_queryset()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "incidents": open_incidents(self.incident_kind)}


class InterfaceStatusView(MonitoringListView):
    model = MonitoredInterface
    filterset_class = MonitoredInterfaceFilterSet
    title = _("接口状态监控")
    template_name = "core/monitoring/interfaces.html"
    incident_kind = IncidentKind.INTERFACE
    columns = [
        ExportColumn(_("接口"), "label", 20), ExportColumn(_("接口标识"), "code", 20),
        ExportColumn(_("状态"), "get_status_display", 10), ExportColumn(_("状态说明"), "status_reason", 30),
        ExportColumn(_("窗口内调用"), "window_calls", 10), ExportColumn(_("失败"), "window_failures", 8),
        ExportColumn(_("拒绝"), "window_rejected", 8), ExportColumn(_("平均耗时（毫秒）"), "avg_latency_ms", 12),
        ExportColumn(_("最大耗时（毫秒）"), "max_latency_ms", 12), ExportColumn(_("待投递"), "outbox_pending", 8),
        ExportColumn(_("最早待投递"), "outbox_oldest_pending_at", 18), ExportColumn(_("投递失败"), "outbox_dead", 8),
        ExportColumn(_("最近成功"), "last_success_at", 18), ExportColumn(_("最近失败"), "last_failure_at", 18),
        ExportColumn(_("统计时间"), "checked_at", 18),
    ]

    def get_base_queryset(self):
        return MonitoredInterface.objects.prefetch_related("maintainers")

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return {**super().get_context_data(**kwargs), "thresholds": {
            "window": settings.MONITORING_WINDOW_MINUTES, "min_calls": settings.MONITORING_MIN_CALLS,
            "degraded": int(settings.MONITORING_DEGRADED_FAILURE_RATE * 100),
            "down": int(settings.MONITORING_DOWN_FAILURE_RATE * 100), "slow": settings.MONITORING_SLOW_LATENCY_MS,
            "backlog": settings.MONITORING_BACKLOG_AGE_SECONDS // 60}}


class ProcessorListView(MonitoringListView):
    model = FrontEndProcessor
    filterset_class = FrontEndProcessorFilterSet
    title = _("数据库状态监控")
    template_name = "core/monitoring/processors.html"
    incident_kind = IncidentKind.PROCESSOR
    columns = [
        ExportColumn(_("前置机名称"), "name", 20), ExportColumn(_("数据来源"), "data_source", 20),
        ExportColumn(_("地址"), lambda p: f"{p.host}:{p.port}/{p.database}", 30),
        ExportColumn(_("连接状态"), "get_status_display", 10), ExportColumn(_("最近检测时间"), "last_checked_at", 18),
        ExportColumn(_("最近连接成功时间"), "last_success_at", 18),
        ExportColumn(_("连接耗时（毫秒）"), "last_latency_ms", 10), ExportColumn(_("最近错误"), "last_error", 40),
    ]

    def get_base_queryset(self):
        return FrontEndProcessor.objects.select_related("data_source")


class MaintainerListView(MonitoringListView):
    model = InterfaceMaintainer
    filterset_class = InterfaceMaintainerFilterSet
    title = _("接口预警维护人员")
    template_name = "core/monitoring/maintainers.html"
    columns = [
        ExportColumn(_("姓名"), "name", 12), ExportColumn(_("手机号码"), "masked_mobile_number", 14),
        ExportColumn(_("电子邮箱"), "email", 20), ExportColumn(_("所属单位"), "organisation_name", 20),
        ExportColumn(_("维护的接口"), lambda m: "、".join(i.label for i in m.interfaces.all()), 30),
        ExportColumn(_("维护的前置机"), lambda m: "、".join(p.name for p in m.processors.all()), 30),
        ExportColumn(_("接收预警"), lambda m: "是" if m.is_active else "否", 8),
    ]

    def get_base_queryset(self):
        return InterfaceMaintainer.objects.prefetch_related("interfaces", "processors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.pop("incidents", None)
        return context


class ScheduledTaskListView(StaffPermissionMixin, ListView):
    """PORTAL-7.11: every beat entry with its last run, result and overdue flag; the latest job per kind."""

    permission_required = VIEW
    template_name = "core/monitoring/tasks.html"
    paginate_by = 20

    def get_queryset(self):
        from django_celery_beat.models import PeriodicTask

        queryset = PeriodicTask.objects.select_related("interval", "crontab", "solar", "clocked").order_by("name")
        q = self.request.GET.get("q", "").strip()
        return queryset.filter(Q(name__icontains=q) | Q(task__icontains=q)) if q else queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        latest_jobs = list(JobRun.objects.order_by("kind", "-created_at").distinct("kind")[:50])
        for job in latest_jobs:
            job.stalled = (job.status == JobStatus.RUNNING and job.heartbeat_at is not None
                           and (now - job.heartbeat_at).total_seconds() > 600)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(title=_("统计程序监控"), states=scheduled_task_states(context["object_list"], now),
                       jobs=latest_jobs, incidents=open_incidents(IncidentKind.TASK), q=self.request.GET.get("q", ""),
                       querystring=query.urlencode())
        return context


# --- forms -----------------------------------------------------------------------------------


class MaintainerForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    mobile_number = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    organisation_name = forms.CharField(label=_("所属单位"), max_length=100, required=False)
    interfaces = forms.ModelMultipleChoiceField(label=_("维护的接口"), required=False,
                                                queryset=MonitoredInterface.objects.all(),
                                                widget=forms.SelectMultiple(attrs={"size": 8}))
    processors = forms.ModelMultipleChoiceField(label=_("维护的前置机"), required=False,
                                                queryset=FrontEndProcessor.objects.all(),
                                                widget=forms.SelectMultiple(attrs={"size": 6}))
    is_active = forms.BooleanField(label=_("接收预警"), required=False, initial=True)
    remarks = forms.CharField(label=_("备注"), max_length=255, required=False)


class ProcessorForm(forms.Form):
    name = forms.CharField(label=_("前置机名称"), max_length=100, required=False)
    data_source_code = forms.CharField(label=_("数据来源代码"), max_length=32, required=False,
                                       help_text=_("数据来源配置中登记的代码，如 HLJ-2301"))
    host = forms.CharField(label=_("主机地址"), max_length=255, required=False)
    port = forms.CharField(label=_("端口"), max_length=5, required=False, initial="5432")
    database = forms.CharField(label=_("数据库名"), max_length=100, required=False)
    username = forms.CharField(label=_("用户名"), max_length=100, required=False)
    password = forms.CharField(label=_("密码"), required=False, widget=forms.PasswordInput(render_value=False))
    connect_timeout_seconds = forms.CharField(label=_("连接超时（秒）"), max_length=2, required=False, initial="3")
    is_enabled = forms.BooleanField(label=_("启用监控"), required=False, initial=True)
    remarks = forms.CharField(label=_("备注"), max_length=255, required=False)


class MonitoringFormView(StaffPermissionMixin, FormView):
    """Create/edit through the services; their ValidationError lands on the form fields."""

    permission_required = MANAGE
    template_name = "core/monitoring/form.html"
    model = None
    list_url = ""
    delete_url = ""
    object = None

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs and request.user.is_authenticated:
            self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存。"))
        return redirect(self.list_url)

    def get_context_data(self, **kwargs):
        delete_url = reverse(self.delete_url, args=[self.object.pk]) if self.object else ""
        return {**super().get_context_data(**kwargs), "object": self.object, "title": self.title,
                "list_url": reverse(self.list_url), "delete_url": delete_url}


class MaintainerFormView(MonitoringFormView):
    form_class = MaintainerForm
    model = InterfaceMaintainer
    list_url, delete_url = "core:monitoring-maintainers", "core:monitoring-maintainer-delete"

    @property
    def title(self):
        return _("编辑接口预警维护人员") if self.object else _("新增接口预警维护人员")

    def get_initial(self):
        m = self.object
        if m is None:
            return {"is_active": True}
        return {"name": m.name, "email": m.email, "organisation_name": m.organisation_name, "is_active": m.is_active,
                "remarks": m.remarks, "interfaces": list(m.interfaces.all()), "processors": list(m.processors.all())}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.object:
            form.fields["mobile_number"].help_text = _("留空则不修改，当前号码：%(m)s") % {
                "m": self.object.masked_mobile_number}
        return form

    def save(self, data):
        data = dict(data)
        interfaces, processors = list(data.pop("interfaces")), list(data.pop("processors"))
        if self.object:
            services.interface_maintainer_update(maintainer=self.object, data=data, interfaces=interfaces,
                                             processors=processors, actor=self.request.user)
        else:
            services.interface_maintainer_create(data=data, interfaces=interfaces, processors=processors,
                                             actor=self.request.user)


class ProcessorFormView(MonitoringFormView):
    form_class = ProcessorForm
    model = FrontEndProcessor
    list_url, delete_url = "core:monitoring-processors", "core:monitoring-processor-delete"

    @property
    def title(self):
        return _("编辑前置机数据库") if self.object else _("新增前置机数据库")

    def get_initial(self):
        p = self.object
        if p is None:
            return {"is_enabled": True, "port": "5432", "connect_timeout_seconds": "3"}
        return {"name": p.name, "data_source_code": p.data_source.code, "host": p.host, "port": p.port,
                "database": p.database, "username": p.username, "connect_timeout_seconds": p.connect_timeout_seconds,
                "is_enabled": p.is_enabled, "remarks": p.remarks}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.object:
            form.fields["password"].help_text = _("留空则不修改")
        return form

    def save(self, data):
        if self.object:
            services.frontend_processor_update(processor=self.object, data=data, actor=self.request.user)
        else:
            services.frontend_processor_create(data=data, actor=self.request.user)


class MaintainerDeleteView(StaffPermissionMixin, View):
    permission_required = MANAGE

    def post(self, request, pk):
        maintainer = get_object_or_404(InterfaceMaintainer, pk=pk)
        services.interface_maintainer_delete(maintainer=maintainer, actor=request.user)
        messages.success(request, _("接口预警维护人员已删除。"))
        return redirect("core:monitoring-maintainers")


class ProcessorDeleteView(StaffPermissionMixin, View):
    permission_required = MANAGE

    def post(self, request, pk):
        services.frontend_processor_delete(processor=get_object_or_404(FrontEndProcessor, pk=pk), actor=request.user)
        messages.success(request, _("前置机数据库已删除。"))
        return redirect("core:monitoring-processors")


class ProcessorCheckView(StaffPermissionMixin, View):
    """检测 now: the same check the periodic task runs, for one processor."""

    permission_required = MANAGE

    def post(self, request, pk):
        processor = processor_check(get_object_or_404(FrontEndProcessor.objects.select_related("data_source"), pk=pk))
        if processor.status == "normal":
            messages.success(request, _("前置机“%(n)s”数据库连接正常。") % {"n": processor.name})
        else:
            messages.error(request, _("前置机“%(n)s”数据库连接失败：%(e)s") % {"n": processor.name,
                                                                       "e": processor.last_error[:200]})
        return redirect("core:monitoring-processors")


urlpatterns = [
    path("monitoring/interfaces/", InterfaceStatusView.as_view(), name="monitoring-interfaces"),
    path("monitoring/processors/", ProcessorListView.as_view(), name="monitoring-processors"),
    path("monitoring/processors/new/", ProcessorFormView.as_view(), name="monitoring-processor-create"),
    path("monitoring/processors/<int:pk>/", ProcessorFormView.as_view(), name="monitoring-processor-edit"),
    path("monitoring/processors/<int:pk>/delete/", ProcessorDeleteView.as_view(), name="monitoring-processor-delete"),
    path("monitoring/processors/<int:pk>/check/", ProcessorCheckView.as_view(), name="monitoring-processor-check"),
    path("monitoring/tasks/", ScheduledTaskListView.as_view(), name="monitoring-tasks"),
    path("monitoring/maintainers/", MaintainerListView.as_view(), name="monitoring-maintainers"),
    path("monitoring/maintainers/new/", MaintainerFormView.as_view(), name="monitoring-maintainer-create"),
    path("monitoring/maintainers/<int:pk>/", MaintainerFormView.as_view(), name="monitoring-maintainer-edit"),
    path("monitoring/maintainers/<int:pk>/delete/", MaintainerDeleteView.as_view(),
         name="monitoring-maintainer-delete"),
]
