"""Channel visits (ACC-2.6) and demand warning plans (ACC-5.11)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.appointments import Channel
from apps.core.scope import ScopedQuerySet


class VisitFunction(models.TextChoices):
    HALLS = "halls", _("大厅导航")
    HALL = "hall", _("大厅详情")
    BOOK = "book", _("在线预约")
    MINE = "mine", _("我的预约")
    QUERY = "query", _("预约查询")
    APPLY = "apply", _("网上申报")
    CONSULT = "consult", _("办理咨询")
    LOOKUP = "lookup", _("综合查询")


class ChannelVisit(models.Model):
    """渠道访问量: visits of one channel to one front-end function within one clock hour. One row per
    (channel, function, hour), counted up by one INSERT … ON CONFLICT statement per visit."""

    channel = models.CharField(_("渠道"), max_length=24, choices=Channel.choices)
    function = models.CharField(_("功能"), max_length=16, choices=VisitFunction.choices)
    hour = models.DateTimeField(_("时段"))
    count = models.PositiveIntegerField(_("访问量"), default=0)

    class Meta:
        verbose_name = _("渠道访问量")
        verbose_name_plural = _("渠道访问量")
        constraints = [models.UniqueConstraint(fields=["channel", "function", "hour"], name="acc_visit_uniq")]
        indexes = [models.Index(fields=["hour"], name="acc_visit_hour_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.function} {self.hour:%Y-%m-%d %H}:00 {self.count}"


class WarningMetric(models.TextChoices):
    HOUR_VISITS = "hour_visits", _("本小时访问量（全部渠道）")
    FILL_RATE = "fill_rate", _("未来7天号源预约率（%）")


class WarningPlan(models.Model):
    """预警计划: a threshold on a monitored figure, owned by a hall (its administrators see and edit it);
    over the threshold the demand page raises a warning. The fill rate is the hall's; visits are all
    channels' (the front end is shared by every hall)."""

    name = models.CharField(_("计划名称"), max_length=100)
    metric = models.CharField(_("监测指标"), max_length=16, choices=WarningMetric.choices)
    hall = models.ForeignKey("acceptance.Hall", verbose_name=_("大厅"), on_delete=models.CASCADE,
                             related_name="warning_plans")
    threshold = models.PositiveIntegerField(_("预警阈值"))
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("预警计划")
        verbose_name_plural = _("预警计划")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
