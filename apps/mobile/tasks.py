"""Celery tasks of mobile: thin wrappers around services."""
from celery import shared_task


@shared_task(name="mobile.poll_apps")
def poll_apps() -> dict:
    """APP-7: one polling cycle over listed apps and their interfaces (beat: MOBILE_POLL_SECONDS)."""
    from apps.mobile.services.monitoring import poll_all

    return poll_all()
