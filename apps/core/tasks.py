"""Kernel Celery tasks: thin, idempotent wrappers around services."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="core.outbox_deliver", ignore_result=True, acks_late=True)
def outbox_deliver(message_id: int) -> str | None:
    """One delivery attempt of an outbox message (a no-op if it is not due or already taken)."""
    from apps.core import outbox

    return outbox.deliver(message_id)


@shared_task(name="core.outbox_sweep", ignore_result=True)
def outbox_sweep() -> int:
    """Beat, every 30 s: re-dispatch due pending messages and reclaim stuck ones."""
    from apps.core import outbox

    return outbox.sweep()


@shared_task(name="core.sms_schedule_run", ignore_result=True)
def sms_schedule_run(schedule_id: int, time: str) -> int:
    """Beat, at each time of an SmsSchedule: send its digest to every designated recipient."""
    from apps.core.services.sms import sms_schedule_run as run

    return run(schedule_id=schedule_id, time_of_day=time)


@shared_task(name="core.rotate_field_keys", acks_late=True)
def rotate_field_keys(job_id: int) -> int:
    """Re-encrypt sensitive fields under the current key (resumable; see services.key_rotation)."""
    from apps.core.jobs import JobRun
    from apps.core.services.key_rotation import rotate_field_keys as rotate

    return rotate(JobRun.objects.get(pk=job_id)).rewritten


@shared_task(name="core.monitoring_interfaces_check", ignore_result=True)
def monitoring_interfaces_check() -> int:
    """Beat, every minute (PORTAL-7.13): interface metrics → status → once-per-incident alert."""
    from apps.core.services.monitoring_checks import interfaces_check

    return len(interfaces_check())


@shared_task(name="core.monitoring_processors_check", ignore_result=True)
def monitoring_processors_check() -> dict:
    """Beat, every 5 minutes (PORTAL-7.10): connect to each front-end processor database."""
    from apps.core.services.monitoring_checks import processors_check

    return processors_check()


@shared_task(name="core.monitoring_scheduled_tasks_check", ignore_result=True)
def monitoring_scheduled_tasks_check() -> int:
    """Beat, every minute (PORTAL-7.11): failed or overdue scheduled statistics tasks raise alerts."""
    from apps.core.services.monitoring_checks import scheduled_tasks_check

    return scheduled_tasks_check()
