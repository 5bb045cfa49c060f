"""Append-only logs of signing (签章日志, LIC-9.10) and of online verification (LIC-8.6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningLog(models.Model):
    """One signing: who sealed what with which seal, from where, with which request."""

    scope_organisation_field = "seal__organisation"

    seal = models.ForeignKey("licences.Seal", verbose_name=_("印章"), on_delete=models.PROTECT,
                             related_name="signing_logs")
    certificate = models.ForeignKey("licences.SigningCertificate", verbose_name=_("签章证书"),
                                    on_delete=models.PROTECT, related_name="+")
    sealer = models.ForeignKey("identity.User", verbose_name=_("盖章人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    client = models.CharField(_("业务系统"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("盖章 IP"), null=True, blank=True)
    signed_at = models.DateTimeField(_("盖章时间"), auto_now_add=True, db_index=True)
    document_name = models.CharField(_("文件名"), max_length=255, blank=True)
    document_sm3 = models.CharField(_("签章后文件 SM3"), max_length=64)
    request_message = models.JSONField(_("请求报文"), default=dict)

    class Meta:
        verbose_name = _("签章日志")
        verbose_name_plural = _("签章日志")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.seal} {self.signed_at:%Y-%m-%d %H:%M}"


class VerificationLog(models.Model):
    """One online verification (public page or API): the verdict and the caller."""

    verified_at = models.DateTimeField(_("验证时间"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("来源 IP"), null=True, blank=True)
    document_sm3 = models.CharField(_("文件 SM3"), max_length=64)
    verdict = models.CharField(_("结论"), max_length=16)
    signature_count = models.PositiveSmallIntegerField(_("签章数"), default=0)
    channel = models.CharField(_("渠道"), max_length=16, default="page")

    class Meta:
        verbose_name = _("验章记录")
        verbose_name_plural = _("验章记录")
        ordering = ["-verified_at"]
