"""Topic databases (专题库, ANA-1.1): one `TopicDataset` row per topic (1.1.a–u) and its compact
snapshot rows (`TopicFact`), rebuilt by the refresh job from aggregate queries over the owning apps."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class TopicCategory(models.TextChoices):
    VOLUME = "volume", _("访问量统计")
    MATTER_CLAIM = "matter_claim", _("事项认领下放")
    EXCHANGE = "exchange", _("数据交换")
    SEAL = "seal", _("电子印章")
    LICENCE = "licence", _("电子证照")
    ORGANISATION = "organisation", _("组织机构")
    RATE = "rate", _("网办率")
    REVIEW = "review", _("好差评")
    OVERDUE = "overdue", _("超期办件")
    NATIONAL_ANOMALY = "national_anomaly", _("省报国家异常")


class TopicDataset(models.Model):
    """专题库: one topic database of ANA-1.1 (code a–u), its source and the state of its last refresh.
    The rows are created by migration from the registry in apps.analytics.topics; admins may disable one."""

    code = models.CharField(_("专题库编码"), max_length=2, unique=True)
    name = models.CharField(_("专题库名称"), max_length=64)
    english_name = models.CharField(_("英文名称"), max_length=128, blank=True)
    category = models.CharField(_("分类"), max_length=24, choices=TopicCategory.choices)
    source = models.CharField(_("数据来源"), max_length=255, blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)
    last_refreshed_at = models.DateTimeField(_("最近刷新时间"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("快照行数"), default=0)
    source_count = models.PositiveIntegerField(_("源数据条数"), default=0)
    last_job = models.ForeignKey("core.JobRun", verbose_name=_("最近刷新任务"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("专题库")
        verbose_name_plural = _("专题库")
        ordering = ["code"]
        permissions = [("refresh_topicdataset", _("刷新专题库")),
                       ("view_charts", _("查看综合展示分析图"))]

    def __str__(self) -> str:
        return f"1.1.{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("analytics:dataset-detail", args=[self.code])


class TopicFact(models.Model):
    """One snapshot row of a topic database: a count (`value`, with `total` where a rate needs a
    denominator) of one `dimension`/`label` in one region, organisation and day (each as fits the topic).
    Rows of a dataset are replaced as a whole by each refresh; nothing else writes them."""

    dataset = models.ForeignKey(TopicDataset, verbose_name=_("专题库"), on_delete=models.CASCADE, related_name="facts")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("机构"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"), null=True, blank=True)
    dimension = models.CharField(_("维度"), max_length=32)
    label = models.CharField(_("分项"), max_length=200, blank=True)
    value = models.BigIntegerField(_("数值"), default=0)
    total = models.BigIntegerField(_("基数"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("专题库快照数据")
        verbose_name_plural = _("专题库快照数据")
        ordering = ["dataset", "region", "dimension", "label"]
        indexes = [models.Index(fields=["dataset", "region"], name="ana_fact_dataset_region_idx"),
                   models.Index(fields=["dataset", "day"], name="ana_fact_dataset_day_idx")]

    def __str__(self) -> str:
        return f"{self.dataset.code} {self.region_id} {self.dimension} {self.label} {self.value}"
