"""Data-source codes (数据来源配置, PORTAL-7.9): a code per city and per provincial department."""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models.organisations import Organisation
from apps.core.models.regions import Region
from apps.core.scope import ScopedQuerySet


class DataSourceCode(models.Model):
    """The code statistics and exchanged data carry to say where they come from. Its owner is
    exactly one of: a city (level-2 region) or a provincial department (an organisation in the
    province region). `scope_region` is derived by the service (the city, or the province for a
    department) so the ordinary data scope applies."""

    code = models.CharField(_("数据来源代码"), max_length=32, unique=True)
    name = models.CharField(_("数据来源名称"), max_length=128)
    region = models.ForeignKey(Region, verbose_name=_("市（地）"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="data_source_codes")
    organisation = models.ForeignKey(Organisation, verbose_name=_("省直部门"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="data_source_codes")
    scope_region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT,
                                     related_name="+", editable=False)
    remarks = models.CharField(_("备注"), max_length=255, blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_region_field = "scope_region"

    class Meta:
        verbose_name = _("数据来源代码")
        verbose_name_plural = _("数据来源代码")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False, organisation__isnull=True)
                           | Q(region__isnull=True, organisation__isnull=False)),
                name="core_datasource_exactly_one_owner",
            ),
            models.UniqueConstraint(fields=["region"], condition=Q(region__isnull=False),
                                    name="core_datasource_one_per_city"),
            models.UniqueConstraint(fields=["organisation"], condition=Q(organisation__isnull=False),
                                    name="core_datasource_one_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def owner(self):
        return self.region or self.organisation

    @property
    def owner_kind(self) -> str:
        return str(_("市（地）")) if self.region_id else str(_("省直部门"))
