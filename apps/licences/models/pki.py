"""Certificates used to make seals and to sign, with their private keys in the key store."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField


class CertificateKind(models.TextChoices):
    CA = "ca", _("根证书（CA）")
    MAKER = "maker", _("制章人证书")
    SIGNER = "signer", _("签章人证书")


class KeyStorage(models.TextChoices):
    SOFTWARE = "software", _("服务器软证书")
    HSM = "hsm", _("加密机证书")
    UKEY = "ukey", _("UKey（私钥不出设备）")
    EXTERNAL = "external", _("外部系统持有（私钥不在本平台）")


class SigningCertificate(models.Model):
    """An SM2 X.509 certificate (签章证书 / 服务器证书). Its private key lives only in the key store:
    SM4-encrypted PEM for software certificates, a key reference for HSM ones, nothing for UKeys."""

    scope_organisation_field = "organisation"

    kind = models.CharField(_("证书类型"), max_length=16, choices=CertificateKind.choices)
    storage = models.CharField(_("私钥存放"), max_length=16, choices=KeyStorage.choices, default=KeyStorage.SOFTWARE)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="licence_certificates")
    subject = models.CharField(_("证书主题"), max_length=255)
    serial = models.CharField(_("序列号"), max_length=64)
    der = models.BinaryField(_("证书（DER）"))
    valid_from = models.DateTimeField(_("生效时间"))
    valid_until = models.DateTimeField(_("失效时间"))
    issuer = models.ForeignKey("self", verbose_name=_("签发证书"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="issued")
    private_key = EncryptedTextField(_("私钥（SM4 加密）"))
    hsm_key_ref = models.CharField(_("加密机密钥索引"), max_length=64, blank=True)
    holder = models.ForeignKey("identity.User", verbose_name=_("持有人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="licence_certificates",
                               help_text=_("证书登录（LIC-7.1）和 UKey 签章以此账号为准"))
    is_enabled = models.BooleanField(_("启用"), default=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revocation_reason = models.CharField(_("吊销原因"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数字证书")
        verbose_name_plural = _("数字证书")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["issuer", "serial"], name="licences_cert_issuer_serial")]
        indexes = [models.Index(fields=["kind", "is_enabled"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}"

    @property
    def der_bytes(self) -> bytes:
        return bytes(self.der)
