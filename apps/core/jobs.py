"""Public jobs API for every app (implementation in apps.core.services.jobs).

    job = job_create(kind="licences.batch_seal", title="批量盖章", user=user, total=n)
    # in the task:
    job_start(job); ...; job_progress(job, done); ...; job_succeed(job, filename="结果.xlsx", content=data)
    # or job_fail(job, "reason")

The page /portal/core/jobs/<id>/ shows the progress bar (templates/core/_progress.html) and
the result download; /api/v1/core/jobs/<id>/ is what the bar polls.
"""
from apps.core.models.jobs import JobRun, JobStatus  # noqa: F401
from apps.core.services.jobs import (job_create, job_fail, job_progress, job_stalled, job_start,  # noqa: F401
                                    job_succeed, job_touch)


def job_url(job: JobRun) -> str:
    from django.urls import reverse

    return reverse("core:job-detail", args=[job.pk])
