"""Deadlines in working days (apps.core.calendar) and time-limit supervision (时效监察)."""
from __future__ import annotations

from django.utils import timezone

from apps.core.calendar import add_working_days, working_days_between

# Working days from acceptance to the deadline, per channel (decision 0500).
DEADLINE_DAYS = {"national_platform": 5, "govcn": 10, "provincial": 5, "investment_express": 5}
DUE_SOON_DAYS = 1


def deadline_from(start, source: str):
    return add_working_days(start, DEADLINE_DAYS.get(source, 5))


def deadline_status_of(complaint, *, now=None) -> str:
    """on_time / due_soon (≤ 1 working day left) / overdue, for an open complaint."""
    if complaint.deadline is None or complaint.is_done:
        return "on_time"
    now = now or timezone.now()
    if now > complaint.deadline:
        return "overdue"
    if working_days_between(now, complaint.deadline) <= DUE_SOON_DAYS:
        return "due_soon"
    return "on_time"
