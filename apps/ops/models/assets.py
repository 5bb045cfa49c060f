"""Assets (资产): host assets with their services, website assets, groups, and the vulnerability /
weak-password / configuration findings on them (OPS-3.3, 3.4, 3.7, 5.4)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ops.models.choices import Severity


class AssetGroup(models.Model):
    """资产组: how the asset situation screen groups assets."""

    name = models.CharField(_("名称"), max_length=64, unique=True)
    description = models.CharField(_("说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("资产组")
        verbose_name_plural = verbose_name
        ordering = ["name"]
        permissions = [("view_assets", _("查看资产")), ("manage_assets", _("维护资产"))]

    def __str__(self) -> str:
        return self.name


class HostCategory(models.TextChoices):
    IOT = "iot", _("物联网设备")
    SERVER = "server", _("服务器")
    WORKSTATION = "workstation", _("工作主机")
    NETWORK = "network", _("网络设备")
    SECURITY = "security", _("安全设备")
    TERMINAL_SECURITY = "terminal_security", _("终端安全管理")
    DATABASE = "database", _("数据库服务器")
    MIDDLEWARE = "middleware", _("中间件服务器")
    STORAGE = "storage", _("存储设备")
    APPLICATION = "application", _("应用服务器")
    SECURITY_DOMAIN = "security_domain", _("安全域")
    VIRTUALIZATION = "virtualization", _("虚拟化设备")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    UNREGISTERED = "unregistered", _("未登记")
    RETIRED = "retired", _("已下线")


class DiscoverySource(models.TextChoices):
    PROBE = "probe", _("资产探测")
    SYNC = "sync", _("数据同步")
    VULNERABILITY = "vulnerability", _("漏洞发现")
    TRAFFIC = "traffic", _("流量解析")
    MANUAL = "manual", _("手工录入")


class HostAsset(models.Model):
    """主机资产 (OPS-3.3), IPv4 or IPv6."""

    name = models.CharField(_("资产名称"), max_length=128)
    category = models.CharField(_("类别"), max_length=24, choices=HostCategory.choices)
    ip_address = models.GenericIPAddressField(_("IP地址"), unique=True)
    group = models.ForeignKey(AssetGroup, verbose_name=_("资产组"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="hosts")
    value = models.PositiveSmallIntegerField(_("资产价值"), default=3, help_text=_("1–5"))
    registration_status = models.CharField(_("登记状态"), max_length=16, choices=RegistrationStatus.choices,
                                           default=RegistrationStatus.REGISTERED)
    discovery_source = models.CharField(_("发现来源"), max_length=16, choices=DiscoverySource.choices,
                                        default=DiscoverySource.MANUAL)
    discovered_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    responsible = models.CharField(_("责任人"), max_length=64, blank=True)
    operating_system = models.CharField(_("操作系统"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("主机资产")
        verbose_name_plural = verbose_name
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.ip_address}）"


class AssetService(models.Model):
    """A service found on a host asset: IP, port, protocol, name, version, banner."""

    asset = models.ForeignKey(HostAsset, verbose_name=_("主机资产"), on_delete=models.CASCADE,
                              related_name="services")
    ip_address = models.GenericIPAddressField(_("IP地址"))
    port = models.PositiveIntegerField(_("端口"))
    protocol = models.CharField(_("协议"), max_length=16, default="tcp")
    service_name = models.CharField(_("服务名"), max_length=64, blank=True)
    service_version = models.CharField(_("服务版本"), max_length=64, blank=True)
    banner = models.TextField(_("Banner"), blank=True)

    class Meta:
        verbose_name = _("资产服务")
        verbose_name_plural = verbose_name
        ordering = ["asset", "port"]
        constraints = [models.UniqueConstraint(fields=["asset", "ip_address", "port", "protocol"],
                                               name="ops_service_unique")]

    def __str__(self) -> str:
        return f"{self.ip_address}:{self.port}/{self.protocol} {self.service_name}"


class UsageStatus(models.TextChoices):
    IN_USE = "in_use", _("使用中")
    SUSPENDED = "suspended", _("已停用")


class Availability(models.TextChoices):
    UNKNOWN = "unknown", _("未探测")
    UP = "up", _("可访问")
    DOWN = "down", _("不可访问")


class WebsiteAsset(models.Model):
    """网站资产 (OPS-3.4), probed over HTTP for availability."""

    name = models.CharField(_("资产名称"), max_length=128)
    url = models.URLField(_("URL"), max_length=500, unique=True)
    framework = models.CharField(_("技术框架"), max_length=64, blank=True)
    framework_version = models.CharField(_("框架版本"), max_length=32, blank=True)
    site_title = models.CharField(_("网站标题"), max_length=200, blank=True)
    usage_status = models.CharField(_("使用状态"), max_length=16, choices=UsageStatus.choices,
                                    default=UsageStatus.IN_USE)
    responsible = models.CharField(_("责任人"), max_length=64, blank=True)
    location = models.CharField(_("地理位置"), max_length=128, blank=True)
    group = models.ForeignKey(AssetGroup, verbose_name=_("资产组"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="websites")
    value = models.PositiveSmallIntegerField(_("资产价值"), default=3, help_text=_("1–5"))
    hosts = models.ManyToManyField(HostAsset, verbose_name=_("关联主机"), blank=True, related_name="websites")
    availability = models.CharField(_("可用性"), max_length=8, choices=Availability.choices,
                                    default=Availability.UNKNOWN)
    last_probed_at = models.DateTimeField(_("最近探测"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("HTTP 状态码"), null=True, blank=True)
    last_latency_ms = models.PositiveIntegerField(_("响应耗时（毫秒）"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=255, blank=True)
    discovered_at = models.DateTimeField(_("发现时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网站资产")
        verbose_name_plural = verbose_name
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ops:website-edit", args=[self.pk])


class FindingKind(models.TextChoices):
    VULNERABILITY = "vulnerability", _("漏洞")
    WEAK_PASSWORD = "weak_password", _("弱口令")
    CONFIGURATION = "configuration", _("配置核查问题")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("未修复")
    FIXED = "fixed", _("已修复")


class Finding(models.Model):
    """A vulnerability, weak password or configuration-check problem on a host asset (OPS-3.7)."""

    kind = models.CharField(_("类型"), max_length=16, choices=FindingKind.choices)
    title = models.CharField(_("名称"), max_length=255)
    severity = models.CharField(_("等级"), max_length=8, choices=Severity.choices)
    asset = models.ForeignKey(HostAsset, verbose_name=_("资产"), on_delete=models.CASCADE, related_name="findings")
    port = models.PositiveIntegerField(_("端口"), null=True, blank=True)
    cve = models.CharField(_("CVE 编号"), max_length=32, blank=True)
    solution = models.TextField(_("修复建议"), blank=True)
    source = models.CharField(_("来源"), max_length=32, default="manual")
    status = models.CharField(_("状态"), max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    found_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("安全问题")
        verbose_name_plural = verbose_name
        ordering = ["-found_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["asset", "kind", "title", "port"],
                                               name="ops_finding_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


SEVERITY_RISK_WEIGHT = {Severity.CRITICAL: 40, Severity.HIGH: 20, Severity.MEDIUM: 8, Severity.LOW: 2,
                        Severity.INFO: 0}
