"""Third-party identities and login methods: accounts linked to outside identity providers
(national platform, Alipay, e-business licence, city systems, certificates, social-security card),
secondary real-name checks (IDN-7.x) and one-time trust codes for the national platform (IDN-1.3.6, 4.2)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginMethod(models.TextChoices):
    PASSWORD = "password", _("账号密码")
    EXIT_ENTRY = "exit_entry", _("出入境证件号")
    SMS = "sms", _("短信验证码")
    QR_FACE = "qr_face", _("扫码人脸认证")
    E_LICENCE = "e_licence", _("电子营业执照")
    ALIPAY = "alipay", _("支付宝")
    NATIONAL = "national", _("国家平台账号")
    CITY = "city", _("地市快捷登录")
    CERTIFICATE = "certificate", _("数字证书")
    SOCIAL_SECURITY = "social_security", _("电子社保卡")


# IDN-4.2: third-party methods after which the national platform recognises the user.
IMPLICIT_LOGIN_METHODS = {
    "natural_person": {LoginMethod.SOCIAL_SECURITY, LoginMethod.CERTIFICATE, LoginMethod.SMS, LoginMethod.CITY,
                       LoginMethod.QR_FACE},
    "legal_person": {LoginMethod.CERTIFICATE, LoginMethod.E_LICENCE, LoginMethod.CITY},
}


class ExternalProvider(models.TextChoices):
    NATIONAL = "national", _("国家政务服务平台")
    ALIPAY = "alipay", _("支付宝")
    E_LICENCE = "e_licence", _("电子营业执照")
    CITY = "city", _("地市认证系统")
    CERTIFICATE = "certificate", _("数字证书")
    SOCIAL_SECURITY = "social_security", _("电子社保卡")


class ExternalIdentity(models.Model):
    """An account's identity at an outside provider (第三方账号绑定): the national platform's user
    id, the Alipay user id, a city system's account, a certificate's subject… One outside identity
    belongs to one account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    provider = models.CharField(_("身份来源"), max_length=20, choices=ExternalProvider.choices)
    external_id = models.CharField(_("外部标识"), max_length=128)
    created_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("最近登录"), null=True, blank=True)

    class Meta:
        verbose_name = _("第三方账号绑定")
        verbose_name_plural = _("第三方账号绑定")
        constraints = [models.UniqueConstraint(fields=["provider", "external_id"],
                                               name="identity_external_identity_unique")]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.external_id[:24]}"


class VerificationMethod(models.TextChoices):
    ALIPAY = "alipay", _("支付宝二次实名")
    EXIT_ENTRY_DOCUMENT = "exit_entry_document", _("出入境证件核验")
    EXIT_ENTRY_FACE = "exit_entry_face", _("出入境证件人脸核验")
    PUBLIC_SECURITY_FACE = "public_security_face", _("公安人脸识别")
    SOCIAL_SECURITY = "social_security", _("电子社保卡")
    REGISTRY_RECHECK = "registry_recheck", _("国家实名核验与省公安复核（自动审核）")


class RealNameVerification(models.Model):
    """One secondary real-name check (二次实名认证, IDN-7.x): method, outcome and the level it gave."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="real_name_checks")
    method = models.CharField(_("认证方式"), max_length=24, choices=VerificationMethod.choices)
    passed = models.BooleanField(_("是否通过"))
    message = models.CharField(_("结果说明"), max_length=200, blank=True)
    level_before = models.PositiveSmallIntegerField(_("原实名等级"))
    level_after = models.PositiveSmallIntegerField(_("认证后等级"))
    identity = models.JSONField(_("返回的身份信息（脱敏）"), default=dict, blank=True)
    created_at = models.DateTimeField(_("认证时间"), default=timezone.now)

    class Meta:
        verbose_name = _("实名认证记录")
        verbose_name_plural = _("实名认证记录")
        indexes = [models.Index(fields=["user", "-created_at"], name="identity_rnv_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {'通过' if self.passed else '未通过'}"
