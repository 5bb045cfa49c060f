"""Configuration rows of 好差评: indicators, tags, settings, per-region rectification limits."""
from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region
from apps.reviews.models.choices import EvaluationChannel, EvaluationLevel, ObjectKind


class IndicatorSource(models.TextChoices):
    NATIONAL = "national", _("国家下发")
    PROVINCIAL = "provincial", _("省级新增")


class HallAspect(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("基础设施建设")
    QUALITY = "quality", _("政务服务质效")
    OPERATION = "operation", _("运行管理能力")
    INNOVATION = "innovation", _("创新优化特色")


class EvaluationIndicator(models.Model):
    """评价指标: a level-2 indicator under one of the five level-1 levels, per object kind and
    (optionally) channel. Nationally issued ones can be disabled and re-enabled (REV-2.x)."""

    object_kind = models.CharField(_("评价对象"), max_length=16, choices=ObjectKind.choices)
    channel = models.CharField(_("渠道（空为全部）"), max_length=24, choices=EvaluationChannel.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("一级指标（评价等级）"), choices=EvaluationLevel.choices)
    name = models.CharField(_("二级指标"), max_length=128)
    aspect = models.CharField(_("方面（大厅）"), max_length=16, choices=HallAspect.choices, blank=True)
    national_code = models.CharField(_("国办编码"), max_length=32, blank=True)
    source = models.CharField(_("来源"), max_length=12, choices=IndicatorSource.choices,
                              default=IndicatorSource.PROVINCIAL)
    is_enabled = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("显示顺序"), default=0)

    class Meta:
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        ordering = ["object_kind", "level", "order", "pk"]
        indexes = [models.Index(fields=["object_kind", "is_enabled"], name="rev_indicator_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_object_kind_display()} {self.get_level_display()} · {self.name}"


class EvaluationTag(models.Model):
    """评价标签: an opinion tag offered for one level of one object kind (REV-23.3.2)."""

    object_kind = models.CharField(_("评价对象"), max_length=16, choices=ObjectKind.choices)
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=EvaluationLevel.choices)
    name = models.CharField(_("标签"), max_length=64)
    national_code = models.CharField(_("国办编码"), max_length=32, blank=True)
    description = models.CharField(_("描述"), max_length=255, blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("评价标签")
        verbose_name_plural = _("评价标签")
        ordering = ["object_kind", "level", "pk"]
        indexes = [models.Index(fields=["object_kind", "level"], name="rev_tag_kind_level_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.name}"


class EvaluationSettings(models.Model):
    """好差评 settings: one row (pk=1), edited in the admin (REV-23.8, 23.9, 11.4.9, 11.3.1)."""

    default_after_days = models.PositiveSmallIntegerField(_("默认评价天数"), default=15,
                                                          validators=[MinValueValidator(1)])
    default_level = models.PositiveSmallIntegerField(_("默认评价等级"), choices=EvaluationLevel.choices,
                                                     default=EvaluationLevel.SATISFIED)
    reminder_after_days = models.PositiveSmallIntegerField(_("办结未评价短信提醒天数"), default=3)
    window_qr_daily_limit = models.PositiveSmallIntegerField(_("窗口二维码每人每日评价次数"), default=1,
                                                             validators=[MinValueValidator(1)])
    dynamic_qr_valid_hours = models.PositiveSmallIntegerField(_("动态二维码有效小时数"), default=72)
    rectification_limit_working_days = models.PositiveSmallIntegerField(
        _("整改时限（工作日）"), default=15, validators=[MinValueValidator(1), MaxValueValidator(15)])
    near_due_working_days = models.PositiveSmallIntegerField(_("临期提醒（剩余工作日）"), default=2)
    appeal_limit_working_days = models.PositiveSmallIntegerField(_("申诉时限（工作日）"), default=3)
    publication_min_chars = models.PositiveSmallIntegerField(_("需审核公开的最少字数"), default=15)

    class Meta:
        verbose_name = _("好差评参数")
        verbose_name_plural = _("好差评参数")

    def __str__(self) -> str:
        return str(_("好差评参数"))

    @classmethod
    def current(cls) -> "EvaluationSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class RegionRectificationLimit(models.Model):
    """A region's shortened rectification limit (REV-11.4.9); applies to the region's subtree."""

    region = models.OneToOneField(Region, verbose_name=_("区划"), on_delete=models.CASCADE, related_name="+")
    working_days = models.PositiveSmallIntegerField(_("整改时限（工作日）"),
                                                    validators=[MinValueValidator(1), MaxValueValidator(15)])

    class Meta:
        verbose_name = _("地区整改时限")
        verbose_name_plural = _("地区整改时限")

    def __str__(self) -> str:
        return f"{self.region} {self.working_days}"
