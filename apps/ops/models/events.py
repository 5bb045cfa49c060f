"""Security events (安全事件): log types, filter rules, received log events, threat intelligence,
keyword and correlation rules, and the alerts they raise (OPS-2.4, 2.5, 3.1, 3.9, 3.12, 11.1, 11.3)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ops.models.choices import Importance, Severity


class StorageMethod(models.TextChoices):
    DATABASE = "database", _("在线库（可检索）")
    ARCHIVE = "archive", _("归档（仅统计）")


class Partitioning(models.TextChoices):
    DAY = "day", _("按天")
    MONTH = "month", _("按月")


class LogType(models.Model):
    """自定义日志类型 (OPS-2.5): events whose fields match `condition` are stored under this type and
    kept for `retention_days` days. The type with the lowest `priority` that matches wins."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    code = models.SlugField(_("标识"), max_length=32, unique=True)
    storage_method = models.CharField(_("存储方式"), max_length=16, choices=StorageMethod.choices,
                                      default=StorageMethod.DATABASE)
    retention_days = models.PositiveIntegerField(_("存储时间（天）"), default=180)
    partitioning = models.CharField(_("分区方式"), max_length=8, choices=Partitioning.choices,
                                    default=Partitioning.DAY)
    importance = models.CharField(_("重要性"), max_length=8, choices=Importance.choices, default=Importance.MEDIUM)
    condition = models.JSONField(_("归类条件"), default=dict, blank=True,
                                 help_text=_("条件树；为空表示兜底类型。"))
    priority = models.PositiveIntegerField(_("匹配顺序"), default=100)
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("日志类型")
        verbose_name_plural = verbose_name
        ordering = ["priority", "pk"]
        permissions = [("manage_security_rules", _("维护安全规则"))]

    def clean(self):
        from apps.ops.conditions import validate_condition

        validate_condition(self.condition or {})

    def __str__(self) -> str:
        return self.name


class FilterAction(models.TextChoices):
    DROP = "drop", _("丢弃")
    KEEP = "keep", _("保留")


