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
