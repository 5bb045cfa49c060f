"""Embed clients of the visualisation invocation interface (可视化页面调取接口, ANA-0.1)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region


class EmbedClientKind(models.TextChoices):
    PORTAL = "portal", _("政务服务门户")
    DEPARTMENT_PORTAL = "department_portal", _("省直部门门户")
    THIRD_PARTY = "third_party", _("第三方系统")


class EmbedClient(models.Model):
    """A registered system that embeds charts: its key (only the keyed digest is stored), the origin
    allowed to frame the charts, the charts granted and the region whose data it may show."""

    name = models.CharField(_("系统名称"), max_length=128)
    kind = models.CharField(_("系统类型"), max_length=24, choices=EmbedClientKind.choices)
    origin = models.CharField(_("嵌入来源"), max_length=200,
                              help_text=_("允许嵌入图表的页面来源，如 https://zwfw.hlj.gov.cn"))
    region = models.ForeignKey(Region, verbose_name=_("数据区划"), on_delete=models.PROTECT, related_name="+")
    allowed_charts = models.JSONField(_("授权图表"), default=list, blank=True)
    may_report_visits = models.BooleanField(_("可上报访问量"), default=False)
    visit_channel = models.CharField(_("访问量渠道"), max_length=8, blank=True)
    key_prefix = models.CharField(_("密钥前缀"), max_length=8, db_index=True, editable=False)
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    scope_region_field = "region"

    class Meta:
        verbose_name = _("嵌入客户端")
        verbose_name_plural = _("嵌入客户端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("analytics:client-detail", args=[self.pk])