class FilterRule(models.Model):
    """自定义过滤规则 (OPS-2.4): a nested AND/OR condition tree; the first enabled rule that matches
    decides whether the event is dropped or kept."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    condition = models.JSONField(_("条件"), default=dict)
    action = models.CharField(_("动作"), max_length=8, choices=FilterAction.choices, default=FilterAction.DROP)
    priority = models.PositiveIntegerField(_("匹配顺序"), default=100)
    is_enabled = models.BooleanField(_("启用"), default=True)
    hit_count = models.PositiveBigIntegerField(_("命中次数"), default=0)

    class Meta:
        verbose_name = _("过滤规则")
        verbose_name_plural = verbose_name
        ordering = ["priority", "pk"]

    def clean(self):
        from apps.ops.conditions import validate_condition

        validate_condition(self.condition or {})

    def __str__(self) -> str:
        return self.name


class LogEvent(models.Model):
    """One received log record (Syslog datagram or API upload), parsed into fields."""

    received_at = models.DateTimeField(_("接收时间"), default=timezone.now, db_index=True)
    occurred_at = models.DateTimeField(_("发生时间"), null=True, blank=True)
    peer_ip = models.GenericIPAddressField(_("发送方地址"), null=True, blank=True)
    source_ip = models.GenericIPAddressField(_("源地址"), null=True, blank=True, db_index=True)
    destination_ip = models.GenericIPAddressField(_("目的地址"), null=True, blank=True)
    hostname = models.CharField(_("主机名"), max_length=255, blank=True)
    app_name = models.CharField(_("程序"), max_length=64, blank=True)
    facility = models.PositiveSmallIntegerField(_("设施"), null=True, blank=True)
    severity = models.PositiveSmallIntegerField(_("Syslog 级别"), null=True, blank=True)
    message = models.TextField(_("内容"))
    fields = models.JSONField(_("解析字段"), default=dict, blank=True)
    log_type = models.ForeignKey(LogType, verbose_name=_("日志类型"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="events")
    protocol = models.CharField(_("接收方式"), max_length=16, default="syslog")

    class Meta:
        verbose_name = _("日志事件")
        verbose_name_plural = verbose_name
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["log_type", "received_at"])]
        permissions = [("view_security", _("查看安全事件"))]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.message[:60]}"


class IndicatorKind(models.TextChoices):
    IP = "ip", _("IP地址")
    DOMAIN = "domain", _("域名")
    MD5 = "md5", _("MD5")
    DOMAIN_URI = "domain_uri", _("域名:URI")
    IP_URI = "ip_uri", _("IP地址:URI")
    DOMAIN_PORT = "domain_port", _("域名:端口")
    IP_PORT = "ip_port", _("IP地址:端口")
    DOMAIN_PORT_URI = "domain_port_uri", _("域名:端口:URI")
    IP_PORT_URI = "ip_port_uri", _("IP地址:端口:URI")


class ThreatIndicator(models.Model):
    """自定义威胁情报 (OPS-3.1): one indicator, stored in its normalised form so that a match against
    an incoming event is one indexed lookup."""

    kind = models.CharField(_("类型"), max_length=16, choices=IndicatorKind.choices)
    value = models.CharField(_("情报值"), max_length=512)
    severity = models.CharField(_("威胁等级"), max_length=8, choices=Severity.choices, default=Severity.HIGH)
    is_compromise = models.BooleanField(_("失陷类情报"), default=False)
    description = models.CharField(_("说明"), max_length=255, blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)
    hit_count = models.PositiveBigIntegerField(_("命中次数"), default=0)
    last_hit_at = models.DateTimeField(_("最近命中"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("威胁情报")
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="ops_indicator_unique")]
        indexes = [models.Index(fields=["value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class AlertCategory(models.TextChoices):
    NETWORK = "network", _("网络攻击")
    WEB = "web", _("Web安全")
    HOST = "host", _("主机安全")
    MALWARE = "malware", _("恶意文件")
    INTEL = "intel", _("威胁情报")
    AVAILABILITY = "availability", _("可用性")
    DEVICE = "device", _("设备故障")
    OTHER = "other", _("其他")


class KeywordRule(models.Model):
    """Syslog 关键字告警 (OPS-11.3): a received record whose text contains any keyword raises an alert
    and sends an SMS to the rule's recipients."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    keywords = models.TextField(_("关键字"), help_text=_("每行一个，任一出现即告警（不区分大小写）。"))
    category = models.CharField(_("告警分类"), max_length=16, choices=AlertCategory.choices,
                                default=AlertCategory.DEVICE)
    severity = models.CharField(_("告警等级"), max_length=8, choices=Severity.choices, default=Severity.HIGH)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("短信通知人员"), blank=True,
                                        related_name="+")
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("关键字告警规则")
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.splitlines() if k.strip()]


