"""Data logs (数据日志, ANA-1.3): system, operation and processing (cleaning / de-duplication / comparison) logs."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataLogKind(models.TextChoices):
    SYSTEM = "system", _("系统日志")
    OPERATION = "operation", _("操作日志")
    CLEANING = "cleaning", _("数据清洗")
    DEDUPLICATION = "deduplication", _("查重")
    COMPARISON = "comparison", _("比对")


class DataLog(models.Model):
    """数据日志: one logged event. Append-only; `detail` holds what a user opens to see the
    cleaning details (rules hit, rows removed with sample ids, duplicates, differences)."""

    kind = models.CharField(_("日志类型"), max_length=16, choices=DataLogKind.choices, db_index=True)
    dataset = models.ForeignKey("analytics.TopicDataset", verbose_name=_("专题库"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="logs")
    job = models.ForeignKey("core.JobRun", verbose_name=_("刷新任务"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    summary = models.CharField(_("摘要"), max_length=255)
    records_in = models.PositiveIntegerField(_("处理记录数"), default=0)
    records_affected = models.PositiveIntegerField(_("影响记录数"), default=0)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("数据日志")
        verbose_name_plural = _("数据日志")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "created_at"], name="ana_log_kind_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.summary}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("analytics:log-detail", args=[self.pk])
