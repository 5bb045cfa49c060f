"""Back-office controls: API metadata and per-application grants (IDN-5.4), business switches
(IDN-5.3), and the national hash values kept per account (IDN-14.4)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.identity.models.sso import ClientSystem


class ApiEndpoint(models.Model):
    """An API that integrated systems call (接口信息); callers need a grant (IDN-5.4)."""

    code = models.SlugField(_("接口编码"), max_length=64, unique=True)
    name = models.CharField(_("接口名称"), max_length=128)
    path = models.CharField(_("接口地址"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("接口信息")
        verbose_name_plural = _("接口信息")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class ApiGrant(models.Model):
    """One application's authorisation to call one API (接口授权); revoking keeps the row."""

    client = models.ForeignKey(ClientSystem, verbose_name=_("对接应用"), on_delete=models.CASCADE,
                               related_name="api_grants")
    endpoint = models.ForeignKey(ApiEndpoint, verbose_name=_("接口"), on_delete=models.CASCADE, related_name="grants")
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("接口授权")
        verbose_name_plural = _("接口授权")
        constraints = [models.UniqueConstraint(fields=["client", "endpoint"], condition=Q(revoked_at__isnull=True),
                                               name="identity_apigrant_one_active")]

    def __str__(self) -> str:
        return f"{self.client_id} → {self.endpoint_id}"


class BusinessControl(models.Model):
    """A business switch (业务控制): a disabled business is refused wherever it is offered (IDN-5.3)."""

    code = models.SlugField(_("业务编码"), max_length=64, unique=True)
    name = models.CharField(_("业务名称"), max_length=128)
    description = models.TextField(_("说明"), blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("业务控制")
        verbose_name_plural = _("业务控制")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
