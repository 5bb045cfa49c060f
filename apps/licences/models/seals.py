"""Electronic seals (电子印章) and the units that issue and make them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SealIssuer(models.Model):
    """Seal issuing unit (制发单位, LIC-7.2): an organisation allowed to issue seals in its region."""

    scope_organisation_field = "organisation"

    organisation = models.OneToOneField("core.Organisation", verbose_name=_("单位"), on_delete=models.PROTECT,
                                        related_name="seal_issuer")
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("印章制发单位")
        verbose_name_plural = _("印章制发单位")

    def __str__(self) -> str:
        return self.organisation.name


class SealMaker(models.Model):
    """Seal-making unit or system (制章单位 / 电子印章注册, LIC-7.3, LIC-8.2). Only registered makers
    may produce seals; the maker signs each SESeal with its maker certificate."""

    scope_organisation_field = "organisation"

    code = models.SlugField(_("制章系统编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="seal_makers")
    certificate = models.ForeignKey("licences.SigningCertificate", verbose_name=_("制章人证书"),
                                    on_delete=models.PROTECT, related_name="seal_makers")
    is_registered = models.BooleanField(_("已注册"), default=False)
    registered_at = models.DateTimeField(_("注册时间"), null=True, blank=True)
    endpoint = models.URLField(_("制章系统接口地址"), blank=True,
                               help_text=_("为空时由本平台制章服务以密钥库中的制章人密钥制作"))
    synced_at = models.DateTimeField(_("最近同步时间"), null=True, blank=True,
                                     help_text=_("从省电子印章平台同步（LIC-7.3）"))

    class Meta:
        verbose_name = _("制章单位")
        verbose_name_plural = _("制章单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SealStatus(models.TextChoices):
    REQUESTED = "requested", _("已申请")
    IMPRESSION_APPROVED = "impression_approved", _("印模已审批")
    REJECTED = "rejected", _("已驳回")
    VALID = "valid", _("有效")
    FROZEN = "frozen", _("已冻结")
    REPORTED_LOST = "reported_lost", _("已挂失")
    REVOKED = "revoked", _("已吊销")
    CANCELLED = "cancelled", _("已注销")
    EXPIRED = "expired", _("已过期")


class ProductionMode(models.TextChoices):
    CENTRALISED = "centralised", _("集中式印章")
    DISTRIBUTED = "distributed", _("分散式印章（UKey）")


class Seal(models.Model):
    """One electronic seal from request to end of life. ``seal_der`` is the GB/T 38540 SESeal the
    maker signed; it is rebuilt (``version`` + 1) on change and renewal, ``es_id`` never changes."""

    scope_organisation_field = "organisation"

    es_id = models.CharField(_("印章编码"), max_length=32, unique=True)
    name = models.CharField(_("印章名称"), max_length=128)
    seal_type = models.PositiveSmallIntegerField(_("印章类型"), default=1)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("用章单位"), on_delete=models.PROTECT,
                                     related_name="seals")
    issuer = models.ForeignKey(SealIssuer, verbose_name=_("制发单位"), on_delete=models.PROTECT, related_name="seals")
    maker = models.ForeignKey(SealMaker, verbose_name=_("制章单位"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="seals")
    production_mode = models.CharField(_("制作方式"), max_length=16, choices=ProductionMode.choices,
                                       default=ProductionMode.CENTRALISED)
    impression = models.BinaryField(_("印模（PNG）"))
    width_mm = models.PositiveSmallIntegerField(_("宽度（毫米）"), default=40)
    height_mm = models.PositiveSmallIntegerField(_("高度（毫米）"), default=40)
    certificates = models.ManyToManyField("licences.SigningCertificate", verbose_name=_("签章证书"),
                                          related_name="seals", blank=True)
    valid_from = models.DateTimeField(_("生效时间"), null=True, blank=True)
    valid_until = models.DateTimeField(_("失效时间"))
    status = models.CharField(_("状态"), max_length=24, choices=SealStatus.choices, default=SealStatus.REQUESTED,
                              db_index=True)
    seal_der = models.BinaryField(_("印章数据（SESeal）"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    requested_by = models.ForeignKey("identity.User", verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    produced_at = models.DateTimeField(_("制作时间"), null=True, blank=True)
    status_comment = models.CharField(_("状态说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("电子印章")
        verbose_name_plural = _("电子印章")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["organisation", "status"]), models.Index(fields=["valid_until"])]
        permissions = [
            ("approve_seal", _("审批印模")),
            ("produce_seal", _("制作印章")),
            ("manage_seal", _("管理印章状态")),
            ("use_seal", _("使用印章签章")),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.es_id}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("licences:seal-detail", args=[self.pk])
