"""Pre-aggregated evaluation counts (统计汇总表) read by every statistics page and ranking."""
from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.reviews.models.choices import EvaluationChannel, ObjectKind


class AggregateKey(models.Model):
    """The dimensions every evaluation roll-up shares: day × region (and its city) × department ×
    object kind × channel."""

    day = models.DateField(_("日期"))
    region_code = models.CharField(_("区划代码"), max_length=12)
    city_code = models.CharField(_("市级区划代码"), max_length=12)
    organisation_id = models.BigIntegerField(_("部门"), default=0)
    object_kind = models.CharField(_("评价对象"), max_length=16, choices=ObjectKind.choices)
    channel = models.CharField(_("渠道"), max_length=24, choices=EvaluationChannel.choices)

    class Meta:
        abstract = True


class EvaluationAggregate(AggregateKey):
    """Counts per day × region × department × hall × window × staff × matter × object × channel ×
    integrator application (client; 0 = the platform's own pages).

    Missing dimensions are stored as 0 (not NULL) so the unique key covers them and the
    incremental refresh can upsert with INSERT … ON CONFLICT DO UPDATE.
    """

    hall_id = models.BigIntegerField(_("大厅"), default=0)
    window_id = models.BigIntegerField(_("窗口"), default=0)
    staff_id = models.BigIntegerField(_("人员"), default=0)
    matter_id = models.BigIntegerField(_("事项"), default=0)
    client_id = models.BigIntegerField(_("接入应用"), default=0)
    total = models.IntegerField(_("评价数"), default=0)
    level1 = models.IntegerField(_("非常满意"), default=0)
    level2 = models.IntegerField(_("满意"), default=0)
    level3 = models.IntegerField(_("基本满意"), default=0)
    level4 = models.IntegerField(_("不满意"), default=0)
    level5 = models.IntegerField(_("非常不满意"), default=0)
    invalid = models.IntegerField(_("无效差评"), default=0)
    rectified = models.IntegerField(_("已整改差评"), default=0)

    class Meta:
        verbose_name = _("评价统计汇总")
        verbose_name_plural = _("评价统计汇总")
        constraints = [models.UniqueConstraint(
            fields=["day", "region_code", "organisation_id", "hall_id", "window_id", "staff_id", "matter_id",
                    "object_kind", "channel", "client_id"], name="rev_aggregate_key")]
        indexes = [models.Index(fields=["city_code", "day"], name="rev_agg_city_day_idx"),
                   models.Index(fields=["region_code", "day"], name="rev_agg_region_day_idx"),
                   models.Index(fields=["day"], name="rev_agg_day_idx"),
                   models.Index(fields=["client_id"], condition=~models.Q(client_id=0), name="rev_agg_client_idx"),
                   models.Index(fields=["matter_id"], condition=~models.Q(matter_id=0), name="rev_agg_matter_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.region_code} {self.total}"


class ClientAccessDaily(models.Model):
    """Open-interface calls per day × application × interface (REV-7.1 monitoring), kept up to date
    with one INSERT … ON CONFLICT per call so the monitor never counts the raw call log."""

    day = models.DateField(_("日期"))
    client_id = models.BigIntegerField(_("接入应用"), default=0)
    category = models.CharField(_("接口类别"), max_length=24)
    calls = models.IntegerField(_("调用量"), default=0)
    refused = models.IntegerField(_("拒绝"), default=0)
    records = models.IntegerField(_("记录数"), default=0)

    class Meta:
        verbose_name = _("接口调用日汇总")
        verbose_name_plural = _("接口调用日汇总")
        constraints = [models.UniqueConstraint(fields=["day", "client_id", "category"], name="rev_access_daily_key")]
        indexes = [models.Index(fields=["client_id", "day"], name="rev_access_daily_client_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.client_id} {self.category} {self.calls}"


class MatterSatisfactionPush(models.Model):
    """What was last written back to the matter library for one item (REV-21.1): the push sends
    only items whose counts changed since this snapshot."""

    matter = models.OneToOneField("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                                  related_name="+")
    total = models.IntegerField(_("评价数"), default=0)
    score = models.DecimalField(_("满意度得分"), max_digits=5, decimal_places=2, default=0)
    good_rate = models.DecimalField(_("好评率"), max_digits=5, decimal_places=1, default=0)
    version = models.PositiveIntegerField(_("版本"), default=0)
    dirty = models.BooleanField(_("待推送"), default=True)
    pushed_at = models.DateTimeField(_("推送时间"), auto_now=True)

    class Meta:
        verbose_name = _("事项满意度回写")
        verbose_name_plural = _("事项满意度回写")
        indexes = [models.Index(fields=["matter"], condition=models.Q(dirty=True), name="rev_matter_push_dirty_idx")]

    def __str__(self) -> str:
        return f"{self.matter_id} v{self.version} {self.score}"


class ImpressionAggregate(AggregateKey):
    """Impression ratings (印象评价, "维度:好/中/差", REV-23.2) counted per day × region × department ×
    object kind × channel × evaluated target (window, staff, hall or item — `target_id`, 0 when the
    evaluation names none) × dimension × value. Kept by the same incremental refresh as
    `EvaluationAggregate` (INSERT … ON CONFLICT DO UPDATE), so the impression analysis never
    unnests the evaluations' JSON."""

    target_id = models.BigIntegerField(_("评价对象标识"), default=0)
    dimension = models.CharField(_("印象维度"), max_length=32)
    value = models.CharField(_("印象"), max_length=4)
    count = models.IntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("印象评价汇总")
        verbose_name_plural = _("印象评价汇总")
        constraints = [models.UniqueConstraint(
            fields=["day", "region_code", "organisation_id", "object_kind", "channel", "target_id", "dimension",
                    "value"], name="rev_impression_aggregate_key")]
        indexes = [models.Index(fields=["object_kind", "region_code", "day"], name="rev_imp_kind_region_day_idx"),
                   models.Index(fields=["object_kind", "day"], name="rev_imp_kind_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.dimension}:{self.value} {self.count}"


class OverviewSnapshot(models.Model):
    """The public overview's finished figures for one region (REV-12, 13): totals, levels, channels,
    objects, the subordinate-region and department rankings, top items, staff and halls, hall
    counts and the hall map — computed by `overview_refresh` so a page view reads one row.

    `dirty` is set by the incremental aggregate refresh (and the appeal / rectification
    adjustments) for the region and its ancestors; the refresh task recomputes dirty rows."""

    region_code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    data = models.JSONField(_("概览数据"), encoder=DjangoJSONEncoder, default=dict)
    computed_at = models.DateTimeField(_("数据更新时间"))
    dirty = models.BooleanField(_("待刷新"), default=False)

    class Meta:
        verbose_name = _("好差评概览快照")
        verbose_name_plural = _("好差评概览快照")
        indexes = [models.Index(fields=["computed_at"], condition=models.Q(dirty=True),
                                name="rev_overview_dirty_idx")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.computed_at:%Y-%m-%d %H:%M:%S}"
