"""Celery task of large Excel exports (registered by importing this module from menus_ops)."""
from celery import shared_task


@shared_task(name="core.export_run", acks_late=True)
def export_run_task(*, job_id: int) -> None:
    from apps.core.exports import export_run

    export_run(job_id=job_id)
