"""Agents (经办人): a legal person authorises a natural person to act for it (IDN-8.x)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class AgentStatus(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACTIVE = "active", _("已生效")
    REJECTED = "rejected", _("已拒绝")
    REVOKED = "revoked", _("已撤销")


class AgentScope(models.TextChoices):
    ALL = "all", _("全部事项")
    APPLY = "apply", _("申报办件")
    QUERY = "query", _("查询办件")
    LICENCE = "licence", _("证照领取")


class AgentAuthorisationQuerySet(ScopedQuerySet):
    def active_now(self):
        now = timezone.now()
        return self.filter(status=AgentStatus.ACTIVE, valid_until__gt=now)


class AgentAuthorisation(models.Model):
    """A legal person's authorisation of a natural person as agent (授权经办人).

    pending → active | rejected (by the natural person); active → revoked (by the legal person).
    Acting on behalf needs an active authorisation whose `valid_until` lies ahead and whose
    `scopes` contain the action."""

    legal_person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("法人"), on_delete=models.CASCADE,
                                     related_name="agent_authorisations_given")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.CASCADE,
                              related_name="agent_authorisations_received")
    scopes = models.JSONField(_("授权范围"), default=list)
    valid_until = models.DateTimeField(_("有效期至"))
    status = models.CharField(_("状态"), max_length=16, choices=AgentStatus.choices, default=AgentStatus.PENDING,
                              db_index=True)
    remarks = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = AgentAuthorisationQuerySet.as_manager()

    scope_owner_field = "legal_person"

    class Meta:
        verbose_name = _("经办人授权")
        verbose_name_plural = _("经办人授权")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["legal_person", "agent"],
                                    condition=models.Q(status__in=["pending", "active"]),
                                    name="identity_one_open_agent_authorisation"),
        ]
        indexes = [models.Index(fields=["agent", "status"], name="identity_agent_agent_idx")]

    def __str__(self) -> str:
        return f"{self.legal_person} → {self.agent}"

    def scope_labels(self) -> list[str]:
        return [str(AgentScope(s).label) for s in self.scopes if s in AgentScope.values]
