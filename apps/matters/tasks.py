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


@shared_task(name="matters.catalogue_import", acks_late=True)
def catalogue_import(job_id: int, path: str, user_id: int, department_id: int) -> None:
    """Run one catalogue import job from the uploaded file at `path` (default storage)."""
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage

    from apps.core.jobs import JobRun
    from apps.core.models import Organisation
    from apps.matters.services.importing import catalogue_import_run

    with default_storage.open(path, "rb") as handle:
        content = handle.read()
    catalogue_import_run(job=JobRun.objects.get(pk=job_id), content=content,
                         actor=get_user_model().objects.get(pk=user_id),
                         department=Organisation.objects.get(pk=department_id))
    default_storage.delete(path)


@shared_task(name="matters.address_check", acks_late=True, ignore_result=True)
def address_check(job_id: int | None = None) -> None:
    """On demand (with a job for the progress bar) or nightly from beat: check online-handling
    addresses over HTTP and file the errors (MAT-7.9)."""
    from django.conf import settings

    from apps.core.jobs import JobRun, job_fail
    from apps.matters.services.address_check import address_check_run

    job = JobRun.objects.filter(pk=job_id).first() if job_id else None
    try:
        address_check_run(job=job, timeout=getattr(settings, "MATTERS_ADDRESS_CHECK_TIMEOUT", 5.0))
    except Exception as exc:
        if job is not None:
            job_fail(job, str(exc))
        raise
