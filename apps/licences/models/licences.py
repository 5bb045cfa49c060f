"""Licence categories, templates with face parameters, licences and their identifier counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin


class HolderKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("个人")
    LEGAL_PERSON = "legal_person", _("法人")
    PROJECT = "project", _("项目")


class LicenceCategory(models.Model):
    """User-defined licence category (证照分类, LIC-1.3); templates' theme category is one of these."""

    name = models.CharField(_("分类名称"), max_length=64, unique=True)
    category_type = models.CharField(_("分类类型"), max_length=32)

    class Meta:
        verbose_name = _("证照分类")
        verbose_name_plural = _("证照分类")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LicenceTemplate(models.Model):
    """Licence template (证照模板, LIC-1.4): page size, base image, face parameters, valid/invalid."""

    scope_organisation_field = "defining_organisation"

    name = models.CharField(_("模板名称"), max_length=128)
    licence_type = models.CharField(_("证照类型"), max_length=64)
    type_code = models.CharField(_("证照类型代码"), max_length=21,
                                 help_text=_("主管部门统一社会信用代码（18 位）+ 3 位序号"))
    category = models.ForeignKey(LicenceCategory, verbose_name=_("主题分类"), on_delete=models.PROTECT,
                                 related_name="templates")
    holder_kind = models.CharField(_("持证主体类型"), max_length=16, choices=HolderKind.choices)
    validity_years = models.PositiveSmallIntegerField(_("有效期（年，0 为长期）"), default=0)
    defining_organisation = models.ForeignKey("core.Organisation", verbose_name=_("定义机构"),
                                              on_delete=models.PROTECT, related_name="licence_templates")
    width_mm = models.PositiveSmallIntegerField(_("宽度（毫米）"), default=297)
    height_mm = models.PositiveSmallIntegerField(_("高度（毫米）"), default=210)
    base_image = models.BinaryField(_("证照底图"), null=True, blank=True)
    template_category = models.CharField(_("模板分类"), max_length=64, blank=True)
    subject = models.CharField(_("主体"), max_length=64, blank=True)
    aip_file = models.BinaryField(_("模板文件（AIP）"), null=True, blank=True)
    aip_name = models.CharField(_("模板文件名"), max_length=128, blank=True)
    is_valid = models.BooleanField(_("有效"), default=True, db_index=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证照模板")
        verbose_name_plural = _("证照模板")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FaceParameterKind(models.TextChoices):
    TEXT = "text", _("文本")
    IMAGE = "image", _("图片")


class FaceParameter(models.Model):
    """Face parameter (照面参数): a text or image field with its position and size on the licence (mm)."""

    template = models.ForeignKey(LicenceTemplate, on_delete=models.CASCADE, related_name="parameters")
    key = models.SlugField(_("参数编码"), max_length=32)
    label = models.CharField(_("参数名称"), max_length=64)
    kind = models.CharField(_("类型"), max_length=8, choices=FaceParameterKind.choices, default=FaceParameterKind.TEXT)
    x = models.DecimalField(_("X（毫米）"), max_digits=6, decimal_places=2)
    y = models.DecimalField(_("Y（毫米）"), max_digits=6, decimal_places=2)
    width = models.DecimalField(_("宽（毫米）"), max_digits=6, decimal_places=2, default=100)
    height = models.DecimalField(_("高（毫米）"), max_digits=6, decimal_places=2, default=8)
    font_size = models.DecimalField(_("字号（毫米）"), max_digits=4, decimal_places=2, default=4)
    show_label = models.BooleanField(_("显示名称"), default=True)
    required = models.BooleanField(_("必填"), default=True)
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("照面参数")
        verbose_name_plural = _("照面参数")
        ordering = ["template", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="licences_face_param_key")]


class LicenceStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ENTERED = "entered", _("已录入")
    IN_REVIEW = "in_review", _("审核中")
    AWAITING_SEALING = "awaiting_sealing", _("待盖章")
    VALID = "valid", _("有效")
    SUPERSEDED = "superseded", _("历史版本")
    CANCELLED = "cancelled", _("已注销")
    ABOLISHED = "abolished", _("已废止")
    REPORTED_LOST = "reported_lost", _("已挂失")


