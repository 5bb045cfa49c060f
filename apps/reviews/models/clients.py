"""Integrator applications (接入应用) of the open evaluation interfaces (REV-3.x, 7.1, 8.x)."""
from __future__ import annotations

import ipaddress
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import Organisation
from apps.core.scope import ScopedQuerySet
from apps.reviews.models.choices import EvaluationApiCategory, EvaluationChannel


def new_client_key() -> str:
    return "RC" + secrets.token_hex(10).upper()


class ReviewClient(models.Model):
    """接入应用: a city, county, hall or hotline system that calls the open interfaces with its
    authorisation code (client_key), an HMAC secret and from whitelisted addresses."""

    name = models.CharField(_("应用名称"), max_length=128)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属部门"), on_delete=models.PROTECT,
                                     related_name="+")
    address = models.CharField(_("应用地址"), max_length=255, blank=True)
    service_info = models.CharField(_("服务提供信息"), max_length=255, blank=True)
    channel = models.CharField(_("评价渠道"), max_length=24, choices=EvaluationChannel.choices,
                               default=EvaluationChannel.HALL)
    client_key = models.CharField(_("授权码"), max_length=32, unique=True, default=new_client_key)
    secret = EncryptedTextField(_("秘钥"))
    ip_whitelist = models.TextField(_("白名单地址"), blank=True, help_text=_("每行一个 IP 或网段"))
    is_enabled = models.BooleanField(_("启用"), default=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("工作台账号"), blank=True,
                                   related_name="review_clients")
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("接入应用")
        verbose_name_plural = _("接入应用")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def allows_ip(self, ip: str) -> bool:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        for line in self.ip_whitelist.split():
            try:
                if address in ipaddress.ip_network(line.strip(), strict=False):
                    return True
            except ValueError:
                continue
        return False


class OpenInterface(models.Model):
    """开放接口: one of the four interface categories with its address, port and switch (REV-3.1)."""

    category = models.CharField(_("接口类别"), max_length=24, choices=EvaluationApiCategory.choices, unique=True)
    service_address = models.CharField(_("服务地址"), max_length=255)
    service_port = models.PositiveIntegerField(_("服务端口"), default=443)
    provision_status = models.CharField(_("提供状态"), max_length=32, default="已发布")
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("开放接口")
        verbose_name_plural = _("开放接口")
        ordering = ["category"]

    def __str__(self) -> str:
        return self.get_category_display()


class ClientAccessLog(models.Model):
    """One call of an open interface, accepted or refused (接入方式监控, REV-7.1)."""

    client = models.ForeignKey(ReviewClient, verbose_name=_("接入应用"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="access_logs")
    category = models.CharField(_("接口类别"), max_length=24, choices=EvaluationApiCategory.choices)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    accepted = models.BooleanField(_("成功"), default=True)
    message = models.CharField(_("说明"), max_length=255, blank=True)
    records = models.PositiveIntegerField(_("记录数"), default=0)
    created_at = models.DateTimeField(_("调用时间"), auto_now_add=True, db_index=True)

    scope_organisation_field = "client__organisation"

    class Meta:
        verbose_name = _("接口调用日志")
        verbose_name_plural = _("接口调用日志")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "created_at"], name="rev_access_client_idx")]

    def __str__(self) -> str:
        return f"{self.client} {self.category} {self.created_at:%Y-%m-%d %H:%M}"
