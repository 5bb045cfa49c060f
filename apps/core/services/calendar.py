"""Working-day calendar writes (PORTAL-7.7): admins mark holidays and make-up working days."""
from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core import calendar
from apps.core.models import CalendarDay, CalendarDaySource

DAY_KINDS = ("holiday", "makeup", "working", "rest")
MAX_RANGE_DAYS = 62


def _flags(kind: str) -> dict:
    return {
        "holiday": {"is_working_day": False, "is_holiday": True, "is_makeup_day": False},
        "makeup": {"is_working_day": True, "is_holiday": False, "is_makeup_day": True},
        "working": {"is_working_day": True, "is_holiday": False, "is_makeup_day": False},
        "rest": {"is_working_day": False, "is_holiday": False, "is_makeup_day": False},
    }[kind]


def _check(by) -> None:
    if not by.has_perm("core.change_calendarday"):
        raise PermissionDenied(_("您没有配置工作日的权限。"))


def calendar_day_set(*, day: date, kind: str, label: str = "", by) -> CalendarDay:
    """Set one date as holiday / make-up working day / ordinary working / rest day (a manual edit)."""
    _check(by)
    if kind not in DAY_KINDS:
        raise ValidationError({"kind": _("未知的日期类型：%(k)s") % {"k": kind}})
    with transaction.atomic():
        row, _created = CalendarDay.objects.update_or_create(
            date=day, defaults={**_flags(kind), "label": label.strip()[:64], "source": CalendarDaySource.MANUAL,
                                "updated_by": by})
        transaction.on_commit(calendar.invalidate)
    return row


def calendar_range_set_holiday(*, start: date, end: date, label: str, by) -> int:
    """Mark every date from start to end (inclusive) a holiday; returns the number of dates."""
    _check(by)
    if end < start:
        raise ValidationError({"end": _("结束日期（%(end)s）早于开始日期（%(start)s），请重新选择。")
                               % {"end": end, "start": start}})
    span = (end - start).days + 1
    if span > MAX_RANGE_DAYS:
        raise ValidationError({"end": _("一次最多设置 %(n)s 天。") % {"n": MAX_RANGE_DAYS}})
    with transaction.atomic():
        for offset in range(span):
            calendar_day_set(day=start + timedelta(days=offset), kind="holiday", label=label, by=by)
    return span
