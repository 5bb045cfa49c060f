"""Dispatch centre (调度服务中心): client systems, routes, matter routes, exchange log (ACC-11.x – 14.x, 19.x)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class SystemType(models.TextChoices):
    UNIFIED_APPROVAL = "unified_approval", _("统一审批系统")
    DEPARTMENT = "department", _("部门自建系统")
    PROVINCIAL_VERTICAL = "provincial_vertical", _("省垂系统")
    NATIONAL_VERTICAL = "national_vertical", _("国垂系统")
    ONLINE_CHANNEL = "online_channel", _("网上申报渠道")


class ClientStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核驳回")
    DISABLED = "disabled", _("已禁用")
    CANCELLED = "cancelled", _("已注销")


class ClientSystem(models.Model):
    """接入应用: a department or vertical business system; only approved ones with a token are served."""

    name = models.CharField(_("应用名称"), max_length=100)
    system_type = models.CharField(_("系统类型"), max_length=24, choices=SystemType.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属部门"), on_delete=models.PROTECT,
                                     related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    address = models.URLField(_("系统地址"), max_length=300)
    description = models.TextField(_("详细描述"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ClientStatus.choices, default=ClientStatus.PENDING,
                              db_index=True)
    rejection_reason = models.CharField(_("驳回原因"), max_length=300, blank=True)
    token_digest = models.CharField(_("令牌摘要"), max_length=64, blank=True, db_index=True, editable=False)
    token_issued_at = models.DateTimeField(_("令牌签发时间"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("接入应用")
        verbose_name_plural = _("接入应用")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def can_be_served(self) -> bool:
        return self.status == ClientStatus.APPROVED and bool(self.token_digest)


class RouteStatus(models.TextChoices):
    CREATED = "created", _("已创建")
    PENDING_REVIEW = "pending_review", _("待审核")
    PENDING_PUBLISH = "pending_publish", _("待发布")
    PUBLISHED = "published", _("已发布")
    REVOKED = "revoked", _("已注销")


class NetworkType(models.TextChoices):
    GOV_EXTRANET = "gov_extranet", _("电子政务外网")
    INTERNET = "internet", _("互联网")
    INTRANET = "intranet", _("业务专网")


class Route(models.Model):
    """路由: where one client system receives declarations (created → reviewed → published; revoke is final)."""

    client = models.ForeignKey(ClientSystem, verbose_name=_("接入应用"), on_delete=models.PROTECT,
                               related_name="routes")
    name = models.CharField(_("路由名称"), max_length=100)
    number = models.CharField(_("路由编号"), max_length=20, unique=True)
    address = models.URLField(_("路由地址"), max_length=300)
    network_type = models.CharField(_("网络类型"), max_length=16, choices=NetworkType.choices,
                                    default=NetworkType.GOV_EXTRANET)
    description = models.CharField(_("路由描述"), max_length=300, blank=True)
    creator_name = models.CharField(_("创建人"), max_length=64)
    creator_contact = models.CharField(_("创建人联系方式"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=RouteStatus.choices, default=RouteStatus.CREATED,
                              db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    last_test_ok = models.BooleanField(_("最近连通测试"), null=True, blank=True)
    last_test_at = models.DateTimeField(_("最近测试时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "client__region"
    scope_organisation_field = "client__organisation"

    class Meta:
        verbose_name = _("路由")
        verbose_name_plural = _("路由")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class MatterRoute(models.Model):
    """事项路由配置: the one active route that receives an implementation item's cases (ACC-13.3)."""

    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="+")
    route = models.ForeignKey(Route, verbose_name=_("路由"), on_delete=models.PROTECT, related_name="matters")
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("配置时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("注销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事项路由配置")
        verbose_name_plural = _("事项路由配置")
        constraints = [models.UniqueConstraint(fields=["item"], condition=models.Q(is_active=True),
                                               name="acc_matter_route_one_active")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.route}"


class Direction(models.TextChoices):
    OUTBOUND = "out", _("平台→部门")
    INBOUND = "in", _("部门→平台")


class ExchangeMessage(models.Model):
    """One message of the unified acceptance data-exchange format (docs/acceptance-exchange.md), either way."""

    case = models.ForeignKey("acceptance.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="exchange_messages")
    client = models.ForeignKey(ClientSystem, verbose_name=_("接入应用"), on_delete=models.PROTECT,
                               related_name="messages")
    direction = models.CharField(_("方向"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("消息类型"), max_length=40, db_index=True)
    message_id = models.CharField(_("消息编号"), max_length=80)
    payload = models.JSONField(_("报文"), default=dict)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("交换报文")
        verbose_name_plural = _("交换报文")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["client", "direction", "message_id"],
                                               name="acc_exchange_msg_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.message_id}"


class SpecialProcedure(models.Model):
    """特别程序: application (start) then result (end) from the department system, in that order (ACC-14.5)."""

    case = models.ForeignKey("acceptance.Case", verbose_name=_("办件"), on_delete=models.CASCADE,
                             related_name="special_procedures")
    procedure_id = models.CharField(_("特别程序编号"), max_length=64)
    kind = models.CharField(_("特别程序种类"), max_length=64)
    reason = models.CharField(_("申请理由"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    result = models.CharField(_("特别程序结果"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("特别程序")
        verbose_name_plural = _("特别程序")
        constraints = [models.UniqueConstraint(fields=["case", "procedure_id"], name="acc_special_proc_once")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
