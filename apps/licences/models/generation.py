"""External licence generation channels (外部系统接入, LIC-4.1): a provincial-direct department's business
system, registered as a sharing application (own credentials, access right with daily limit), may create
licences of its allowed templates; the licence is sealed with the channel's seal on behalf of its signer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GenerationChannel(models.Model):
    """证照生成接入: which application issues for which issuer, with which templates, sealed by whom."""

    scope_organisation_field = "issuer"

    application = models.OneToOneField("licences.SharingApplication", verbose_name=_("接入应用"),
                                       on_delete=models.CASCADE, related_name="generation_channel")
    issuer = models.ForeignKey("core.Organisation", verbose_name=_("颁发机构"), on_delete=models.PROTECT,
                               related_name="+")
    templates = models.ManyToManyField("licences.LicenceTemplate", verbose_name=_("允许的证照模板"),
                                       related_name="generation_channels")
    seal = models.ForeignKey("licences.Seal", verbose_name=_("印章"), on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey("licences.SigningCertificate", verbose_name=_("签章证书"),
                                    on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey("identity.User", verbose_name=_("代表盖章人"), on_delete=models.PROTECT,
                               related_name="+", help_text=_("接口生成的证照以此账号的授权盖章"))
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证照生成接入")
        verbose_name_plural = _("证照生成接入")
        ordering = ["application__name"]

    def __str__(self) -> str:
        return f"{self.application} → {self.issuer}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("licences:generation-channel-detail", args=[self.pk])
