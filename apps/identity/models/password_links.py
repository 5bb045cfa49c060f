"""One-time links for password initialisation (MAT-7.6): the SMS carries a link, never a password."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordInitLink(models.Model):
    """A single-use link (valid for hours) with which a staff member sets a new password after an
    administrator initialised it. Only the SHA-256 digest of the link's token is stored; the token
    itself exists only in the SMS, and is worthless once used, expired or superseded."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE,
                             related_name="password_init_links")
    token_digest = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("初始化人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("密码初始化链接")
        verbose_name_plural = _("密码初始化链接")
        indexes = [models.Index(fields=["user", "used_at"], name="identity_pwlink_user_used_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
