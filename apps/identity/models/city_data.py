"""Loading cities' regions and departments (IDN-11.1, 11.2): one import batch."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region


class CityDataImportKind(models.TextChoices):
    REGIONS = "regions", _("行政区划")
    ORGANISATIONS = "organisations", _("部门机构")


class CityDataImportSource(models.TextChoices):
    EXCEL = "excel", _("Excel 上传")
    CITY_PLATFORM = "city_platform", _("地市平台接口")


class CityDataImportStatus(models.TextChoices):
    CHECKING = "checking", _("校验中")
    READY = "ready", _("待确认")
    CONFIRMED = "confirmed", _("已确认入库")
    CANCELLED = "cancelled", _("已取消")
    FAILED = "failed", _("校验失败")


class CityDataImport(models.Model):
    """A batch of a city's regions or organisations, checked row by row in the background (a job),
    previewed (new / changed / unchanged / refused with the reason), then confirmed — the valid rows
    are written in one transaction — or cancelled. Refused rows are never written."""

    kind = models.CharField(_("数据类别"), max_length=16, choices=CityDataImportKind.choices)
    source = models.CharField(_("数据来源"), max_length=16, choices=CityDataImportSource.choices)
    city = models.ForeignKey(Region, verbose_name=_("地市"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=CityDataImportStatus.choices,
                              default=CityDataImportStatus.CHECKING)
    raw_rows = models.JSONField(_("原始数据"), default=list, blank=True)
    rows = models.JSONField(_("校验结果"), default=list, blank=True,
                            help_text=_("[{line, key, action, data, changes, reason}]"))
    summary = models.JSONField(_("统计"), default=dict, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    job = models.ForeignKey("core.JobRun", verbose_name=_("后台任务"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # IDN-11.1 / 11.2: when the confirmed batch was queued for the national platform and (organisations)
    # for the matters system — the next schedule point reports every batch still empty here.
    reported_at = models.DateTimeField(_("上报国家平台时间"), null=True, blank=True, editable=False)
    pushed_at = models.DateTimeField(_("推送事项系统时间"), null=True, blank=True, editable=False)

    scope_region_field = "city"

    class Meta:
        verbose_name = _("区划机构数据导入")
        verbose_name_plural = _("区划机构数据导入")
        ordering = ["-created_at"]
        permissions = [("import_city_data", _("可以导入地市区划与部门数据"))]
        indexes = [models.Index(fields=["city", "created_at"], name="identity_citydata_city_idx"),
                   models.Index(fields=["status", "reported_at"], name="identity_citydata_report_idx")]

    def __str__(self) -> str:
        return f"{self.city.name} {self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("identity:city-data-import-detail", args=[self.pk])
