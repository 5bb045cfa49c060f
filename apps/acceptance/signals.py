"""Cache invalidation only (conventions §6): any saved or deleted row that shapes a slot listing or a
day rule bumps the configuration generation (apps/acceptance/caching.py). Bulk writes in the services
(`bulk_create`, `update`) call `caching.config_changed()` themselves."""
from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from apps.acceptance import caching


def _changed(sender, **kwargs) -> None:
    caching.config_changed()


def connect() -> None:
    from apps.acceptance.models import (
        BookableMatter, CalendarLabel, CalendarLabelDate, Hall, MatterGroupQuota, Slot, SlotPlan,
    )

    for model in (Hall, BookableMatter, SlotPlan, Slot, CalendarLabel, CalendarLabelDate, MatterGroupQuota):
        post_save.connect(_changed, sender=model, dispatch_uid=f"acceptance-cache-{model.__name__}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"acceptance-cache-{model.__name__}-delete")
