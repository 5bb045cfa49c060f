"""Service themes (服务主题, MAP-2.5): halls plus points of interest of other themes."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region


class Theme(models.Model):
    """服务主题: 办事大厅, 交通管控, 医疗卫生, 教育资源 … The theme with `is_halls` shows the halls
    themselves; the others show their points of interest."""

    code = models.SlugField(_("主题标识"), max_length=32, unique=True)
    name = models.CharField(_("主题名称"), max_length=32)
    is_halls = models.BooleanField(_("显示政务服务大厅"), default=False)
    display_order = models.PositiveIntegerField(_("显示顺序"), default=0)
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务主题")
        verbose_name_plural = _("服务主题")
        ordering = ["display_order", "code"]

    def __str__(self) -> str:
        return self.name


class PointOfInterest(models.Model):
    """主题地点: a place of a non-hall theme (a vehicle administration office, a hospital, a school)."""

    theme = models.ForeignKey(Theme, verbose_name=_("服务主题"), on_delete=models.CASCADE, related_name="points")
    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("地址"), max_length=255, blank=True)
    telephone = models.CharField(_("联系电话"), max_length=32, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6)
    is_enabled = models.BooleanField(_("启用"), default=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = _("主题地点")
        verbose_name_plural = _("主题地点")
        ordering = ["theme", "region", "name"]
        indexes = [models.Index(fields=["theme", "region"], name="smap_poi_theme_region_idx")]

    def __str__(self) -> str:
        return self.name
