"""Calendar labels and slot generation (R3 – R6): which dates take which slots."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.acceptance import caching
from apps.acceptance.models import (
    BookableMatter, CalendarLabel, CalendarLabelDate, CalendarLabelKind, Hall, Slot, SlotKind, SlotPlan,
)
from apps.core.models import CalendarDay
from apps.core.scope import can_see
from apps.core.services.audit import audit_record

MANAGE_PERMISSION = "acceptance.manage_appointments"
MAX_GENERATION_DAYS = 92


@dataclass
class DayRule:
    """What a date allows at one hall."""

    day: date
    labels: list[str] = field(default_factory=list)
    no_booking: bool = False
    regular_open: bool = False
    extended_open: bool = False

    def allows(self, kind: str) -> bool:
        if self.no_booking:
            return False
        if kind == SlotKind.EXTENDED_SERVICE:
            return self.extended_open
        return self.regular_open


def require_manager(actor, hall: Hall) -> None:
    if not actor.has_perm(MANAGE_PERMISSION) or not can_see(actor, hall):
        raise PermissionDenied(_("您没有管理该大厅预约的权限。"))


def working_day_map(first: date, last: date) -> tuple[dict[date, bool], set[date]]:
    """Working day or not for every date in [first, last], and the statutory holidays, in ONE query.

    Same rule as `apps.core.calendar.is_working_day` (a `CalendarDay` row decides, otherwise Monday to
    Friday) without a cache round trip per date; the kernel has no range call yet (see the report)."""
    rows = {day: (working, holiday) for day, working, holiday in
            CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "is_working_day", "is_holiday")}
    working, holidays = {}, set()
    day = first
    while day <= last:
        row = rows.get(day)
        working[day] = row[0] if row else day.weekday() < 5
        if row and row[1]:
            holidays.add(day)
        day += timedelta(days=1)
    return working, holidays


def day_rules(hall: Hall, first: date, last: date) -> dict[date, DayRule]:
    """Rules for every date in [first, last] at `hall`: two queries whatever the span, then cached per
    (hall, range) until a label, plan, slot or the kernel calendar changes (apps/acceptance/caching.py)."""
    return caching.day_rules_cached(hall.pk, first, last, lambda: _compute_day_rules(hall, first, last))


def _compute_day_rules(hall: Hall, first: date, last: date) -> dict[date, DayRule]:
    labelled: dict[date, list[CalendarLabel]] = {}
    builtin: dict[str, str] = {}
    rows = (CalendarLabelDate.objects.filter(date__range=(first, last))
            .filter(Q(label__hall__isnull=True) | Q(label__hall=hall)).select_related("label"))
    for row in rows:
        labelled.setdefault(row.date, []).append(row.label)
    for label in CalendarLabel.objects.filter(is_builtin=True).only("kind", "name"):
        builtin[label.kind] = label.name
    working, holidays = working_day_map(first, last)
    return {day: _rule_for(day, labelled.get(day, []), day in holidays, working[day], builtin) for day in working}


def _rule_for(day: date, labels: list[CalendarLabel], holiday: bool, working: bool, builtin: dict) -> DayRule:
    kinds = {label.kind for label in labels}
    weekend = day.weekday() >= 5 and not working and not holiday
    names = [label.name for label in labels]
    if holiday:
        names.insert(0, builtin.get(CalendarLabelKind.HOLIDAY, _("国家法定节假日")))
    elif weekend:
        names.insert(0, builtin.get(CalendarLabelKind.WEEKEND, _("周末")))
    regular = (working or (weekend and CalendarLabelKind.OPEN_WEEKEND in kinds)
               or (holiday and CalendarLabelKind.OPEN_HOLIDAY in kinds))
    return DayRule(day=day, labels=names, no_booking=CalendarLabelKind.NO_BOOKING in kinds,
                   regular_open=regular, extended_open=not working)


def day_rule(hall: Hall, day: date) -> DayRule:
    return day_rules(hall, day, day)[day]


def calendar_label_apply(*, label: CalendarLabel, dates: list[date], actor) -> int:
    """Batch-assign `label` to dates; returns how many were new (ACC-5.6)."""
    if not actor.has_perm(MANAGE_PERMISSION) or (label.hall and not can_see(actor, label.hall)):
        raise PermissionDenied(_("您没有管理日历标签的权限。"))
    if label.kind in (CalendarLabelKind.WEEKEND, CalendarLabelKind.HOLIDAY):
        raise ValidationError(_("周末和法定节假日标签由工作日历自动生成，无需逐日设置。"))
    if not dates:
        raise ValidationError(_("请至少选择一个日期。"))
    with transaction.atomic():
        before = label.dates.count()
        CalendarLabelDate.objects.bulk_create([CalendarLabelDate(label=label, date=d) for d in set(dates)],
                                              ignore_conflicts=True)
        added = label.dates.count() - before
        caching.config_changed()
        audit_record(actor=actor, action="update", obj=label,
                     detail=_("批量设置日历标签“%(name)s”：%(n)s 天") % {"name": label.name, "n": added})
    return added


def parse_periods(periods) -> list[tuple[time, time, int]]:
    """Validate a plan's periods: [{"start": "08:00", "end": "09:00", "capacity": 20}, ...]."""
    parsed = []
    if not isinstance(periods, list) or not periods:
        raise ValidationError(_("请至少设置一个时间段。"))
    for item in periods:
        try:
            start = datetime.strptime(str(item["start"]), "%H:%M").time()
            end = datetime.strptime(str(item["end"]), "%H:%M").time()
            capacity = int(item["capacity"])
        except (KeyError, TypeError, ValueError):
            raise ValidationError(_("时间段格式应为 开始-结束 和 号源数，例如 08:00-09:00 20。")) from None
        if end <= start or capacity <= 0:
            raise ValidationError(_("时间段 %(s)s-%(e)s：结束时间须晚于开始时间，号源数须大于0。")
                                  % {"s": item["start"], "e": item["end"]})
        parsed.append((start, end, capacity))
    return parsed


