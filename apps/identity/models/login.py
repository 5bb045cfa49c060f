"""Login state: one-time SMS codes, failed password attempts (lockout) and PC QR-code logins."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SmsCodePurpose(models.TextChoices):
    LOGIN = "login", _("短信登录")
    REGISTER = "register", _("注册")
    LEGAL_REGISTER = "legal_register", _("法人注册")


class SmsCode(models.Model):
    """A one-time SMS verification code (短信验证码). Only a keyed digest of the code is stored;
    a code is good for `expires_at`, a few wrong tries, and one successful use."""

    mobile_number_digest = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(_("用途"), max_length=20, choices=SmsCodePurpose.choices)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("过期时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["mobile_number_digest", "purpose", "-created_at"],
                                name="identity_smscode_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class LoginFailure(models.Model):
    """One failed password login; enough recent rows for a login name lock it (账号锁定)."""

    username = models.CharField(_("登录名"), max_length=150)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")
        indexes = [models.Index(fields=["username", "-created_at"], name="identity_loginfail_user_idx")]

    def __str__(self) -> str:
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M:%S}"


class QrLoginStatus(models.TextChoices):
    PENDING = "pending", _("待扫码")
    CONFIRMED = "confirmed", _("已确认")
    CONSUMED = "consumed", _("已登录")
    FAILED = "failed", _("认证失败")


class QrLoginKind(models.TextChoices):
    APP_FACE = "app_face", _("全省事APP人脸")
    E_LICENCE = "e_licence", _("电子营业执照")
    SOCIAL_SECURITY = "social_security", _("电子社保卡")


class QrLogin(models.Model):
    """A PC QR-code login (IDN-1.7): the PC shows `token`; the logged-in app confirms it after
    face recognition; the polling PC page then logs in once. Expires after a few minutes."""

    token = models.CharField(max_length=64, unique=True)
    kind = models.CharField(_("扫码方式"), max_length=16, choices=QrLoginKind.choices, default=QrLoginKind.APP_FACE)
    status = models.CharField(_("状态"), max_length=16, choices=QrLoginStatus.choices,
                              default=QrLoginStatus.PENDING)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    browser_key = models.CharField(max_length=64, help_text="digest of the PC session that asked for the code")
    expires_at = models.DateTimeField(_("过期时间"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("扫码登录")
        verbose_name_plural = _("扫码登录")

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.created_at:%H:%M:%S}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
