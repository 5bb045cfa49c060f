"""Business adaptation (业务适配, MAT-2.2.1): the per-region switch "允许多条实施清单" and the region's
business-item list (业务项清单) the extra implementation items are matched to."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region


class ImplementationSetting(models.Model):
    """Per-region configuration; a region without a row inherits the nearest ancestor's (default off)."""

    region = models.OneToOneField(Region, verbose_name=_("区划"), on_delete=models.CASCADE,
                                  related_name="matters_setting")
    allow_multiple = models.BooleanField(_("允许多条实施清单"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("实施清单配置")
        verbose_name_plural = _("实施清单配置")

    def __str__(self) -> str:
        return f"{self.region} · {self.allow_multiple}"


class BusinessItem(models.Model):
    """业务项: one entry of a region's business-item list under a catalogue item (the third tier)."""

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), on_delete=models.CASCADE,
                                       related_name="business_items")
    code = models.CharField(_("业务项编码"), max_length=8)
    name = models.CharField(_("业务项名称"), max_length=200)

    class Meta:
        verbose_name = _("业务项")
        verbose_name_plural = _("业务项清单")
        ordering = ["catalogue_item_id", "code"]
        constraints = [models.UniqueConstraint(fields=["region", "catalogue_item", "code"],
                                               name="matters_bizitem_region_cat_code_uniq")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