def slots_generate(*, bookable_matter: BookableMatter, first: date, last: date, actor) -> int:
    """Regular slots from the active plans for [first, last] (R3, R5, R6); existing slots are kept."""
    require_manager(actor, bookable_matter.hall)
    if last < first or (last - first).days > MAX_GENERATION_DAYS:
        raise ValidationError(_("放号日期范围须在 %(n)s 天以内，且结束日期不早于开始日期。") % {"n": MAX_GENERATION_DAYS})
    plans = list(SlotPlan.objects.filter(bookable_matter=bookable_matter, is_active=True))
    if not plans:
        raise ValidationError(_("该预约事项还没有启用的放号方案。"))
    rules = day_rules(bookable_matter.hall, first, last)
    slots = []
    for plan in plans:
        periods = parse_periods(plan.periods)
        for day, rule in rules.items():
            if not rule.allows(plan.kind):
                continue
            slots += [Slot(bookable_matter=bookable_matter, hall_id=bookable_matter.hall_id, date=day,
                           period_start=start, period_end=end, capacity=capacity, kind=plan.kind)
                      for start, end, capacity in periods]
    with transaction.atomic():
        before = Slot.objects.filter(bookable_matter=bookable_matter).count()
        Slot.objects.bulk_create(slots, ignore_conflicts=True)
        created = Slot.objects.filter(bookable_matter=bookable_matter).count() - before
        caching.config_changed()
        audit_record(actor=actor, action="create", obj=bookable_matter,
                     detail=_("生成号源 %(a)s 至 %(b)s：%(n)s 个") % {"a": first, "b": last, "n": created})
    return created


def slot_create(*, bookable_matter: BookableMatter, day: date, period_start: time, period_end: time,
                capacity: int, actor, kind: str = SlotKind.CUSTOM) -> Slot:
    """One irregular slot (R4), or an extended-service slot published by hand (R6)."""
    require_manager(actor, bookable_matter.hall)
    if period_end <= period_start:
        raise ValidationError(_("结束时间须晚于开始时间。"))
    if capacity is None or capacity <= 0:
        raise ValidationError(_("最大可预约数须大于0。"))
    rule = day_rule(bookable_matter.hall, day)
    if rule.no_booking:
        raise ValidationError(_("%(d)s 已设置为“禁止预约”，不能发布号源。") % {"d": day})
    try:
        with transaction.atomic():
            slot = Slot.objects.create(bookable_matter=bookable_matter, hall_id=bookable_matter.hall_id, date=day,
                                       period_start=period_start, period_end=period_end, capacity=capacity,
                                       kind=kind)
            audit_record(actor=actor, action="create", obj=slot, detail=_("发布号源"))
    except IntegrityError:
        raise ValidationError(_("该事项在此日期和时间段已有号源。")) from None
    return slot
