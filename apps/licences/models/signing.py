"""Server-side signing configuration (LIC-9.1, 9.7, 9.8, 9.14): connected business systems, signing
templates with seal positions, rules (business → seal, template → position) and seal grants."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BusinessSystem(models.Model):
    """A seal-using business system (用章业务系统, LIC-9.1). Only connected systems may call signing;
    they authenticate with a token of which only the keyed digest is stored."""

    scope_organisation_field = "organisation"

    code = models.SlugField(_("系统编码"), max_length=32, unique=True)
    name = models.CharField(_("系统名称"), max_length=128)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="signing_systems")
    token_digest = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    is_connected = models.BooleanField(_("已接入"), default=False, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("用章业务系统")
        verbose_name_plural = _("用章业务系统")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SigningTemplate(models.Model):
    """Signing template (签章模板, LIC-9.7): a layout whose seal position rules place the stamp;
    ``positions`` maps a position key to [page, x, y] in mm (size comes from the seal)."""

    scope_organisation_field = "organisation"

    code = models.SlugField(_("模板编码"), max_length=32, unique=True)
    name = models.CharField(_("模板名称"), max_length=128)
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="signing_templates")
    positions = models.JSONField(_("盖章位置"), default=dict)
    layout = models.JSONField(_("版式"), default=dict, blank=True,
                              help_text=_("文件合成用：页面尺寸、标题和字段（键、标签、位置、字号），见 LIC-9.11"))
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("签章模板")
        verbose_name_plural = _("签章模板")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class SigningRule(models.Model):
    """Signing rule (签章规则, LIC-9.8): business ``business_code`` of a system signs with ``seal`` and
    ``certificate`` at ``position`` of ``template``."""

    scope_organisation_field = "seal__organisation"

    system = models.ForeignKey(BusinessSystem, verbose_name=_("业务系统"), on_delete=models.CASCADE,
                               related_name="rules")
    business_code = models.SlugField(_("业务编码"), max_length=32)
    template = models.ForeignKey(SigningTemplate, verbose_name=_("签章模板"), on_delete=models.PROTECT,
                                 related_name="rules")
    position = models.CharField(_("盖章位置"), max_length=32)
    seal = models.ForeignKey("licences.Seal", verbose_name=_("印章"), on_delete=models.PROTECT, related_name="rules")
    certificate = models.ForeignKey("licences.SigningCertificate", verbose_name=_("签章证书"),
                                    on_delete=models.PROTECT, related_name="+")
    signer = models.ForeignKey("identity.User", verbose_name=_("代表盖章人"), on_delete=models.PROTECT,
                               related_name="+", help_text=_("自动签章以此账号的授权盖章"))

    class Meta:
        verbose_name = _("签章规则")
        verbose_name_plural = _("签章规则")
        constraints = [models.UniqueConstraint(fields=["system", "business_code"], name="licences_rule_business")]

    def __str__(self) -> str:
        return f"{self.system.code}/{self.business_code}"


class SealGrant(models.Model):
    """Seal authorisation (印章授权, LIC-9.14): a produced seal may be used by this user or by every
    holder of this role. Exactly one of the two is set."""

    scope_organisation_field = "seal__organisation"

    seal = models.ForeignKey("licences.Seal", verbose_name=_("印章"), on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey("identity.User", verbose_name=_("盖章用户"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="seal_grants")
    role = models.ForeignKey("identity.Role", verbose_name=_("系统角色"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="seal_grants")
    granted_by = models.ForeignKey("identity.User", verbose_name=_("授权人"), on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("印章授权")
        verbose_name_plural = _("印章授权")
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=False, role__isnull=True)
                                   | Q(user__isnull=True, role__isnull=False), name="licences_grant_one_target"),
            models.UniqueConstraint(fields=["seal", "user"], name="licences_grant_user"),
            models.UniqueConstraint(fields=["seal", "role"], name="licences_grant_role"),
        ]


class ClientSigningStatus(models.TextChoices):
    PENDING = "pending", _("待客户端签名")
    COMPLETED = "completed", _("已完成")


class ClientSigningRequest(models.Model):
    """A signing request completed by the holder's UKey (客户端签章, LIC-9.4, 1.17): the server prepared
    the TBS_Sign (its SM3 is kept), the client signs it with a key the server never sees. The document
    and time are kept so the exact package can be rebuilt when the signature comes back."""

    scope_organisation_field = "seal__organisation"

    seal = models.ForeignKey("licences.Seal", verbose_name=_("印章"), on_delete=models.PROTECT, related_name="+")
    certificate = models.ForeignKey("licences.SigningCertificate", verbose_name=_("UKey 证书"),
                                    on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey("identity.User", verbose_name=_("盖章人"), on_delete=models.PROTECT,
                                     related_name="+")
    document = models.BinaryField(_("待签文件"))
    document_name = models.CharField(_("文件名"), max_length=255, blank=True)
    position = models.JSONField(_("盖章位置"), default=list)
    signed_when = models.DateTimeField(_("签章时间"))
    tbs_sm3 = models.CharField(_("待签数据摘要（SM3）"), max_length=64)
    status = models.CharField(_("状态"), max_length=16, choices=ClientSigningStatus.choices,
                              default=ClientSigningStatus.PENDING)
    licence = models.ForeignKey("licences.Licence", verbose_name=_("证照"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("客户端签章请求")
        verbose_name_plural = _("客户端签章请求")
        indexes = [models.Index(fields=["requested_by", "status"])]
