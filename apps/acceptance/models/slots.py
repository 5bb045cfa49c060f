"""Bookable matters, slot plans, slots, matter groups and calendar labels (ACC-5.3 – 5.8, R1 – R8)."""
from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.halls import Hall
from apps.core.scope import ScopedQuerySet


class BookableMatter(models.Model):
    """预约事项: an implementation item bookable at one hall."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="bookable_matters")
    matter = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                               related_name="bookable_at")
    department_name = models.CharField(_("所属部门"), max_length=128, blank=True)
    is_active = models.BooleanField(_("可预约"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("预约事项")
        verbose_name_plural = _("预约事项")
        constraints = [models.UniqueConstraint(fields=["hall", "matter"], name="acc_bookable_uniq")]

    def __str__(self) -> str:
        return f"{self.hall} · {self.matter.name}"


class SlotKind(models.TextChoices):
    PRIORITY_HANDLING = "priority_handling", _("优先办事")
    EXTENDED_SERVICE = "extended_service", _("延时服务")
    CUSTOM = "custom", _("自定义号源")


class SlotPlan(models.Model):
    """优先办事方案 / 延时服务方案: which periods and capacities regular slot generation creates.

    `periods` is a list of {"start": "08:00", "end": "09:00", "capacity": 20}. A priority plan
    generates on bookable working days (and days labelled open); an extended-service plan
    generates only on rest days and holidays (R6).
    """

    bookable_matter = models.ForeignKey(BookableMatter, verbose_name=_("预约事项"), on_delete=models.CASCADE,
                                        related_name="plans")
    kind = models.CharField(_("方案类型"), max_length=20, choices=SlotKind.choices[:2])
    periods = models.JSONField(_("时间段"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)

    scope_region_field = "bookable_matter__hall__region"
    scope_organisation_field = "bookable_matter__hall__organisation"

    class Meta:
        verbose_name = _("放号方案")
        verbose_name_plural = _("放号方案")
        constraints = [models.UniqueConstraint(fields=["bookable_matter", "kind"], name="acc_plan_kind_uniq")]

    def __str__(self) -> str:
        return f"{self.bookable_matter} · {self.get_kind_display()}"


class Slot(models.Model):
    """号源: matter × date × time period × capacity. `booked_count` never exceeds `capacity`
    (a database check constraint backs the conditional update of the booking service)."""

    bookable_matter = models.ForeignKey(BookableMatter, verbose_name=_("预约事项"), on_delete=models.CASCADE,
                                        related_name="slots")
    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(_("日期"))
    period_start = models.TimeField(_("开始时间"))
    period_end = models.TimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("最大可预约数"))
    booked_count = models.PositiveIntegerField(_("已预约人数"), default=0)
    kind = models.CharField(_("号源类型"), max_length=20, choices=SlotKind.choices, default=SlotKind.CUSTOM)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("号源")
        verbose_name_plural = _("号源")
        ordering = ["date", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["bookable_matter", "date", "period_start", "period_end"],
                                    name="acc_slot_uniq"),
            models.CheckConstraint(condition=Q(booked_count__lte=F("capacity")), name="acc_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")), name="acc_slot_period_order"),
        ]
        indexes = [models.Index(fields=["hall", "date"], name="acc_slot_hall_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.period_start:%H:%M}-{self.period_end:%H:%M}"

    @property
    def is_full(self) -> bool:
        return self.booked_count >= self.capacity

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%H:%M}-{self.period_end:%H:%M}"


class MatterGroup(models.Model):
    """事项组: matters (usually at one window) sharing a per-period quota (R8)."""

    hall = models.ForeignKey(Hall, verbose_name=_("大厅"), on_delete=models.CASCADE, related_name="matter_groups")
    name = models.CharField(_("事项组名称"), max_length=64)
    members = models.ManyToManyField(BookableMatter, verbose_name=_("组内事项"), related_name="groups")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "hall__region"
    scope_organisation_field = "hall__organisation"

    class Meta:
        verbose_name = _("事项组")
        verbose_name_plural = _("事项组")

    def __str__(self) -> str:
        return self.name


class MatterGroupQuota(models.Model):
    """限号规则: the group's quota for one time period (any date)."""

    group = models.ForeignKey(MatterGroup, verbose_name=_("事项组"), on_delete=models.CASCADE, related_name="quotas")
    period_start = models.TimeField(_("开始时间"))
    period_end = models.TimeField(_("结束时间"))
    quota = models.PositiveIntegerField(_("限号数"))

    class Meta:
        verbose_name = _("限号规则")
        verbose_name_plural = _("限号规则")
        constraints = [models.UniqueConstraint(fields=["group", "period_start", "period_end"],
                                               name="acc_group_quota_uniq")]


class MatterGroupUsage(models.Model):
    """Bookings counted against a group quota on one date and period (the group's counter row)."""

    group = models.ForeignKey(MatterGroup, on_delete=models.CASCADE, related_name="usages")
    date = models.DateField()
    period_start = models.TimeField()
    period_end = models.TimeField()
    quota = models.PositiveIntegerField()
    booked_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("事项组占用")
        verbose_name_plural = _("事项组占用")
        constraints = [
            models.UniqueConstraint(fields=["group", "date", "period_start", "period_end"], name="acc_usage_uniq"),
            models.CheckConstraint(condition=Q(booked_count__lte=F("quota")), name="acc_usage_within_quota"),
        ]


class CalendarLabelKind(models.TextChoices):
    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("国家法定节假日")
    NO_BOOKING = "no_booking", _("禁止预约")
    OPEN_WEEKEND = "open_weekend", _("周末不打烊")
    OPEN_HOLIDAY = "open_holiday", _("法定节假日办公")


class CalendarLabel(models.Model):
    """日历标签: a named label on dates that controls booking (R5).

    Weekend and holiday labels are built in: their dates come from the kernel working-day
    calendar (apps.core.calendar), so they need no dates of their own. The other kinds apply
    to the dates listed in `CalendarLabelDate`, for one hall or (hall empty) for all halls.
    """

    name = models.CharField(_("标签名称"), max_length=32)
    kind = models.CharField(_("标签类型"), max_length=20, choices=CalendarLabelKind.choices)
    hall = models.ForeignKey(Hall, verbose_name=_("适用大厅"), null=True, blank=True, on_delete=models.CASCADE,
                             related_name="calendar_labels", help_text=_("为空表示全部大厅"))
    colour = models.CharField(_("颜色"), max_length=16, default="#d9534f")
    is_builtin = models.BooleanField(_("系统默认"), default=False, editable=False)

    class Meta:
        verbose_name = _("日历标签")
        verbose_name_plural = _("日历标签")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class CalendarLabelDate(models.Model):
    """One date carrying a label (batch-assigned)."""

    label = models.ForeignKey(CalendarLabel, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("标签日期")
        verbose_name_plural = _("标签日期")
        constraints = [models.UniqueConstraint(fields=["label", "date"], name="acc_label_date_uniq")]
        indexes = [models.Index(fields=["date"], name="acc_label_date_idx")]
