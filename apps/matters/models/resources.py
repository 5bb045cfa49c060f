"""Item resources (事项资源, MAT-4): links to the e-licence catalogue and shared-data demands."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class LinkTarget(models.TextChoices):
    RESULT = "result", _("审批结果")
    MATERIAL = "material", _("申请材料")


class LicenceLink(models.Model):
    """An approval result or an application material of an implementation item linked to an
    e-licence catalogue entry, with the index rule used to fetch the licence (MAT-4.1.1, 4.1.2)."""

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"),
                                            on_delete=models.CASCADE, related_name="licence_links")
    target = models.CharField(_("关联对象"), max_length=16, choices=LinkTarget.choices)
    material = models.ForeignKey("matters.ApplicationMaterial", verbose_name=_("申请材料"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="licence_links")
    catalogue_code = models.CharField(_("证照目录编码"), max_length=64, db_index=True)
    catalogue_name = models.CharField(_("证照名称"), max_length=200)
    index_rule = models.JSONField(_("证照获取规则"), default=list,
                                  help_text=_("id_number / credit_code / project_code 的组合"))
    department = models.ForeignKey(Organisation, verbose_name=_("关联单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("关联人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子证照目录关联")
        verbose_name_plural = _("电子证照目录关联")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.implementation_item} → {self.catalogue_name}"


class DemandStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("未确认")
    CONFIRMED = "confirmed", _("已确认")
    FEEDBACK = "feedback", _("已反馈")
    INTEGRATED = "integrated", _("已对接")
    REJECTED = "rejected", _("已退回")


class DataDemand(models.Model):
    """共享数据需求: data an item needs from a data-source department, tracked to integration (MAT-4.2.3–4.2.5)."""

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"),
                                            on_delete=models.CASCADE, related_name="data_demands")
    requester = models.ForeignKey(Organisation, verbose_name=_("需求部门"), on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(Organisation, verbose_name=_("数据来源部门"), on_delete=models.PROTECT,
                               related_name="matter_data_demands")
    content = models.TextField(_("数据需求"))
    status = models.CharField(_("状态"), max_length=16, choices=DemandStatus.choices, default=DemandStatus.UNCONFIRMED)
    api_details = models.TextField(_("对接方式及接口"), blank=True)
    reject_reason = models.TextField(_("退回理由"), blank=True)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "requester"

    class Meta:
        verbose_name = _("共享数据需求")
        verbose_name_plural = _("共享数据需求")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source", "status"], name="matters_demand_source_idx")]

    def __str__(self) -> str:
        return f"{self.implementation_item.name} · {self.source.name}"
