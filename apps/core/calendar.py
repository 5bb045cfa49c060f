"""Working-day arithmetic (工作日计算). Every deadline of the platform goes through here.

Rules:
* a date with a `CalendarDay` row is working or not as the row says (holidays, 调休 make-up
  working days, admin edits);
* any other date is a working day from Monday to Friday;
* `add_working_days(start, n)` follows the Chinese administrative convention: the day of
  `start` does not count, so 1 working day after Friday 10:00 is Monday 10:00;
* `working_days_between(start, end)` is its inverse: the working days after start's date,
  up to and including end's date.

The exceptions of a year are read in one query and kept in process memory. Edits bump a
generation number in the Django cache (`invalidate()`), which every process checks once per
public call, so an admin's change is seen everywhere at the next call.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

# Cache key of the calendar generation (bumped by invalidate()); caches built on the calendar carry it.
GENERATION_KEY = "core:calendar:generation"
_MAX_SPAN_DAYS = 366 * 20      # guard against runaway loops on absurd input

_memory: dict = {"generation": None, "years": {}}


def invalidate() -> None:
    """Forget every process's cached calendar (call after any CalendarDay write commits)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)
    _memory["generation"] = None
    _memory["years"] = {}


class _Snapshot:
    """The calendar as seen by one public call: one cache read, one query per unseen year."""

    def __init__(self):
        generation = cache.get(GENERATION_KEY, 0)
        if generation != _memory["generation"]:
            _memory["generation"] = generation
            _memory["years"] = {}
        self.years: dict[int, dict[date, bool]] = _memory["years"]

    def load(self, first: int, last: int) -> None:
        missing = [year for year in range(first, last + 1) if year not in self.years]
        if not missing:
            return
        from apps.core.models import CalendarDay

        loaded: dict[int, dict[date, bool]] = {year: {} for year in missing}
        rows = CalendarDay.objects.filter(date__year__in=missing).values_list("date", "is_working_day")
        for day, working in rows:
            loaded[day.year][day] = working
        self.years.update(loaded)

    def is_working(self, day: date) -> bool:
        if day.year not in self.years:
            self.load(day.year, day.year)
        override = self.years[day.year].get(day)
        return override if override is not None else day.weekday() < 5


def _local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def is_working_day(day: date | datetime) -> bool:
    return _Snapshot().is_working(_local_date(day))


def add_working_days(start: date | datetime, n: int):
    """The instant n working days after `start` (same time of day; start's own day not counted)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(_("工作日天数必须是不小于 0 的整数：%(n)s") % {"n": n})
    if n == 0:
        return start
    snapshot = _Snapshot()
    day = _local_date(start)
    snapshot.load(day.year, day.year + 1 + n // 200)
    remaining = n
    while remaining:
        day += timedelta(days=1)
        if snapshot.is_working(day):
            remaining -= 1
    if isinstance(start, datetime):
        local = timezone.localtime(start) if timezone.is_aware(start) else start
        return local.replace(year=day.year, month=day.month, day=day.day)
    return day


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days after start's date up to and including end's date (0 on the same day)."""
    first, last = _local_date(start), _local_date(end)
    both_instants = isinstance(start, datetime) and isinstance(end, datetime)
    if (end < start) if both_instants else (last < first):
        raise ValueError(_("结束时间（%(end)s）早于开始时间（%(start)s）。") % {"end": end, "start": start})
    if (last - first).days > _MAX_SPAN_DAYS:
        raise ValueError(_("时间跨度过大，无法计算工作日。"))
    snapshot = _Snapshot()
    snapshot.load(first.year, last.year)
    return sum(1 for offset in range(1, (last - first).days + 1)
               if snapshot.is_working(first + timedelta(days=offset)))
