"""Appointment statistics (ACC-2.0 – 2.4, 2.7), always inside the user's data scope.

Measures (the tender gives no formulas; docs/acceptance.md records these readings):
* appointment volume (预约量): appointments not cancelled;
* fulfilled volume (履约量): appointments whose booker came (confirmed, checked in, fulfilled);
* fulfilment rate (履约率): fulfilled ÷ volume;
* appointment rate (预约率): volume ÷ capacity of the slots in the period.
"""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncMonth

from apps.acceptance.models import Appointment, AppointmentStatus, QueueTicket, Slot
from apps.core.scope import restrict

ATTENDED = (AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN, AppointmentStatus.FULFILLED)
VOLUME = ~Q(status=AppointmentStatus.CANCELLED)


def _rate(part, whole) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


def _appointments(user, first: date, last: date):
    return restrict(Appointment.objects.filter(date__range=(first, last)), user)


def indicators(*, user, first: date, last: date, by: str) -> list[dict]:
    """Volume, fulfilled, fulfilment rate and appointment rate grouped by hall, region, department or item
    (ACC-2.1 – 2.3, 2.8)."""
    key = {"hall": "hall__name", "region": "hall__region__name", "item": "bookable_matter__matter__name",
           "department": "bookable_matter__department_name"}[by]
    rows = (_appointments(user, first, last).values(key)
            .annotate(volume=Count("pk", filter=VOLUME), fulfilled=Count("pk", filter=Q(status__in=ATTENDED)))
            .order_by("-volume"))
    capacity = dict(restrict(Slot.objects.filter(date__range=(first, last)), user).values(key)
                    .annotate(total=Sum("capacity")).values_list(key, "total"))
    return [{"name": row[key] or "—", "volume": row["volume"], "fulfilled": row["fulfilled"],
             "fulfilment_rate": _rate(row["fulfilled"], row["volume"]),
             "appointment_rate": _rate(row["volume"], capacity.get(row[key], 0))} for row in rows]


def trend(*, user, first: date, last: date, unit: str = "day") -> list[dict]:
    """Appointment volume per day or month (ACC-2.4)."""
    trunc = TruncMonth("date") if unit == "month" else TruncDay("date")
    rows = (_appointments(user, first, last).filter(VOLUME).annotate(bucket=trunc).values("bucket")
            .annotate(volume=Count("pk")).order_by("bucket"))
    fmt = "%Y-%m" if unit == "month" else "%Y-%m-%d"
    return [{"bucket": row["bucket"].strftime(fmt), "volume": row["volume"]} for row in rows]


def hall_daily(*, user, first: date, last: date) -> list[dict]:
    """ACC-2.0: per hall and date, booked count against the day's maximum (sum of slot capacities)."""
    rows = (restrict(Slot.objects.filter(date__range=(first, last)), user).values("hall__name", "date")
            .annotate(booked=Sum("booked_count"), maximum=Sum("capacity")).order_by("date", "hall__name"))
    return [{"hall": r["hall__name"], "date": r["date"].isoformat(), "booked": r["booked"],
             "maximum": r["maximum"]} for r in rows]


def linkage(*, user, first: date, last: date) -> dict:
    """ACC-2.7: booked and took a number, booked and took none, took a number without booking."""
    appointments = _appointments(user, first, last).filter(VOLUME)
    with_ticket = appointments.filter(ticket__isnull=False).count()
    walk_ins = restrict(QueueTicket.objects.filter(date__range=(first, last), appointment__isnull=True), user)
    return {"booked_with_ticket": with_ticket, "booked_without_ticket": appointments.count() - with_ticket,
            "ticket_without_booking": walk_ins.count()}


def hotspots(*, user, first: date, last: date, hall: int | None = None, matter: str = "", limit: int = 10) -> dict:
    """ACC-2.5: the most booked items and halls in the period, optionally narrowed to one hall (hot
    items) or to items whose name contains `matter` (hot halls)."""
    appointments = _appointments(user, first, last).filter(VOLUME)
    items = appointments.filter(hall_id=hall) if hall else appointments
    halls = appointments.filter(bookable_matter__matter__name__icontains=matter) if matter else appointments
    hot_items = (items.values("bookable_matter__matter__name").annotate(volume=Count("pk"))
                 .order_by("-volume", "bookable_matter__matter__name")[:limit])
    hot_halls = halls.values("hall__name").annotate(volume=Count("pk")).order_by("-volume", "hall__name")[:limit]
    return {"items": [{"name": r["bookable_matter__matter__name"], "volume": r["volume"]} for r in hot_items],
            "halls": [{"name": r["hall__name"], "volume": r["volume"]} for r in hot_halls]}


def realtime(*, hall, day: date | None = None) -> dict:
    """ACC-2.9: today's bookings and queue at one hall, per item — public, to help citizens choose
    a hall and a time (no personal data)."""
    from django.utils import timezone

    from apps.acceptance.models import TicketStatus

    day = day or timezone.localdate()
    slots = {row["bookable_matter_id"]: row for row in Slot.objects.filter(hall=hall, date=day)
             .values("bookable_matter_id").annotate(capacity=Sum("capacity"), booked=Sum("booked_count"))}
    waiting = dict(QueueTicket.objects.filter(hall=hall, date=day, status=TicketStatus.WAITING)
                   .values("bookable_matter_id").annotate(n=Count("pk")).values_list("bookable_matter_id", "n"))
    items = []
    for matter in hall.bookable_matters.filter(is_active=True).select_related("matter").order_by("pk"):
        row = slots.get(matter.pk, {"capacity": 0, "booked": 0})
        items.append({"name": matter.matter.name, "booked": row["booked"] or 0,
                      "remaining": max(0, (row["capacity"] or 0) - (row["booked"] or 0)),
                      "waiting": waiting.get(matter.pk, 0)})
    return {"date": day.isoformat(), "items": items, "waiting": sum(waiting.values()),
            "booked": sum(i["booked"] for i in items), "remaining": sum(i["remaining"] for i in items)}
