"""Celery tasks of licences (queue "signing")."""

from celery import shared_task
from celery.signals import worker_ready

SEAL_BATCH_KIND = "licences.seal_batch"


@shared_task(name="licences.seal_batch", ignore_result=True, acks_late=True)
def seal_batch(job_id: int) -> None:
    """Centralised batch sealing as a job; safe to redeliver (sealed licences are skipped, none twice)."""
    from apps.core.jobs import job_fail, job_progress, job_start, job_succeed
    from apps.core.models.jobs import FINISHED_STATUSES, JobRun
    from apps.identity.models import User

    from .models import Seal, SigningCertificate
    from .services.licences import licences_seal_batch

    job = JobRun.objects.get(pk=job_id)
    if job.status in FINISHED_STATUSES:  # a resumed copy already finished it: the original message is late
        return
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

    job = job_create(kind=SEAL_BATCH_KIND, title="证照集中盖章", user=actor, total=len(licence_ids),
                     params={"actor_id": actor.pk, "licence_ids": sorted(licence_ids), "seal_id": seal.pk,
                             "certificate_id": certificate.pk})
    transaction.on_commit(lambda: seal_batch.delay(job.pk))
    return job


@shared_task(name="licences.seal_batch_resume", ignore_result=True)
def seal_batch_resume() -> int:
    """Beat and worker start: re-queue batch seals whose worker died mid-run (killed, host restarted) or
    whose message was lost. A resumed run skips what is already sealed, so none is sealed twice or
    skipped; the job's heartbeat is touched so a batch still waiting in a busy queue is re-queued at
    most once per silence period."""
    from django.conf import settings

    from apps.core.jobs import job_stalled, job_touch

    resumed = 0
    for job in job_stalled(kind=SEAL_BATCH_KIND, silent_seconds=settings.LICENCES_SEAL_BATCH_SILENT_SECONDS):
        job_touch(job)
        seal_batch.delay(job.pk)
        resumed += 1
    return resumed


@worker_ready.connect
def _resume_seal_batches_on_start(sender=None, **kwargs) -> None:
    """A restarted signing worker picks up the batches its predecessor left unfinished."""
    app = getattr(sender, "app", None)
    if app is not None and "signing" in (app.amqp.queues.consume_from or {}):
        seal_batch_resume.delay()


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
