"""Working-day calendar reads. The calendar is province-wide reference data: every staff
user sees the same calendar, so there is no data scope to apply."""
from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from apps.core.models import CalendarDay


@dataclass
class MonthCell:
    day: date
    is_working_day: bool
    row: CalendarDay | None

    @property
    def kind(self) -> str:
        if self.row:
            return self.row.kind
        return "working" if self.is_working_day else "rest"


def calendar_days_for_year(*, user, year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).select_related("updated_by").order_by("date")


def calendar_month(*, user, year: int, month: int) -> list[list[MonthCell | None]]:
    """Weeks (Mon–Sun) of the month; days outside it are None. One query."""
    rows = {row.date: row for row in CalendarDay.objects.filter(date__year=year, date__month=month)}
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            if day.month != month:
                cells.append(None)
                continue
            row = rows.get(day)
            cells.append(MonthCell(day=day, row=row,
                                   is_working_day=row.is_working_day if row else day.weekday() < 5))
        weeks.append(cells)
    return weeks
