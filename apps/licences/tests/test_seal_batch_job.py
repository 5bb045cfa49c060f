"""Centralised batch sealing as a job (queue "signing"): progress, redelivery-safe."""

import pytest

from apps.core.models.jobs import JobRun, JobStatus
from apps.licences.models import Licence, LicenceStatus, SigningLog
from apps.licences.tasks import enqueue_seal_batch, seal_batch

from .test_licence_lifecycle import approved, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_batch_job_seals_all_and_redelivery_seals_none_twice(world, django_capture_on_commit_callbacks, monkeypatch):  # noqa: F811
    batch = [approved(world, i) for i in range(3)]
    calls = []
    monkeypatch.setattr(seal_batch, "delay", lambda job_id: calls.append(job_id))
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue_seal_batch(actor=world["clerk"], licence_ids=[x.pk for x in batch], seal=world["seal"],
                                 certificate=world["pki"]["signer"])
    assert calls == [job.pk]
    assert seal_batch.app.amqp.router.route({}, seal_batch.name)["queue"].name == "signing"
    seal_batch(job.pk)  # the worker runs it
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.done == 3
    seal_batch(job.pk)  # redelivered after a worker crash
    assert SigningLog.objects.count() == 3
    assert Licence.objects.filter(status=LicenceStatus.VALID).count() == 3
    assert JobRun.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
