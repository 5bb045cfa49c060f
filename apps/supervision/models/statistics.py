"""The complaint statistics rollup (投诉统计汇总) the dashboard reads instead of millions of complaints."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.supervision.models.complaints import ComplaintSource, ComplaintStatus


class ComplaintStatistic(models.Model):
    """One cell of the complaint statistics: how many complaints submitted on `day` in `region` to
    `department` through `source` now stand in `status`. The whole table is rebuilt in one statement
    by `complaint_statistics_refresh` (beat, every few minutes), so a city bureau's dashboard sums a
    few thousand cells instead of scanning its ~100,000 complaints; overdue figures stay live."""

    day = models.DateField(_("提交日期"))
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.CASCADE,
                               related_name="+", db_constraint=False)
    department = models.ForeignKey("core.Organisation", verbose_name=_("办件部门"), null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+", db_constraint=False)
    source = models.CharField(_("投诉来源"), max_length=24, choices=ComplaintSource.choices)
    status = models.CharField(_("受理状态"), max_length=24, choices=ComplaintStatus.choices)
    count = models.PositiveIntegerField(_("件数"))

    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("投诉统计汇总")
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["region"], opclasses=["varchar_pattern_ops"], name="supervision_stat_region_idx"),
            models.Index(fields=["day"], name="supervision_stat_day_idx"),
        ]

    def __str__(self):
        return f"{self.day} {self.region_id} {self.source}/{self.status}: {self.count}"


class StatisticsRefresh(models.Model):
    """When the rollup was last rebuilt, how many cells it has and how long the rebuild took."""

    refreshed_at = models.DateTimeField(_("刷新时间"), auto_now_add=True, db_index=True)
    cells = models.PositiveIntegerField(_("汇总行数"))
    complaints = models.PositiveIntegerField(_("投诉件数"))
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"))

    class Meta:
        verbose_name = _("统计刷新记录")
        verbose_name_plural = verbose_name
        get_latest_by = "refreshed_at"

    def __str__(self):
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}: {self.cells}"
