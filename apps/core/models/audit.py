"""Audit log (操作日志): who did what to which record, when and from where."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models.organisations import Organisation
from apps.core.scope import ScopedQuerySet


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    EXPORT = "export", _("导出")
    QUERY = "query", _("数据查询")     # a look-up of personal or enterprise data (flagship-store query services)
    REQUEST = "request", _("写请求")      # every non-safe staff request, recorded by the middleware
    OTHER = "other", _("其他")


class AuditLog(models.Model):
    """One append-only audit record. Rows are inserted, never updated or deleted.

    `changes` maps a field name to ``[old, new]``; encrypted fields (ID and mobile numbers),
    their digests and passwords are stored masked, never in plain text.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_username = models.CharField(_("操作人账号"), max_length=150, blank=True)
    actor_organisation = models.ForeignKey(Organisation, verbose_name=_("操作人机构"), null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("操作类型"), max_length=16, choices=AuditAction.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    method = models.CharField(_("请求方法"), max_length=8, blank=True)
    path = models.CharField(_("请求路径"), max_length=500, blank=True)
    view_name = models.CharField(_("视图"), max_length=200, blank=True)
    status_code = models.PositiveSmallIntegerField(_("响应状态"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    request_id = models.CharField(_("请求标识"), max_length=32, blank=True, db_index=True,
                                  help_text=_("同一请求产生的各条记录共用此标识"))

    objects = ScopedQuerySet.as_manager()

    # A region-wide bureau sees the logs of actors in its region; a department its own subtree.
    scope_organisation_field = "actor_organisation"

    class Meta:
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at"], name="core_audit_at_idx"),
            models.Index(fields=["actor", "-at"], name="core_audit_actor_idx"),
            models.Index(fields=["content_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["actor_organisation", "-at"], name="core_audit_org_idx"),
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:audit-detail", args=[self.pk])

    def __str__(self) -> str:
        return f"{self.actor_username or '—'} {self.get_action_display()} {self.object_repr or self.path}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Audit records are append-only.")
        super().save(*args, **kwargs)
