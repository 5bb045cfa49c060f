"""Time-based one-time passwords (TOTP, RFC 6238) of privileged staff (issue 4: staff 2FA for privileged roles)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField


class StaffTotpDevice(models.Model):
    """One authenticator app per staff account. The shared secret is SM4-encrypted at rest; `last_step` is the
    time step of the last accepted code, so a code is accepted once (no replay within its 30 s window)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="totp_device")
    secret = EncryptedTextField(_("密钥"))
    confirmed_at = models.DateTimeField(_("绑定时间"), null=True, blank=True)
    last_step = models.BigIntegerField(_("最近使用的时间步"), default=0, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("动态口令设备")
        verbose_name_plural = _("动态口令设备")

    def __str__(self) -> str:
        return f"{self.user} · {'已绑定' if self.confirmed_at else '待绑定'}"
