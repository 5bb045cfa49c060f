"""部门或地方自有数据信息 (PORTAL-13.2 `own_data`): the province's own supervision figures of a day.

Sent upstream once a day (beat task `supervision.govcn_own_data`) through the outbox like every
other upstream message; the key is the day, so a repeated run sends nothing new. Contents:
complaints received in our own channels (provincial site/app, investment express, national
platform) with how many were concluded and are overdue, accepted cases (办件) concluded and
overdue, and the yellow/red cards raised that day. Format: docs/supervision-govcn-exchange.md.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.supervision.models import (
    DONE_STATUSES,
    Complaint,
    ComplaintSource,
    EarlyWarning,
    ExchangeMessage,
)

OWN_SOURCES = (ComplaintSource.PROVINCIAL, ComplaintSource.INVESTMENT_EXPRESS, ComplaintSource.NATIONAL_PLATFORM)


def _day_window(day: date):
    start = datetime.combine(day, time.min, timezone.get_current_timezone())
    return start, start + timedelta(days=1)


def own_data_of(day: date) -> dict:
    """The figures of `day` (aggregate queries only: one for complaints, one for cases, one for cards)."""
    from apps.acceptance.models.cases import FINAL_STATUSES, Case

    start, end = _day_window(day)
    rows = (Complaint.objects.filter(source__in=OWN_SOURCES, submitted_at__gte=start, submitted_at__lt=end)
            .values("source").annotate(received=Count("pk"),
                                       concluded=Count("pk", filter=Q(status__in=DONE_STATUSES)),
                                       overdue=Count("pk", filter=~Q(status__in=DONE_STATUSES) & Q(deadline__lt=end)))
            .order_by("source"))
    cases = Case.objects.aggregate(
        accepted=Count("pk", filter=Q(accepted_at__gte=start, accepted_at__lt=end)),
        concluded=Count("pk", filter=Q(concluded_at__gte=start, concluded_at__lt=end)),
        overdue=Count("pk", filter=~Q(status__in=FINAL_STATUSES) & Q(due_date__lt=day)))
    cards = EarlyWarning.objects.filter(raised_at__gte=start, raised_at__lt=end).aggregate(
        warning=Count("pk", filter=Q(level="warning")), yellow_card=Count("pk", filter=Q(level="yellow_card")),
        red_card=Count("pk", filter=Q(level="red_card")))
    return {"day": day.isoformat(), "complaints": {r.pop("source"): r for r in rows}, "cases": cases,
            "cards": cards}


def own_data_send(*, day: date) -> ExchangeMessage:
    """Queue the own-data message of `day` (idempotent per day)."""
    from apps.supervision.services.exchange import govcn_send

    existing = ExchangeMessage.objects.filter(direction="upstream", message_type="own_data", payload__day=day.isoformat()).first()
    if existing:
        return existing
    with transaction.atomic():
        return govcn_send(complaint=None, message_type="own_data", key_suffix=f"own:{day.isoformat()}",
                          data=own_data_of(day))