class LicenceOperation(models.TextChoices):
    """Operation type of the archive (国标证照档案, LIC-1.16): what made this version current or ended it."""

    NONE = "", _("—")
    VALID = "valid", _("有效")
    CHANGE = "change", _("变更")
    ANNUAL_INSPECTION = "annual_inspection", _("年检")
    CANCEL = "cancel", _("注销")
    ABOLISH = "abolish", _("废止")
    REPORT_LOST = "report_lost", _("挂失")


class LicenceSource(models.TextChoices):
    SYSTEM_ENTRY = "system_entry", _("系统录入")
    INTERFACE = "interface", _("接口产生")
    DATA_EXCHANGE = "data_exchange", _("数据交换")
    FILE_IMPORT = "file_import", _("文件导入")


class Licence(SensitiveFieldsMixin, models.Model):
    """One version of one electronic licence; ``licence_code`` is shared by all its versions."""

    scope_organisation_field = "issuer"

    licence_code = models.CharField(_("证照标识"), max_length=80, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    template = models.ForeignKey(LicenceTemplate, verbose_name=_("模板"), on_delete=models.PROTECT,
                                 related_name="licences")
    name = models.CharField(_("证照名称"), max_length=128)
    licence_number = models.CharField(_("证照编号"), max_length=64, db_index=True)
    holder_name = models.CharField(_("持证主体"), max_length=128, db_index=True)
    holder_kind = models.CharField(_("持证主体类型"), max_length=16, choices=HolderKind.choices)
    holder_code = EncryptedTextField(_("持证主体代码"), digest_field="holder_code_digest")
    holder_code_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    issuer = models.ForeignKey("core.Organisation", verbose_name=_("颁发机构"), on_delete=models.PROTECT,
                               related_name="issued_licences")
    issued_at = models.DateTimeField(_("颁发时间"), null=True, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    face_data = models.JSONField(_("照面信息"), default=dict)
    status = models.CharField(_("状态"), max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.ENTERED,
                              db_index=True)
    operation = models.CharField(_("操作类型"), max_length=20, choices=LicenceOperation.choices, blank=True,
                                 default="", db_index=True)
    reject_reason = models.CharField(_("退回原因"), max_length=255, blank=True)
    source = models.CharField(_("证照来源"), max_length=16, choices=LicenceSource.choices,
                              default=LicenceSource.SYSTEM_ENTRY)
    seal = models.ForeignKey("licences.Seal", verbose_name=_("印章"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="licences")
    ofd_file = models.FileField(_("OFD 文件"), upload_to="licences/ofd/%Y/%m/", blank=True, max_length=255)
    ofd_sm3 = models.CharField(_("文件 SM3"), max_length=64, blank=True)
    sealed_at = models.DateTimeField(_("盖章时间"), null=True, blank=True)
    generation_channel = models.ForeignKey("licences.GenerationChannel", verbose_name=_("生成接入"), null=True,
                                           blank=True, on_delete=models.SET_NULL, related_name="licences",
                                           help_text=_("经证照生成接口产生时，产生它的接入应用"))
    created_by = models.ForeignKey("identity.User", verbose_name=_("录入人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["licence_code", "version"], name="licences_code_version")]
        indexes = [models.Index(fields=["issuer", "status"]), models.Index(fields=["status", "valid_until"]),
                   models.Index(fields=["template", "status"]),
                   models.Index(fields=["generation_channel", "status"], name="lic_licence_channel_status")]
        permissions = [("review_licence", _("审核证照")), ("seal_licence", _("证照盖章"))]

    def __str__(self) -> str:
        return f"{self.name} {self.licence_number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("licences:licence-detail", args=[self.pk])


class LicenceCodeCounter(models.Model):
    """Sequence of licence identifiers per (type code, issuer code, year)."""

    type_code = models.CharField(max_length=21)
    issuer_code = models.CharField(max_length=18)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["type_code", "issuer_code", "year"],
                                               name="licences_code_counter")]
