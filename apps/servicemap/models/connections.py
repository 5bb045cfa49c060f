"""How a hall is connected to the map's peers (MAP-6.4, 6.5) and its theme tags (MAP-1.2)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class HallConnection(models.Model):
    """大厅对接配置: a hall's own booking / consultation system (if any) and its search tags.

    A hall without a row, or with blank URLs, uses the platform's own appointment engine and
    consultation registry (MAP-6.4.2 / 6.5.2)."""

    hall = models.OneToOneField("acceptance.Hall", verbose_name=_("大厅"), on_delete=models.CASCADE,
                                related_name="map_connection")
    booking_system_name = models.CharField(_("大厅预约系统名称"), max_length=64, blank=True)
    booking_system_url = models.URLField(_("大厅预约系统接口地址"), blank=True,
                                         help_text=_("留空则使用平台统一预约（综合受理预约系统）。"))
    consultation_system_url = models.URLField(_("大厅咨询系统接口地址"), blank=True,
                                              help_text=_("留空则登记到平台咨询系统。"))
    theme_tags = models.CharField(_("主题标签"), max_length=255, blank=True,
                                  help_text=_("用顿号或逗号分隔，例如：不动产、社保、户籍"))

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("大厅对接配置")
        verbose_name_plural = _("大厅对接配置")
        permissions = [("view_mapdashboard", _("查看地图运行管控"))]

    def __str__(self) -> str:
        return str(self.hall)

    @property
    def tags(self) -> list[str]:
        import re

        return [t for t in re.split(r"[,，、;；\s]+", self.theme_tags or "") if t]