class CorrelationRule(models.Model):
    """关联分析规则 (OPS-3.9): `threshold` events matching `condition` that share the value of
    `group_by` within `window_seconds` raise one alert per group and window (statistical unit).
    A `sequence` (optional) requires the matched events to include each listed condition in order
    (sequence unit), e.g. repeated login failures followed by a success."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    condition = models.JSONField(_("事件条件"), default=dict)
    group_by = models.CharField(_("归并字段"), max_length=32, default="source_ip")
    threshold = models.PositiveIntegerField(_("次数阈值"), default=5)
    window_seconds = models.PositiveIntegerField(_("时间窗口（秒）"), default=60)
    sequence = models.JSONField(_("顺序条件"), default=list, blank=True)
    category = models.CharField(_("告警分类"), max_length=16, choices=AlertCategory.choices,
                                default=AlertCategory.NETWORK)
    severity = models.CharField(_("告警等级"), max_length=8, choices=Severity.choices, default=Severity.HIGH)
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("关联分析规则")
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def clean(self):
        from apps.ops.services.events import _validate_rule

        _validate_rule("correlation", {f.name: getattr(self, f.name) for f in self._meta.concrete_fields})

    def __str__(self) -> str:
        return self.name


class AlertOrigin(models.TextChoices):
    KEYWORD = "keyword", _("关键字")
    INTEL = "intel", _("威胁情报")
    CORRELATION = "correlation", _("关联分析")
    THRESHOLD = "threshold", _("阈值")
    PROBE = "probe", _("可用性探测")


class Direction(models.TextChoices):
    INBOUND = "inbound", _("外部攻击")
    OUTBOUND = "outbound", _("资产外连")
    LATERAL = "lateral", _("横向移动")
    EXTERNAL = "external", _("外部到外部")
    UNKNOWN = "unknown", _("未知")


class Outcome(models.TextChoices):
    ATTEMPT = "attempt", _("尝试")
    SUCCESS = "success", _("攻击成功")
    COMPROMISED = "compromised", _("已失陷")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("未处置")
    IN_WORK_ORDER = "in_work_order", _("已转工单")
    CLOSED = "closed", _("已关闭")


class Alert(models.Model):
    """告警: raised by a keyword rule, a threat-intel hit, a correlation rule, a threshold or a
    probe. While an alert with a `fingerprint` is not closed, a repeat raises its `count` and
    `last_seen_at`; after it is closed the next occurrence opens a new alert with the same fingerprint."""

    fingerprint = models.CharField(_("指纹"), max_length=128, db_index=True)
    title = models.CharField(_("告警名称"), max_length=200)
    origin = models.CharField(_("来源"), max_length=16, choices=AlertOrigin.choices)
    category = models.CharField(_("分类"), max_length=16, choices=AlertCategory.choices)
    severity = models.CharField(_("等级"), max_length=8, choices=Severity.choices)
    direction = models.CharField(_("方向"), max_length=16, choices=Direction.choices, default=Direction.UNKNOWN)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, default=Outcome.ATTEMPT)
    status = models.CharField(_("状态"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    source_ip = models.GenericIPAddressField(_("源地址"), null=True, blank=True)
    destination_ip = models.GenericIPAddressField(_("目的地址"), null=True, blank=True)
    detail = models.TextField(_("详情"), blank=True)
    rule_name = models.CharField(_("规则/情报"), max_length=200, blank=True)
    event = models.ForeignKey(LogEvent, verbose_name=_("触发事件"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="alerts")
    asset = models.ForeignKey("ops.HostAsset", verbose_name=_("相关资产"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="alerts")
    count = models.PositiveIntegerField(_("次数"), default=1)
    first_seen_at = models.DateTimeField(_("首次发生"), default=timezone.now, db_index=True)
    last_seen_at = models.DateTimeField(_("最近发生"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("安全告警")
        verbose_name_plural = verbose_name
        ordering = ["-last_seen_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ops:alert-detail", args=[self.pk])


class MetricThreshold(models.Model):
    """阈值告警 (OPS-11.1): a metric sample of `metric` on `target` that compares true against
    `value` for `consecutive` samples in a row raises an alert."""

    class Operator(models.TextChoices):
        GT = "gt", ">"
        GTE = "gte", "≥"
        LT = "lt", "<"
        LTE = "lte", "≤"

    name = models.CharField(_("名称"), max_length=64, unique=True)
    metric = models.CharField(_("指标"), max_length=64, help_text=_("如 cpu_percent、memory_percent、disk_percent"))
    target = models.CharField(_("对象"), max_length=128, blank=True, help_text=_("为空表示所有对象"))
    operator = models.CharField(_("比较"), max_length=4, choices=Operator.choices, default=Operator.GT)
    value = models.FloatField(_("阈值"))
    consecutive = models.PositiveSmallIntegerField(_("连续次数"), default=1)
    severity = models.CharField(_("告警等级"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("短信通知人员"), blank=True,
                                        related_name="+")
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("阈值告警规则")
        verbose_name_plural = verbose_name
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MetricSample(models.Model):
    """One collected metric value (pushed by a collector through the API)."""

    metric = models.CharField(_("指标"), max_length=64)
    target = models.CharField(_("对象"), max_length=128)
    value = models.FloatField(_("值"))
    collected_at = models.DateTimeField(_("采集时间"), default=timezone.now)

    class Meta:
        verbose_name = _("指标采样")
        verbose_name_plural = verbose_name
        ordering = ["-collected_at", "-pk"]
        indexes = [models.Index(fields=["metric", "target", "-collected_at"])]

    def __str__(self) -> str:
        return f"{self.target} {self.metric}={self.value}"
