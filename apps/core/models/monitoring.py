"""Operations monitoring (运行监控, PORTAL-7.10–7.13): monitored interfaces, front-end processor
databases, scheduled statistics tasks, the maintainers who receive alerts, and incidents.

Decision 0017 explains what an "interface" is, where the metrics come from and how alerts are
sent once per incident."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_mobile


class InterfaceStatus(models.TextChoices):
    UNKNOWN = "unknown", _("未知")
    NORMAL = "normal", _("正常")
    DEGRADED = "degraded", _("性能下降")
    DOWN = "down", _("中断")


class MonitoredInterface(models.Model):
    """One external interface of the platform (接口): a peer our adapters call, named as the outbox
    peer (e.g. "sms") or by the adapter's `interface=` argument. The metric columns are the snapshot
    the collector (`core.monitoring_interfaces_check`) writes from the Redis counters every minute."""

    code = models.CharField(_("接口标识"), max_length=100, unique=True)
    name = models.CharField(_("接口名称"), max_length=100, blank=True)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    is_enabled = models.BooleanField(_("启用监控"), default=True)
    status = models.CharField(_("状态"), max_length=16, choices=InterfaceStatus.choices,
                              default=InterfaceStatus.UNKNOWN, db_index=True)
    status_reason = models.CharField(_("状态说明"), max_length=255, blank=True)
    window_calls = models.PositiveIntegerField(_("窗口内调用次数"), default=0)
    window_failures = models.PositiveIntegerField(_("窗口内失败次数"), default=0)
    window_rejected = models.PositiveIntegerField(_("窗口内拒绝次数"), default=0)
    avg_latency_ms = models.PositiveIntegerField(_("平均耗时（毫秒）"), null=True, blank=True)
    max_latency_ms = models.PositiveIntegerField(_("最大耗时（毫秒）"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("最近成功时间"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    outbox_pending = models.PositiveIntegerField(_("待投递消息数"), default=0)
    outbox_oldest_pending_at = models.DateTimeField(_("最早待投递时间"), null=True, blank=True)
    outbox_dead = models.PositiveIntegerField(_("投递失败消息数"), default=0)
    checked_at = models.DateTimeField(_("统计时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("监控接口")
        verbose_name_plural = _("监控接口")
        ordering = ["code"]
        permissions = [("view_monitoring", _("查看运行监控")), ("manage_monitoring", _("维护运行监控"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code

    @property
    def label(self) -> str:
        return self.name or self.code

    @property
    def failure_rate(self) -> float | None:
        return self.window_failures / self.window_calls if self.window_calls else None


class ProcessorStatus(models.TextChoices):
    UNKNOWN = "unknown", _("未检测")
    NORMAL = "normal", _("连接正常")
    FAILED = "failed", _("连接失败")


class FrontEndProcessor(models.Model):
    """A front-end processor (前置机): the staging PostgreSQL database a business system pushes case
    data to. `core.monitoring_processors_check` connects to each enabled one and records the result."""

    name = models.CharField(_("前置机名称"), max_length=100, unique=True)
    data_source = models.ForeignKey("core.DataSourceCode", verbose_name=_("数据来源"), on_delete=models.PROTECT,
                                    related_name="front_end_processors")
    host = models.CharField(_("主机地址"), max_length=255)
    port = models.PositiveIntegerField(_("端口"), default=5432)
    database = models.CharField(_("数据库名"), max_length=100)
    username = models.CharField(_("用户名"), max_length=100)
    password = EncryptedTextField(_("密码"))
    connect_timeout_seconds = models.PositiveSmallIntegerField(_("连接超时（秒）"), default=3)
    is_enabled = models.BooleanField(_("启用监控"), default=True)
    status = models.CharField(_("连接状态"), max_length=16, choices=ProcessorStatus.choices,
                              default=ProcessorStatus.UNKNOWN, db_index=True)
    last_checked_at = models.DateTimeField(_("最近检测时间"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("最近连接成功时间"), null=True, blank=True)
    last_latency_ms = models.PositiveIntegerField(_("连接耗时（毫秒）"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    remarks = models.CharField(_("备注"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("前置机数据库")
        verbose_name_plural = _("前置机数据库")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:monitoring-processor-edit", args=[self.pk])


class InterfaceMaintainer(SensitiveFieldsMixin, models.Model):
    """An interface-alert maintainer (接口预警维护人员, PORTAL-7.12): who is told by SMS when an
    interface or a front-end processor they maintain fails."""

    name = models.CharField(_("姓名"), max_length=50)
    mobile_number = EncryptedTextField(_("手机号码"), digest_field="mobile_number_digest")
    mobile_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("电子邮箱"), blank=True)
    organisation_name = models.CharField(_("所属单位"), max_length=100, blank=True)
    interfaces = models.ManyToManyField(MonitoredInterface, verbose_name=_("维护的接口"), blank=True,
                                        related_name="maintainers")
    processors = models.ManyToManyField(FrontEndProcessor, verbose_name=_("维护的前置机"), blank=True,
                                        related_name="maintainers")
    is_active = models.BooleanField(_("接收预警"), default=True)
    remarks = models.CharField(_("备注"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("接口预警维护人员")
        verbose_name_plural = _("接口预警维护人员")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.masked_mobile_number}"

    @property
    def masked_mobile_number(self) -> str:
        return mask_mobile(self.mobile_number)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:monitoring-maintainer-edit", args=[self.pk])


class ScheduledTaskRun(models.Model):
    """The last outcome of each beat-scheduled task (报表自动统计程序), keyed by the django-celery-beat
    entry name. Written by one upsert per run from Celery's task_postrun signal (apps.core.monitoring)."""

    periodic_task_name = models.CharField(_("定时任务"), max_length=200, unique=True)
    task = models.CharField(_("任务"), max_length=200)
    last_started_at = models.DateTimeField(_("最近开始时间"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("最近结束时间"), null=True, blank=True)
    last_status = models.CharField(_("最近结果"), max_length=16, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("最近成功时间"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("最近失败时间"), null=True, blank=True)
    run_count = models.PositiveIntegerField(_("运行次数"), default=0)
    failure_count = models.PositiveIntegerField(_("失败次数"), default=0)

    class Meta:
        verbose_name = _("定时任务运行结果")
        verbose_name_plural = _("定时任务运行结果")
        ordering = ["periodic_task_name"]

    def __str__(self) -> str:
        return self.periodic_task_name


class IncidentKind(models.TextChoices):
    INTERFACE = "interface", _("接口异常")
    PROCESSOR = "processor", _("前置机数据库连接失败")
    TASK = "task", _("统计程序异常")


class MonitoringIncident(models.Model):
    """One incident (告警): from the first failed check of a target until it is healthy again. At most
    one is open per target (partial unique constraint), so the alert SMS goes out once per incident."""

    kind = models.CharField(_("告警类型"), max_length=16, choices=IncidentKind.choices, db_index=True)
    target_key = models.CharField(_("监控对象标识"), max_length=250)
    target_label = models.CharField(_("监控对象"), max_length=250)
    summary = models.CharField(_("告警内容"), max_length=500)
    opened_at = models.DateTimeField(_("发生时间"))
    last_seen_at = models.DateTimeField(_("最近确认时间"))
    closed_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    notified_count = models.PositiveIntegerField(_("短信通知人数"), default=0)

    class Meta:
        verbose_name = _("监控告警")
        verbose_name_plural = _("监控告警")
        ordering = ["-opened_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["target_key"], condition=Q(closed_at__isnull=True),
                                               name="core_incident_one_open_per_target")]

    def __str__(self) -> str:
        return f"{self.target_label}: {self.summary[:40]}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
