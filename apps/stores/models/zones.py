"""Special zones fed by the business departments' matter lists (STORE-2.a, 2.b, 2.c): the elderly-friendly
zone, the province-wide list, the cross-province zone and the three-provinces-one-region list, plus the
partner provincial sites whose home pages recognise a Heilongjiang login. Decision 0804."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation
from apps.core.scope import ScopedQuerySet


class Zone(models.TextChoices):
    ELDERLY = "elderly", _("适老服务专区")
    PROVINCE_WIDE = "province_wide", _("全省通办")
    CROSS_PROVINCE = "cross_province", _("跨省通办")
    REGIONAL = "regional", _("三省一区通办")


class ZoneMatter(models.Model):
    """One matter of a zone's list as a business department supplied it: its classification, the matter
    library's attribute flags and, once connected to the unified identity, its handling page."""

    zone = models.CharField(_("专区"), max_length=16, choices=Zone.choices)
    name = models.CharField(_("事项名称"), max_length=200)
    matter_code = models.CharField(_("事项编码"), max_length=33, blank=True)
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"),
                                            null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    classification = models.CharField(_("分类"), max_length=40)
    attribute_flags = models.JSONField(_("事项库属性标识"), default=list, blank=True)
    icon = models.CharField(_("图标"), max_length=8, blank=True, help_text=_("一个汉字或符号，显示在大号圆形图标中，如“医”"))
    is_identity_connected = models.BooleanField(_("已接入统一身份认证"), default=False)
    handling_url = models.URLField(_("办理页面"), max_length=500, blank=True)
    supplying_department = models.ForeignKey(Organisation, verbose_name=_("提供部门"), on_delete=models.PROTECT,
                                             related_name="+")
    partner_province = models.CharField(_("通办省份"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "supplying_department"

    class Meta:
        verbose_name = _("专区事项")
        verbose_name_plural = _("专区事项")
        ordering = ["zone", "classification", "order", "id"]
        indexes = [models.Index(fields=["zone", "is_enabled", "classification", "order"], name="stores_zone_idx")]
        permissions = [("manage_zonematter", _("维护专区事项清单"))]

    def __str__(self) -> str:
        return f"{self.get_zone_display()} · {self.name}"

    @property
    def can_jump(self) -> bool:
        """Only a matter connected to the unified identity jumps to its handling page (STORE-2.b)."""
        return self.is_identity_connected and bool(self.handling_url)


class PartnerProvinceSite(models.Model):
    """A partner's government-service home page that recognises a Heilongjiang login (三省一区 / the national
    cross-province zone): the jump carries a one-time provincial ticket the partner exchanges."""

    code = models.SlugField(_("标识"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    home_url = models.URLField(_("首页地址"))
    is_national_zone = models.BooleanField(_("国家跨省通办专区"), default=False)
    order = models.PositiveIntegerField(_("排序"), default=0)
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("跨省互认站点")
        verbose_name_plural = _("跨省互认站点")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name
