"""Celery tasks of licences (queue "signing")."""

from celery import shared_task


@shared_task(name="licences.seal_batch", ignore_result=True, acks_late=True)
def seal_batch(job_id: int) -> None:
    """Centralised batch sealing as a job; safe to redeliver (sealed licences are skipped, none twice)."""
    from apps.core.jobs import job_fail, job_progress, job_start, job_succeed
    from apps.core.models.jobs import JobRun
    from apps.identity.models import User

    from .models import Seal, SigningCertificate
    from .services.licences import licences_seal_batch

    job = JobRun.objects.get(pk=job_id)
    params = job.params or {}
    job_start(job)
    try:
        result = licences_seal_batch(
            actor=User.objects.get(pk=params["actor_id"]), licence_ids=params["licence_ids"],
            seal=Seal.objects.get(pk=params["seal_id"]),
            certificate=SigningCertificate.objects.get(pk=params["certificate_id"]),
            progress=lambda done: job_progress(job, done),
        )
    except Exception as exc:  # the job shows the failure; the task is not retried blindly
        job_fail(job, str(exc))
        raise
    job_succeed(job, filename="seal-batch.txt",
                content=f"sealed={result['sealed']} skipped={result['skipped']}\n".encode())


def enqueue_seal_batch(*, actor, licence_ids, seal, certificate):
    """Create the job and queue the task after the transaction commits."""
    from django.db import transaction

    from apps.core.jobs import job_create

    job = job_create(kind="licences.seal_batch", title="证照集中盖章", user=actor, total=len(licence_ids),
                     params={"actor_id": actor.pk, "licence_ids": sorted(licence_ids), "seal_id": seal.pk,
                             "certificate_id": certificate.pk})
    transaction.on_commit(lambda: seal_batch.delay(job.pk))
    return job


@shared_task(name="licences.seals_expire_due", ignore_result=True)
def seals_expire_due_task() -> int:
    """Beat: mark seals past their validity as expired (run hourly)."""
    from .services.seals import seals_expire_due

    return seals_expire_due()


@shared_task(name="licences.seal_generated", ignore_result=True, acks_late=True, autoretry_for=(OSError,),
             retry_backoff=True, max_retries=5)
def seal_generated(licence_id: int, channel_id: int) -> None:
    """Seal a licence created through the generation interface (LIC-4.1); redelivery seals nothing twice."""
    from .services.external_generation import generated_licence_seal

    generated_licence_seal(licence_id=licence_id, channel_id=channel_id)
