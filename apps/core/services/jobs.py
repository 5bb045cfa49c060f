"""Job writes: create, start, progress, succeed, fail. Safe to call from Celery tasks.

`job_progress` is one cheap UPDATE of two integer columns (no read, no lock), so a task may
call it as often as it likes; the page and the API poll the row.
"""
from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models.jobs import JobRun, JobStatus


def job_create(*, kind: str, title: str, user, total: int = 0, params: dict | None = None) -> JobRun:
    """A queued job owned by `user`; the caller then enqueues the task that runs it."""
    errors = {}
    if not (kind or "").strip():
        errors["kind"] = _("任务类型不能为空。")
    if not (title or "").strip():
        errors["title"] = _("任务名称不能为空。")
    if total is None or int(total) < 0:
        errors["total"] = _("总数不能为负数。")
    if errors:
        raise ValidationError(errors)
    return JobRun.objects.create(
        kind=kind.strip()[:64], title=title.strip()[:200], total=int(total), params=params or {},
        created_by=user if getattr(user, "pk", None) else None,
        organisation_id=getattr(user, "organisation_id", None),
    )


def job_start(job: JobRun) -> JobRun:
    """Mark the job running (again, if a worker died and the task was redelivered)."""
    now = timezone.now()
    JobRun.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, done=0,
                                            error="")
    job.status, job.started_at, job.heartbeat_at, job.done, job.error = JobStatus.RUNNING, now, now, 0, ""
    return job


def job_progress(job: JobRun, done: int, total: int | None = None) -> None:
    """Record progress: `done` of `total` (total unchanged when None)."""
    values = {"done": max(0, int(done)), "heartbeat_at": timezone.now()}
    if total is not None:
        values["total"] = max(0, int(total))
    JobRun.objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


@transaction.atomic
def job_succeed(job: JobRun, *, filename: str, content: bytes) -> JobRun:
    """Store the result file in the default storage and mark the job succeeded."""
    job.refresh_from_db(fields=["total", "done", "params"])
    job.result_file.save(f"job{job.pk}-{filename}", ContentFile(content), save=False)
    job.params = {**(job.params or {}), "filename": filename}
    job.status = JobStatus.SUCCEEDED
    job.done = max(job.done, job.total)
    job.finished_at = timezone.now()
    job.save(update_fields=["result_file", "params", "status", "done", "finished_at"])
    return job


def job_stalled(*, kind: str, silent_seconds: float):
    """Unfinished jobs of `kind` with no sign of life for `silent_seconds`: queued ones never picked up
    (their message lost) and running ones whose worker died. Their tasks must be safe to run again."""
    since = timezone.now() - timedelta(seconds=silent_seconds)
    return (JobRun.objects.filter(kind=kind, status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
            .filter(Q(heartbeat_at__lt=since) | Q(heartbeat_at__isnull=True, created_at__lt=since)))


def job_touch(job: JobRun) -> None:
    """Count as alive now (a resumer re-queued it: not re-queued again before the next silence)."""
    job.heartbeat_at = timezone.now()
    JobRun.objects.filter(pk=job.pk).update(heartbeat_at=job.heartbeat_at)


def job_fail(job: JobRun, error: str) -> JobRun:
    job.status, job.error, job.finished_at = JobStatus.FAILED, str(error)[:4000], timezone.now()
    JobRun.objects.filter(pk=job.pk).update(status=job.status, error=job.error, finished_at=job.finished_at)
    return job
