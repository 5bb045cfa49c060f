"""Celery tasks of identity (scheduled by beat, see migration 0006)."""
from celery import shared_task


@shared_task(name="identity.auto_review")
def auto_review_task() -> dict:
    """IDN-5.2: every 24 hours, re-check the accounts waiting for manual review."""
    from apps.identity.services.review import registration_auto_review

    return registration_auto_review()


@shared_task(name="identity.city_data_import_check")
def city_data_import_check_task(batch_id: int) -> dict:
    """IDN-11.1 / 11.2: check an import batch row by row (progress on its job)."""
    from apps.identity.services.city_data_import import city_data_import_check

    batch = city_data_import_check(batch_id)
    return {"import": batch.pk, "status": batch.status, "summary": batch.summary}


@shared_task(name="identity.city_data_report")
def city_data_report_task() -> dict:
    """IDN-11.1 / 11.2: confirmed city data batches to the national platform and the matters system."""
    from apps.identity.services.city_data_report import city_data_report_due

    return city_data_report_due()
