"""Celery tasks of ops: thin wrappers around the services (beat entries in settings)."""
from celery import shared_task

from apps.ops.services.assets import websites_probe_all
from apps.ops.services.events import log_retention_purge
from apps.ops.services.work_orders import work_orders_remind_overdue


@shared_task(name="ops.work_orders_remind_overdue")
def work_orders_remind_overdue_task() -> int:
    return work_orders_remind_overdue()


@shared_task(name="ops.websites_probe")
def websites_probe_task() -> int:
    return websites_probe_all()


@shared_task(name="ops.log_retention_purge")
def log_retention_purge_task() -> int:
    return log_retention_purge()
