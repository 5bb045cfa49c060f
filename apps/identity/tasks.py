"""Celery tasks of identity (scheduled by beat, see migration 0006)."""
from celery import shared_task


@shared_task(name="identity.auto_review")
def auto_review_task() -> dict:
    """IDN-5.2: every 24 hours, re-check the accounts waiting for manual review."""
    from apps.identity.services.review import registration_auto_review

    return registration_auto_review()
