"""Enterprise-exclusive service space (企业专属服务空间, STORE-2.d, decision 0810): message reminders pulled
from the platform's own records, the departments' link between enterprise types and policy tags, and
service subscriptions."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class MessageKind(models.TextChoices):
    CASE_PROGRESS = "case_progress", _("办件进度提醒")
    LICENCE = "licence", _("证照主动提醒")
    POLICY = "policy", _("政策资讯提醒")
    FEEDBACK = "feedback", _("服务反馈提醒")


class EnterpriseMessage(models.Model):
    """One reminder to one enterprise; `source_key` makes each event produce one message only."""

    enterprise = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="+")
    kind = models.CharField(_("提醒类型"), max_length=16, choices=MessageKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.CharField(_("内容"), max_length=500, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    source_key = models.CharField(_("来源"), max_length=80)
    created_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_owner_field = "enterprise"

    class Meta:
        verbose_name = _("企业消息提醒")
        verbose_name_plural = _("企业消息提醒")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "source_key"], name="stores_message_once")]
        indexes = [models.Index(fields=["enterprise", "read_at"], name="stores_message_unread_idx")]

    def __str__(self) -> str:
        return self.title


class EnterpriseTypePolicyTag(models.Model):
    """Which policy tags (apps.matters) an enterprise type subscribes to — supplied by departments."""

    enterprise_type = models.CharField(_("法人类型"), max_length=24)
    tag = models.ForeignKey("matters.PolicyTag", verbose_name=_("政策标签"), on_delete=models.CASCADE,
                            related_name="+")

    class Meta:
        verbose_name = _("企业类型政策订阅")
        verbose_name_plural = _("企业类型政策订阅")
        ordering = ["enterprise_type", "tag_id"]
        constraints = [models.UniqueConstraint(fields=["enterprise_type", "tag"], name="stores_type_tag_uniq")]

    def __str__(self) -> str:
        return f"{self.enterprise_type} → {self.tag_id}"


class ServiceSubscription(models.Model):
    """服务订阅: an enterprise follows a store service."""

    enterprise = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("企业"), on_delete=models.CASCADE,
                                   related_name="+")
    service = models.ForeignKey("stores.StoreService", verbose_name=_("服务事项"), on_delete=models.CASCADE,
                                related_name="subscriptions")
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_owner_field = "enterprise"

    class Meta:
        verbose_name = _("服务订阅")
        verbose_name_plural = _("服务订阅")
        constraints = [models.UniqueConstraint(fields=["enterprise", "service"], name="stores_service_sub_uniq")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.service_id}"
