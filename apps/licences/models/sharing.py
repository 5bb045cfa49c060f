"""The licence sharing platform (LIC-2.x): exposed interfaces, connected applications, their access rights
with total and daily limits, the sharing log, routes to city/department licence systems, and the catalogue
rows aggregated from their front-end databases."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin


class SharingInterface(models.Model):
    """An interface the licence system exposes (接口配置, LIC-2.4); ``code`` is what the API checks."""

    scope_organisation_field = "organisation"

    code = models.SlugField(_("接口编码"), max_length=48, unique=True)
    name = models.CharField(_("接口名称"), max_length=128, db_index=True)
    address = models.CharField(_("接口地址"), max_length=255)
    is_enabled = models.BooleanField(_("启用"), default=True, db_index=True)
    description = models.CharField(_("描述"), max_length=255, blank=True)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("管理单位"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("共享接口")
        verbose_name_plural = _("共享接口")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SharingApplication(models.Model):
    """A system connected to the sharing platform (应用接入, LIC-2.5). The password is stored hashed;
    calls carry a short-lived signed token obtained with it (LIC-5.5 1)."""

    scope_organisation_field = "organisation"

    name = models.CharField(_("接入系统名称"), max_length=128, unique=True)
    ip_addresses = models.CharField(_("系统 IP 地址"), max_length=255, blank=True,
                                    help_text=_("多个地址以逗号分隔；留空不限"))
    password_hash = models.CharField(max_length=255, editable=False)
    is_enabled = models.BooleanField(_("接入状态"), default=True, db_index=True)
    valid_until = models.DateField(_("有效期至"))
    basis = models.CharField(_("接入依据"), max_length=255, blank=True)
    proxy_address = models.CharField(_("反向代理地址"), max_length=255, blank=True)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接入应用")
        verbose_name_plural = _("接入应用")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LicenceApiGrant(models.Model):
    """Which application may call which interface, until when, how often (证照访问权, LIC-2.3).
    ``total_limit`` 0 means no total limit; ``used_total`` counts every allowed call."""

    scope_organisation_field = "application__organisation"

    interface = models.ForeignKey(SharingInterface, verbose_name=_("接口"), on_delete=models.CASCADE,
                                  related_name="rights")
    application = models.ForeignKey(SharingApplication, verbose_name=_("应用"), on_delete=models.CASCADE,
                                    related_name="rights")
    valid_until = models.DateField(_("接口有效期至"))
    total_limit = models.PositiveIntegerField(_("允许访问次数"), default=0)
    daily_limit = models.PositiveIntegerField(_("每日允许访问次数"))
    used_total = models.PositiveIntegerField(_("已访问次数"), default=0)

    class Meta:
        verbose_name = _("证照访问权")
        verbose_name_plural = _("证照访问权")
        ordering = ["interface__code", "application__name"]
        constraints = [models.UniqueConstraint(fields=["interface", "application"], name="lic_right_unique")]

    def __str__(self) -> str:
        return f"{self.application} → {self.interface}"


class AccessDailyCount(models.Model):
    """Allowed calls of one access right on one day; the row is locked while a call is counted."""

    right = models.ForeignKey(LicenceApiGrant, on_delete=models.CASCADE, related_name="daily_counts")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["right", "day"], name="lic_right_day_unique")]


class SharingOutcome(models.TextChoices):
    OK = "ok", _("成功")
    REFUSED = "refused", _("拒绝")
    FAILED = "failed", _("失败")


class SharingLog(models.Model):
    """One call of a sharing interface (证照共享日志, LIC-2.6), allowed or refused, with its caller."""

    scope_organisation_field = "application__organisation"

    called_at = models.DateTimeField(_("访问时间"), auto_now_add=True, db_index=True)
    application = models.ForeignKey(SharingApplication, verbose_name=_("访问应用"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    interface_code = models.CharField(_("接口编码"), max_length=48, db_index=True)
    ip_address = models.GenericIPAddressField(_("来源 IP"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=8, choices=SharingOutcome.choices, db_index=True)
    detail = models.CharField(_("说明"), max_length=255, blank=True)
    licence_code = models.CharField(_("证照标识"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("证照共享日志")
        verbose_name_plural = _("证照共享日志")
        ordering = ["-called_at"]
        indexes = [models.Index(fields=["application", "called_at"], name="lic_sharelog_app_at")]


class LicenceRoute(SensitiveFieldsMixin, models.Model):
    """A city's or provincial department's self-built licence system (接口路由, LIC-2.2): the unified
    entry address we publish, where we forward to, with which account and token."""

    scope_organisation_field = "organisation"

    code = models.SlugField(_("路由编码"), max_length=32, unique=True)
    name = models.CharField(_("接口名称"), max_length=128, db_index=True)
    entry_address = models.CharField(_("入口地址"), max_length=255)
    data_source = models.ForeignKey("core.Organisation", verbose_name=_("数据来源"), on_delete=models.PROTECT,
                                    related_name="+")
    access_address = models.URLField(_("访问地址"), max_length=255)
    access_account = models.CharField(_("访问账号"), max_length=64, blank=True)
    access_token = EncryptedTextField(_("访问令牌"), blank=True, default="")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="+")
    is_enabled = models.BooleanField(_("接口状态"), default=True, db_index=True)

    class Meta:
        verbose_name = _("接口路由")
        verbose_name_plural = _("接口路由")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CatalogueRecord(SensitiveFieldsMixin, models.Model):
    """One licence catalogue row extracted from a route's front-end database and passed the quality
    checks (LIC-2.1, 4.2); ``reported_at`` is set once the national platform accepted it."""

    scope_organisation_field = "route__data_source"

    route = models.ForeignKey(LicenceRoute, verbose_name=_("数据来源"), on_delete=models.PROTECT,
                              related_name="catalogue")
    licence_code = models.CharField(_("证照标识"), max_length=80)
    name = models.CharField(_("证照名称"), max_length=128)
    type_code = models.CharField(_("证照类型代码"), max_length=21, db_index=True)
    issuer_code = models.CharField(_("颁发机构代码"), max_length=18)
    issuer_name = models.CharField(_("颁发机构"), max_length=128)
    holder_name = models.CharField(_("持证主体"), max_length=128)
    holder_code_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    holder_code = EncryptedTextField(_("持证主体代码"), digest_field="holder_code_digest")
    issued_on = models.DateField(_("颁证日期"))
    access_url = models.URLField(_("访问地址"), max_length=255)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("汇聚证照目录")
        verbose_name_plural = _("汇聚证照目录")
        ordering = ["licence_code"]
        constraints = [models.UniqueConstraint(fields=["route", "licence_code"], name="lic_aggcat_unique")]


class SyncAction(models.TextChoices):
    INSERT = "insert", _("同步插入")
    UPDATE = "update", _("同步更新")
    DELETE = "delete", _("同步删除")
    REJECT = "reject", _("质检不通过")


class CatalogueSyncEvent(models.Model):
    """One row's effect in one aggregation run; statistics of shared licences count these (LIC-2.7)."""

    scope_organisation_field = "department"

    department = models.ForeignKey("core.Organisation", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    route = models.ForeignKey(LicenceRoute, on_delete=models.PROTECT, related_name="+")
    type_code = models.CharField(_("证照类型代码"), max_length=21)
    licence_code = models.CharField(_("证照标识"), max_length=80, blank=True)
    action = models.CharField(_("动作"), max_length=8, choices=SyncAction.choices)
    detail = models.CharField(_("说明"), max_length=255, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("目录同步记录")
        verbose_name_plural = _("目录同步记录")
        ordering = ["-at"]
