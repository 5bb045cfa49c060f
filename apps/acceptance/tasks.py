"""Celery tasks of acceptance: thin wrappers around services."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="acceptance.appointments_close_day", ignore_result=True)
def appointments_close_day() -> dict:
    """Beat, nightly at 00:10: yesterday's unattended bookings become no-shows (R15), blacklist rules run."""
    from apps.acceptance.services.booking import appointments_close_day as close

    return close()


@shared_task(name="acceptance.blacklist_release", ignore_result=True)
def blacklist_release() -> int:
    """Beat, hourly: entries past their restriction period are marked released (R17)."""
    from apps.acceptance.services.booking import blacklist_release_expired

    return blacklist_release_expired()


@shared_task(name="acceptance.case_deadlines", ignore_result=True)
def case_deadlines() -> dict:
    """Beat, nightly at 00:20: overdue pre-reviews time out / are voided (ACC-6.3); overdue supplements
    void their case and tell the department system (ACC-14.12)."""
    from apps.acceptance.services.onewindow import case_pre_review_sweep, supplement_timeout_sweep

    return {**case_pre_review_sweep(), "supplements_voided": supplement_timeout_sweep()}


IDLE_MS = 300          # a drain waits this long for more requests before it ends (decision 0411)


@shared_task(name="acceptance.province_booking_sweep", ignore_result=True)
def province_booking_sweep() -> int:
    """Beat, every minute: unreported booking states are queued for the provincial platform (ACC-0.7)."""
    from apps.acceptance.services.province_booking import province_booking_sweep as sweep

    return sweep()


@shared_task(name="acceptance.attachments_purge", ignore_result=True)
def attachments_purge() -> int:
    """Beat, nightly at 02:30: attachments past their retention date are purged (ACC-18.0)."""
    from apps.acceptance.services.attachments import attachment_purge_expired

    return attachment_purge_expired()


@shared_task(name="acceptance.booking_persist", ignore_result=True)
def booking_persist() -> dict:
    """Kicked by the first admitted booking request after the queue went idle, and by beat every few
    seconds: decide the queued requests in batches, one transaction each (decision 0405)."""
    from apps.acceptance.services.booking_queue import booking_queue_drain

    return booking_queue_drain(idle_ms=IDLE_MS)
