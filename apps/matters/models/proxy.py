"""Authorised proxy handling (授权代办, MAT-2.1.6 (7)): items a department opens to proxy handling, the
elderly citizen's grant to an agent (confirmed by a code read out from an SMS to the citizen's own
phone — a feature phone is enough) and each proxy application the agent starts. Decision 0103."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet

PROXY_MIN_AGE = 60


class ProxyStatus(models.TextChoices):
    PENDING = "pending", _("待委托人确认")
    ACTIVE = "active", _("已生效")
    REVOKED = "revoked", _("已撤销")


class ProxyBasis(models.TextChoices):
    ELDERLY = "elderly", _("老年人委托代办")
    LEGAL_PERSON = "legal_person", _("法人授权经办")


class ProxyAuthorisation(models.Model):
    """An elderly natural person's grant letting `agent` handle proxy items on their behalf.

    pending (code sent to the principal's mobile) → active (the agent typed the code the principal read
    out) → revoked (by either side). Acting needs `active` and `valid_until` ahead."""

    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("委托人"), on_delete=models.CASCADE,
                                  related_name="matters_proxy_grants_given")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("代办人"), on_delete=models.CASCADE,
                              related_name="matters_proxy_grants_received")
    status = models.CharField(_("状态"), max_length=16, choices=ProxyStatus.choices, default=ProxyStatus.PENDING)
    code_digest = models.CharField(max_length=64, blank=True, editable=False)
    code_sent_at = models.DateTimeField(_("验证码发送时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("验证失败次数"), default=0)
    valid_until = models.DateTimeField(_("有效期至"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("生效/撤销时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_owner_field = "agent"

    class Meta:
        verbose_name = _("授权代办委托")
        verbose_name_plural = _("授权代办委托")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["principal", "agent"], condition=models.Q(status__in=["pending", "active"]),
                                    name="matters_one_open_proxy_grant"),
        ]
        indexes = [models.Index(fields=["agent", "status"], name="matters_proxy_agent_idx")]

    def __str__(self) -> str:
        return f"{self.principal} → {self.agent}"


class ProxyHandling(models.Model):
    """One proxy application (代办申请) an agent started for a principal on a proxy item; handed over to
    the acceptance application form with its number."""

    number = models.CharField(_("代办编号"), max_length=24, unique=True)
    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="proxy_handlings")
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("委托人"), on_delete=models.PROTECT,
                                  related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("代办人"), on_delete=models.PROTECT,
                              related_name="matters_proxy_handlings")
    basis = models.CharField(_("代办依据"), max_length=16, choices=ProxyBasis.choices)
    authorisation = models.ForeignKey(ProxyAuthorisation, verbose_name=_("委托"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="handlings")
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_owner_field = "agent"

    class Meta:
        verbose_name = _("代办记录")
        verbose_name_plural = _("代办记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agent", "created_at"], name="matters_proxyh_agent_idx")]

    def __str__(self) -> str:
        return self.number
