"""The date range of a statistics page (按日统计 PORTAL-7.6, 7.8): a start and an end date, the end not after
today and not before the start, at most `max_days` days; the last 30 days by default."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("开始日期"), widget=DATE_INPUT)
    end = forms.DateField(label=_("结束日期"), widget=DATE_INPUT)
    max_days = 366

    @classmethod
    def bound(cls, query, *, default_days: int = 30, **kwargs):
        """The form bound to the page's query, or to the last `default_days` days when it names no start."""
        if "start" not in query:
            today = timezone.localdate()
            query = {"start": (today - timedelta(days=default_days - 1)).isoformat(), "end": today.isoformat()}
        return cls(query, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
            elif end > timezone.localdate():
                self.add_error("end", _("结束日期不能晚于今天。"))
            elif (end - start).days + 1 > self.max_days:
                self.add_error("end", _("一次最多统计 %(days)s 天。") % {"days": self.max_days})
        return data


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The aware datetimes [start 00:00, the day after end 00:00) in the platform's time zone."""
    zone = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=zone),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))
