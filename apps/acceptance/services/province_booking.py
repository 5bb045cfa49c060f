"""Reporting bookings to the provincial integrated platform (预约接口对接, ACC-0.7).

A sweep (beat, every minute) finds bookings whose current status has not been reported yet — new ones
and state changes — and, in one transaction, writes one outbox message per (booking, status) and marks
the status as reported. The kernel outbox delivers with retries and backoff, so nothing is lost while the
provincial platform is down; the Idempotency-Key (booking number + status) lets the platform drop a
repeated delivery. The booking path itself is untouched (its throughput is benchmarked): reporting is
at most a sweep interval behind. Without `settings.ACCEPTANCE_PROVINCE_BOOKING_URL` nothing is queued.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.acceptance.adapters.province_booking import (
    HttpProvinceBookingClient,
    province_booking_url,
)
from apps.acceptance.models import Appointment, ProvinceBookingReport
from apps.core.crypto import mask_id_number
from apps.core.outbox import enqueue

PEER = "acceptance.province_booking"
SWEEP_LIMIT = 500


def _masked_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def booking_record(appointment: Appointment) -> dict:
    """The provincial platform's view of one booking (names and ID numbers masked)."""
    item = appointment.bookable_matter.matter
    return {"appointment_number": appointment.appointment_number, "status": appointment.status,
            "hall_number": appointment.hall.hall_number, "hall_name": appointment.hall.name,
            "region_code": appointment.hall.region_id, "item_code": item.implementation_code,
            "item_name": item.name, "date": appointment.date.isoformat(),
            "period_start": appointment.period_start.strftime("%H:%M"),
            "period_end": appointment.period_end.strftime("%H:%M"), "channel": appointment.channel,
            "booker_name": _masked_name(appointment.booker_name),
            "id_number_masked": mask_id_number(appointment.id_number) if appointment.id_number else "",
            "reported_at": timezone.now().isoformat()}


def province_booking_sweep(*, limit: int = SWEEP_LIMIT) -> int:
    """Queue every unreported booking state (oldest first, at most `limit`); returns how many."""
    if not province_booking_url():
        return 0
    with transaction.atomic():
        pending = list(
            Appointment.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(Q(province_report__isnull=True) | ~Q(province_report__reported_status=F("status")))
            .select_related("hall", "bookable_matter__matter").order_by("pk")[:limit])
        for appointment in pending:
            enqueue(peer=PEER, kind=f"appointment.{appointment.status}",
                    payload={**booking_record(appointment), "appointment": appointment.pk},
                    idempotency_key=f"province-booking:{appointment.appointment_number}:{appointment.status}",
                    region=appointment.hall.region)
        ProvinceBookingReport.objects.bulk_create(
            [ProvinceBookingReport(appointment=a, reported_status=a.status) for a in pending],
            update_conflicts=True, unique_fields=["appointment"], update_fields=["reported_status", "queued_at"])
    return len(pending)


def send_province_booking(message) -> None:
    """Outbox sender: report to the provincial platform; keep the platform's id on the report row."""
    payload = dict(message.payload)
    appointment_pk = payload.pop("appointment")
    platform_id = HttpProvinceBookingClient().report(payload, idempotency_key=message.idempotency_key)
    ProvinceBookingReport.objects.filter(appointment_id=appointment_pk).update(platform_id=str(platform_id)[:64])
