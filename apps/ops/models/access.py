"""Staff login security (OPS-5.5): the login policy (second factor, concurrent-session limit), each
staff member's chosen second factor, pending login challenges and the sessions counted by the limit."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TwoFactorScope(models.TextChoices):
    NONE = "none", _("不启用")
    OPS_STAFF = "ops_staff", _("安全运维人员（持有任一安全运维权限）")
    ALL_STAFF = "all_staff", _("全部工作人员")


class SessionLimitAction(models.TextChoices):
    REFUSE_NEW = "refuse_new", _("拒绝新的登录")
    END_OLDEST = "end_oldest", _("结束最早的会话")


class LoginPolicy(models.Model):
    """The platform's staff login policy: one row (pk=1), edited by security admins."""

    two_factor_scope = models.CharField(_("双因子认证范围"), max_length=16, choices=TwoFactorScope.choices,
                                        default=TwoFactorScope.NONE)
    max_sessions_per_user = models.PositiveSmallIntegerField(_("每个账号最大并发会话数"), default=0,
                                                             help_text=_("0 表示不限制"))
    session_limit_action = models.CharField(_("达到上限时"), max_length=16, choices=SessionLimitAction.choices,
                                            default=SessionLimitAction.REFUSE_NEW)
    code_minutes = models.PositiveSmallIntegerField(_("验证码有效期（分钟）"), default=5)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("登录安全策略")
        verbose_name_plural = verbose_name
        permissions = [("manage_login_policy", _("维护登录安全策略"))]

    def __str__(self) -> str:
        return str(_("登录安全策略"))


class SecondFactor(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class StaffSecondFactor(models.Model):
    """The second factor a staff member receives codes by (default SMS)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                                related_name="ops_second_factor")
    method = models.CharField(_("第二因子"), max_length=8, choices=SecondFactor.choices, default=SecondFactor.SMS)

    class Meta:
        verbose_name = _("第二因子设置")
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.user} {self.get_method_display()}"


class LoginChallenge(models.Model):
    """A second-factor code sent after a correct password; only a keyed digest is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="+")
    method = models.CharField(_("第二因子"), max_length=8, choices=SecondFactor.choices)
    code_digest = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("过期时间"))
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("登录验证码")
        verbose_name_plural = verbose_name
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class StaffSession(models.Model):
    """A portal session of a staff member, counted against the concurrent-session limit while its
    Django session exists and has not expired."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="+")
    session_key = models.CharField(_("会话"), max_length=64, unique=True)
    ip_address = models.GenericIPAddressField(_("登录地址"), null=True, blank=True)
    created_at = models.DateTimeField(_("登录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作人员会话")
        verbose_name_plural = verbose_name
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
