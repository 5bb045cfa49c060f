"""Celery tasks of matters: thin wrappers around services."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="matters.quality_scan", ignore_result=True)
def quality_scan(user_id: int | None = None) -> int:
    """Beat (nightly, see menus.setup_periodic_tasks) or on demand: scan the item library (MAT-5.1)."""
    from django.contrib.auth import get_user_model

    from apps.matters.services.quality import quality_scan_run

    actor = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return quality_scan_run(actor=actor).pk
