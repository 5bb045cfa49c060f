"""Jobs with progress (后台任务): long exports, imports, batch sealing, syncs."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models.organisations import Organisation
from apps.core.scope import ScopedQuerySet


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


FINISHED_STATUSES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})


class JobRun(models.Model):
    """One run of a long task that a user can watch: status, progress (done of total) and,
    when it succeeds, a result file kept in the default storage."""

    kind = models.CharField(_("任务类型"), max_length=64, db_index=True)
    title = models.CharField(_("任务名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    total = models.PositiveIntegerField(_("总数"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    result_file = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True, max_length=300)
    error = models.TextField(_("错误信息"), blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("发起人机构"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Touched by start and every progress report: a running job whose heartbeat stops was lost with its
    # worker (killed, host restarted) and may be resumed (`job_stalled`).
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_organisation_field = "organisation"
    scope_owner_field = "created_by"

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="core_job_owner_idx"),
                   models.Index(fields=["kind", "status"], name="core_job_kind_status_idx",
                                condition=models.Q(status__in=["queued", "running"]))]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job-detail", args=[self.pk])

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def result_name(self) -> str:
        return (self.params or {}).get("filename") or (self.result_file.name.rsplit("/", 1)[-1]
                                                        if self.result_file else "")
