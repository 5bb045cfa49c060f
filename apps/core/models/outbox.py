"""Outbox (消息发件箱): messages to SMS gateways and peer systems, written in the business
transaction and delivered by Celery with retries and an idempotency key."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    DELIVERING = "delivering", _("投递中")
    DELIVERED = "delivered", _("已投递")
    DEAD = "dead", _("投递失败")


class OutboxMessage(models.Model):
    """One message for one peer. (peer, idempotency_key) is unique, so enqueueing twice
    gives one row, and the key travels to the peer so it never acts on it twice.

    The row is the source of truth: whatever happens to Redis or the workers, a pending
    row is picked up again by the `core.outbox_sweep` beat task.
    """

    peer = models.CharField(_("对端"), max_length=64)
    kind = models.CharField(_("消息类型"), max_length=64)
    payload = models.JSONField(_("内容"), default=dict)
    idempotency_key = models.CharField(_("幂等键"), max_length=200)
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("投递次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次投递时间"), default=timezone.now)
    claimed_at = models.DateTimeField(_("开始投递时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_region_field = "region"

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["peer", "idempotency_key"], name="core_outbox_peer_key_uniq")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.peer}/{self.kind} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:outbox-detail", args=[self.pk])
