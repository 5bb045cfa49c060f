"""A centralised batch seal survives its worker being killed: a real `celery worker` on the "signing"
queue is SIGKILLed mid-batch; the restarted worker resumes the job; every licence is sealed exactly
once and none is skipped (issue 5, "How well")."""
import time

import pytest
from django.db import transaction

from apps.core.models.jobs import JobRun, JobStatus
from apps.core.tests.workers import queued_tasks, running_worker  # noqa: F401 (fixture)
from apps.licences.models import Licence, LicenceStatus, SigningLog
from apps.licences.ofd.verify import verify_ofd
from apps.licences.services.pki import trusted_roots
from apps.licences.tasks import enqueue_seal_batch

from .test_licence_lifecycle import approved, world  # noqa: F401 (fixture)

BATCH, WAIT_SECONDS = 120, 90


def wait_for(condition, worker, what: str):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.alive(), f"worker exited while waiting for {what}; log:\n{worker.log()}"
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{worker.log()}")


@pytest.mark.worker
@pytest.mark.spec("LIC-1.18")
def test_killed_batch_seal_resumes_on_restart_without_double_or_missing_seals(transactional_db, world,  # noqa: F811
                                                                            queued_tasks):  # noqa: F811
    ids = [approved(world, n).pk for n in range(BATCH)]
    settings = {"LICENCES_SEAL_BATCH_SILENT_SECONDS": 1}
    with running_worker("signing", name="signer-a", **settings) as first:
        with transaction.atomic():        # committed: on_commit publishes the task to the real broker
            job = enqueue_seal_batch(actor=world["clerk"], licence_ids=ids, seal=world["seal"],
                                     certificate=world["pki"]["signer"])
        wait_for(lambda: JobRun.objects.get(pk=job.pk).done >= 3, first, "the first sealed licences")
        first.kill()
    sealed_before_restart = Licence.objects.filter(pk__in=ids, status=LicenceStatus.VALID).count()
    assert 3 <= sealed_before_restart < BATCH, "the kill must land mid-batch for this test to mean anything"
    assert JobRun.objects.get(pk=job.pk).status == JobStatus.RUNNING     # the dead worker left it running
    time.sleep(1.2)                                                      # silent longer than the threshold

    with running_worker("signing", name="signer-b", **settings) as second:   # restart: resumes on its own
        wait_for(lambda: JobRun.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED, second, "the resumed batch")

    job.refresh_from_db()
    assert job.done == BATCH and job.result_file.read().decode().startswith("sealed=")
    assert Licence.objects.filter(pk__in=ids, status=LicenceStatus.VALID).count() == BATCH      # none skipped
    assert SigningLog.objects.count() == BATCH                                                 # none twice
    assert sorted(SigningLog.objects.values_list("document_name", flat=True)) == sorted(
        f"{code}.ofd" for code in Licence.objects.filter(pk__in=ids).values_list("licence_code", flat=True))
    roots = trusted_roots()
    for licence in Licence.objects.filter(pk__in=ids).order_by("pk")[::max(1, BATCH // 6)]:
        assert verify_ofd(licence.ofd_file.read(), trusted_roots=roots).verdict == "valid"
