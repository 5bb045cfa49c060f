"""Licence management records: basic-info filings (LIC-1.1), issuer–template–item mappings (LIC-1.5)
and batch-import uploads (LIC-1.29)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SealingMethod(models.TextChoices):
    CENTRALISED = "centralised", _("集中式盖章（服务端）")
    DISTRIBUTED = "distributed", _("分散式盖章（UKey）")


class SealSource(models.TextChoices):
    PROVINCIAL = "provincial", _("省级电子印章平台")
    CITY = "city", _("市级电子印章系统")
    NATIONAL = "national", _("国家电子印章系统")


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交审核")
    REVIEWED = "reviewed", _("已审核")
    REJECTED = "rejected", _("已退回")


class LicenceFiling(models.Model):
    """Licence basic-information filing (证照基础信息填报, LIC-1.1). Editable while draft (or rejected);
    locked once submitted and after review."""

    scope_organisation_field = "department"

    name = models.CharField(_("证照名称"), max_length=128)
    licence_type = models.CharField(_("证照类型"), max_length=64)
    department = models.ForeignKey("core.Organisation", verbose_name=_("证照管理部门"), on_delete=models.PROTECT,
                                   related_name="licence_filings")
    item_name = models.CharField(_("事项名称"), max_length=255)
    sealing_method = models.CharField(_("盖章方式"), max_length=16, choices=SealingMethod.choices)
    seal_source = models.CharField(_("印章来源"), max_length=16, choices=SealSource.choices)
    base_image = models.BinaryField(_("证照底图"), null=True, blank=True)
    base_image_name = models.CharField(_("底图文件名"), max_length=128, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=FilingStatus.choices, default=FilingStatus.DRAFT,
                              db_index=True)
    review_comment = models.CharField(_("审核意见"), max_length=255, blank=True)
    created_by = models.ForeignKey("identity.User", verbose_name=_("填报人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证照基础信息")
        verbose_name_plural = _("证照基础信息")
        ordering = ["-created_at"]
        permissions = [("review_licencefiling", _("审核证照基础信息"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("licences:filing-detail", args=[self.pk])


class TemplateMapping(models.Model):
    """Issuer–template–service item mapping (颁发机构模板映射, LIC-1.5): the licence's management
    attribute; a licence whose (template, issuer) has no mapping cannot be shared."""

    scope_organisation_field = "issuer"

    template = models.ForeignKey("licences.LicenceTemplate", verbose_name=_("证照模板"), on_delete=models.CASCADE,
                                 related_name="mappings")
    issuer = models.ForeignKey("core.Organisation", verbose_name=_("颁发机构"), on_delete=models.PROTECT,
                               related_name="licence_template_mappings")
    item_code = models.CharField(_("事项编码"), max_length=64)
    item_name = models.CharField(_("事项名称"), max_length=255)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("颁发机构模板映射")
        verbose_name_plural = _("颁发机构模板映射")
        ordering = ["template", "issuer", "item_code"]
        constraints = [models.UniqueConstraint(fields=["template", "issuer", "item_code"],
                                               name="licences_mapping_unique")]
        indexes = [models.Index(fields=["template", "issuer"]), models.Index(fields=["item_name"])]

    def __str__(self) -> str:
        return f"{self.template} / {self.issuer} / {self.item_name}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认导入")
    CANCELLED = "cancelled", _("已取消")


class LicenceImportBatch(models.Model):
    """One uploaded import spreadsheet (证照数据批量导入, LIC-1.29): parsed rows wait for the user to
    confirm (all rows enter licence entry) or cancel (none do)."""

    scope_organisation_field = "issuer"

    template = models.ForeignKey("licences.LicenceTemplate", verbose_name=_("证照模板"), on_delete=models.PROTECT,
                                 related_name="+")
    issuer = models.ForeignKey("core.Organisation", verbose_name=_("颁发机构"), on_delete=models.PROTECT,
                               related_name="+")
    file_name = models.CharField(_("文件名"), max_length=255)
    rows = models.JSONField(_("解析结果"), default=list)
    errors = models.JSONField(_("问题"), default=list)
    status = models.CharField(_("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    created_by = models.ForeignKey("identity.User", verbose_name=_("上传人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证照导入批次")
        verbose_name_plural = _("证照导入批次")
        ordering = ["-created_at"]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("licences:import-detail", args=[self.pk])
