"""Multi-level element control (多级管控, "三级N同", MAT-2.3): a provincial competent department
applies, the provincial 编办 opens permission, the regions in scope are consulted, and once
control takes effect the controlled elements are maintained by the province only."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.models.regions import prefix_of_code
from apps.core.scope import ScopedQuerySet


class ControlStatus(models.TextChoices):
    APPLIED = "applied", _("待开通权限")
    PERMITTED = "permitted", _("已开通权限")
    CONSULTING = "consulting", _("意见征询中")
    EFFECTIVE = "effective", _("管控生效")
    REFUSED = "refused", _("不予开通")


class ControlScope(models.TextChoices):
    PROVINCE = "province", _("全省统一")
    PARTIAL = "partial", _("部分区域统一")


class ElementControl(models.Model):
    """One control application: which elements of which catalogue item, with what content, where."""

    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"),
                                       on_delete=models.CASCADE, related_name="element_controls")
    department = models.ForeignKey(Organisation, verbose_name=_("申请部门（主管厅局）"), on_delete=models.PROTECT,
                                   related_name="+")
    elements = models.JSONField(_("管控要素"), help_text=_("要素字段名列表"))
    values = models.JSONField(_("管控要素内容"), default=dict)
    reason = models.TextField(_("申请理由"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ControlStatus.choices, default=ControlStatus.APPLIED)
    scope = models.CharField(_("管控范围"), max_length=16, choices=ControlScope.choices, blank=True)
    scope_regions = models.JSONField(_("管控区划"), default=list, blank=True,
                                     help_text=_("部分区域统一时的区划代码；生效时为最终纳入管控的区划"))
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    effective_at = models.DateTimeField(_("生效时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("要素管控")
        verbose_name_plural = _("要素管控")
        ordering = ["-created_at", "-pk"]
        permissions = [("permit_elementcontrol", _("可以开通要素管控权限（省编办）"))]
        indexes = [models.Index(fields=["catalogue_item", "status"], name="matters_control_item_idx")]

    def __str__(self) -> str:
        return f"{self.catalogue_item.name} · {self.get_status_display()}"

    def covers(self, region_code: str) -> bool:
        """Whether an implementation item in `region_code` is under this (effective) control."""
        if self.status != ControlStatus.EFFECTIVE:
            return False
        if self.scope == ControlScope.PROVINCE:
            return True
        return any(region_code.startswith(prefix_of_code(code)) for code in self.scope_regions)


class ControlOpinion(models.Model):
    """A consulted region's answer (征询意见) to a control application."""

    control = models.ForeignKey(ElementControl, verbose_name=_("要素管控"), on_delete=models.CASCADE,
                                related_name="opinions")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    agree = models.BooleanField(_("同意"), null=True)
    opinion = models.TextField(_("意见"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("管控征询意见")
        verbose_name_plural = _("管控征询意见")
        ordering = ["region_id"]
        constraints = [models.UniqueConstraint(fields=["control", "region"], name="matters_opinion_region_uniq")]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.opinion}"
