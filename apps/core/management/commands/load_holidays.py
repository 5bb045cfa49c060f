"""Seed the working-day calendar from the `chinesecalendar` package (State Council notices).

    manage.py load_holidays                 # this year and next
    manage.py load_holidays 2025 2026

Idempotent. Writes holidays and 调休 make-up working days with source=package; a date an
admin has edited (source=manual) is never touched.
"""
from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.core import calendar
from apps.core.models import CalendarDay, CalendarDaySource

HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def package_days(year: int) -> dict[date, dict]:
    """The dates of `year` the package marks as holidays or make-up working days."""
    days: dict[date, dict] = {}
    day = date(year, 1, 1)
    while day.year == year:
        try:
            working = chinese_calendar.is_workday(day)
            _on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError as exc:
            raise CommandError(f"chinesecalendar has no data for {year}: {exc}") from exc
        label = HOLIDAY_NAMES.get(name, name or "")
        if name and not working:
            days[day] = {"is_working_day": False, "is_holiday": True, "is_makeup_day": False, "label": label}
        elif working and day.weekday() >= 5:
            days[day] = {"is_working_day": True, "is_holiday": False, "is_makeup_day": True,
                         "label": f"{label}调休上班" if label else "调休上班"}
        day += timedelta(days=1)
    return days


class Command(BaseCommand):
    help = "Load holidays and make-up working days from the chinesecalendar package (never overwrites manual edits)."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int)

    def handle(self, *args, **options):
        this_year = timezone.localdate().year
        for year in options["years"] or [this_year, this_year + 1]:
            try:
                written, kept = self.load_year(year)
            except CommandError as exc:
                self.stderr.write(str(exc))
                continue
            self.stdout.write(f"{year}: {written} package day(s) loaded, {kept} manual day(s) kept.")
        calendar.invalidate()

    @transaction.atomic
    def load_year(self, year: int) -> tuple[int, int]:
        wanted = package_days(year)
        manual = set(CalendarDay.objects.filter(date__year=year, source=CalendarDaySource.MANUAL)
                     .values_list("date", flat=True))
        CalendarDay.objects.filter(date__year=year, source=CalendarDaySource.PACKAGE).exclude(
            date__in=list(wanted)).delete()
        for day, flags in wanted.items():
            if day not in manual:
                CalendarDay.objects.update_or_create(date=day, defaults={**flags, "source": CalendarDaySource.PACKAGE})
        return len(set(wanted) - manual), len(manual)
