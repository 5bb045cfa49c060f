"""Celery task of the courier integration (ACC-10.8); imported by menus.py (AppConfig.ready) so the
worker registers it without touching tasks.py."""
from __future__ import annotations

from celery import shared_task


@shared_task(name="acceptance.courier_sync", ignore_result=True)
def courier_sync() -> int:
    """Beat, every 15 minutes: read the courier's tracking of moving express deliveries."""
    from apps.acceptance.services.logistics import courier_connected
    from apps.acceptance.services.logistics import courier_sync as sync

    return sync() if courier_connected() else 0
