"""Job reads, scoped: everybody sees their own jobs; system admins see every job in scope."""
from __future__ import annotations

from django.http import Http404

from apps.core.models.jobs import JobRun
from apps.core.scope import restrict


def _is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "is_system_admin", False))


def job_list(*, user, mine_only: bool = True):
    queryset = restrict(JobRun.objects.select_related("created_by"), user)
    if mine_only or not _is_admin(user):
        queryset = queryset.filter(created_by=user) if getattr(user, "pk", None) else queryset.none()
    return queryset


def job_get(*, user, pk) -> JobRun:
    """The job if `user` may see it (owner or admin), else 404."""
    job = job_list(user=user, mine_only=False).filter(pk=pk).first()
    if job is None:
        raise Http404("job not found")
    return job


def job_can_download(*, user, job: JobRun) -> bool:
    return bool(job.result_file) and (job.created_by_id == getattr(user, "pk", None) or _is_admin(user))
