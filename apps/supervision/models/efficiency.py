"""Efficiency supervision (效能监督, MAT-6): indicators with rules, supervision tasks, scores."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SupervisionTheme(models.TextChoices):
    AT_MOST_ONE_TRIP = "at_most_one_trip", _("最多跑一次")
    CONTACTLESS_APPROVAL = "contactless_approval", _("不见面审批")
    FULLY_ONLINE = "fully_online", _("全流程网办")
    ONE_NETWORK_ONE_DOOR_ONE_TRIP = "one_network_one_door_one_trip", _("一网一门一次")
    BUSINESS_ENVIRONMENT = "business_environment", _("营商环境")
    ONE_NETWORK = "one_network", _("一网通办")


class IndicatorMetric(models.TextChoices):
    """Data an indicator uses when the system scores it automatically; `manual` = assessors enter it."""

    COMPLAINT_ON_TIME_RATE = "complaint_on_time_rate", _("投诉按期办结率")
    COMPLAINT_OVERDUE_COUNT = "complaint_overdue_count", _("超期投诉件数")
    COMPLAINT_CONCLUSION_RATE = "complaint_conclusion_rate", _("投诉办结率")
    CARD_COUNT = "card_count", _("黄牌红牌数")
    CASE_ON_TIME_RATE = "case_on_time_rate", _("办件按期办结率")
    CASE_OVERDUE_COUNT = "case_overdue_count", _("超期办件数")
    MANUAL = "manual", _("人工采集")


class AssessmentMethod(models.TextChoices):
    RATIO = "ratio", _("按比例得分（分值×比率）")
    DEDUCT = "deduct", _("按件扣分（每件扣分，扣完为止）")
    MANUAL = "manual", _("人工评分")


class SupervisionIndicator(models.Model):
    """监督指标: name, number, the data it uses and where that data comes from (MAT-6.1)."""

    theme = models.CharField(_("主题"), max_length=40, choices=SupervisionTheme.choices, db_index=True)
    number = models.CharField(_("指标编号"), max_length=32, unique=True)
    name = models.CharField(_("指标名称"), max_length=100)
    metric = models.CharField(_("使用数据"), max_length=40, choices=IndicatorMetric.choices)
    data_source = models.CharField(_("数据来源"), max_length=200, default="投诉受理与效能监督系统")
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("监督指标")
        verbose_name_plural = _("监督指标")
        ordering = ["theme", "number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class IndicatorRule(models.Model):
    """指标细则: name, assessment method and score of one indicator."""

    indicator = models.ForeignKey(SupervisionIndicator, verbose_name=_("监督指标"), on_delete=models.CASCADE,
                                  related_name="rules")
    name = models.CharField(_("细则名称"), max_length=100)
    method = models.CharField(_("考评方式"), max_length=12, choices=AssessmentMethod.choices)
    score = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    deduction = models.DecimalField(_("每件扣分"), max_digits=6, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("指标细则")
        verbose_name_plural = _("指标细则")

    def __str__(self) -> str:
        return self.name


class TaskStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    SCORED = "scored", _("已评分")


class SupervisionTask(models.Model):
    """监督任务: a policy goal, chosen indicators, a period and the departments assessed (MAT-6.2)."""

    name = models.CharField(_("任务名称"), max_length=100)
    theme = models.CharField(_("主题"), max_length=40, choices=SupervisionTheme.choices)
    indicators = models.ManyToManyField(SupervisionIndicator, verbose_name=_("监督指标"), related_name="tasks")
    region = models.ForeignKey("core.Region", verbose_name=_("考评区划"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("考评期起"))
    period_end = models.DateField(_("考评期止"))
    status = models.CharField(_("状态"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)

    scope_region_field = "region"

    class Meta:
        verbose_name = _("监督任务")
        verbose_name_plural = _("监督任务")
        ordering = ["-created_at"]
        permissions = [("score_supervisiontask", _("可以为监督任务评分"))]

    def __str__(self) -> str:
        return self.name


class TaskScore(models.Model):
    """One department's result on one indicator of one task (automatic or entered by hand)."""

    task = models.ForeignKey(SupervisionTask, verbose_name=_("监督任务"), on_delete=models.CASCADE,
                             related_name="scores")
    department = models.ForeignKey("core.Organisation", verbose_name=_("考评对象"), on_delete=models.CASCADE,
                                   related_name="+")
    indicator = models.ForeignKey(SupervisionIndicator, verbose_name=_("监督指标"), on_delete=models.CASCADE,
                                  related_name="+")
    value = models.DecimalField(_("指标数据"), max_digits=12, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(_("得分"), max_digits=8, decimal_places=2)
    manual = models.BooleanField(_("人工评分"), default=False)
    scored_at = models.DateTimeField(_("评分时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考评得分")
        verbose_name_plural = _("考评得分")
        constraints = [models.UniqueConstraint(fields=["task", "department", "indicator"],
                                               name="supervision_one_score_per_indicator")]
