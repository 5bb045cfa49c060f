"""Visit counts of the PC portal and the 全省事 app (访问量, ANA-1.1.a/g), reported by those systems
through the ingest API in daily batches; each batch counted once (`VisitBatch`)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region


class VisitChannel(models.TextChoices):
    PC = "pc", _("PC门户")
    APP = "app", _("全省事APP")


class VisitCount(models.Model):
    """访问量: visits of one channel to one matter (empty code = pages that are no matter) in one region on one day."""

    day = models.DateField(_("日期"))
    channel = models.CharField(_("渠道"), max_length=8, choices=VisitChannel.choices)
    matter_code = models.CharField(_("事项编码"), max_length=50, blank=True)
    matter_name = models.CharField(_("事项名称"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    count = models.PositiveBigIntegerField(_("访问量"), default=0)

    class Meta:
        verbose_name = _("访问量")
        verbose_name_plural = _("访问量")
        ordering = ["-day", "channel"]
        constraints = [models.UniqueConstraint(fields=["day", "channel", "matter_code", "region"],
                                               name="ana_visit_uniq")]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.matter_code or '-'} {self.count}"


class VisitBatch(models.Model):
    """One ingested batch of visit counts; (client, batch_id) is unique so a re-sent batch counts once."""

    client = models.ForeignKey("analytics.EmbedClient", verbose_name=_("上报系统"), on_delete=models.PROTECT,
                               related_name="visit_batches")
    batch_id = models.CharField(_("批次号"), max_length=64)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    visits = models.PositiveBigIntegerField(_("访问量合计"), default=0)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("访问量上报批次")
        verbose_name_plural = _("访问量上报批次")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["client", "batch_id"], name="ana_visit_batch_once")]

    def __str__(self) -> str:
        return f"{self.client} {self.batch_id}"
