"""One-window acceptance around a case: materials, supplements (补齐补正), documents, issuance (ACC-6.x – 10.x)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.cases import Case
from apps.core.scope import ScopedQuerySet


class MaterialMedium(models.TextChoices):
    ELECTRONIC = "electronic", _("电子")
    PAPER = "paper", _("纸质")


class MaterialSource(models.TextChoices):
    UPLOAD = "upload", _("上传")
    PAPER = "paper", _("窗口收取纸质")
    LICENCE = "licence", _("电子证照")
    HISTORY = "history", _("历史材料复用")


class CaseMaterial(models.Model):
    """申报材料: one line of a case's materials checklist, copied from the matter's materials at intake."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="materials")
    definition = models.ForeignKey("matters.ApplicationMaterial", verbose_name=_("材料定义"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("材料名称"), max_length=200)
    is_required = models.BooleanField(_("必要"), default=True)
    medium = models.CharField(_("介质"), max_length=12, choices=MaterialMedium.choices,
                              default=MaterialMedium.ELECTRONIC)
    copies = models.PositiveSmallIntegerField(_("数量"), default=1)
    file = models.FileField(_("文件"), upload_to="acceptance/materials/%Y/%m/", blank=True, max_length=255)
    received = models.BooleanField(_("已收取"), default=False)
    source = models.CharField(_("来源"), max_length=12, choices=MaterialSource.choices, blank=True)
    reused_from = models.ForeignKey("self", verbose_name=_("复用自"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    licence_code = models.CharField(_("电子证照标识"), max_length=64, blank=True)  # source=licence (ACC-7.12)
    supplement = models.ForeignKey("acceptance.CaseSupplement", verbose_name=_("补正批次"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="materials")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "case__region"
    scope_organisation_field = "case__organisation"
    scope_owner_field = "case__applicant"

    class Meta:
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def material_number(self) -> str:
        """材料编号 (ACC-16.7): the case number and the line's serial, unique and readable."""
        return f"{self.case.case_number}-{self.pk:06d}"

    @property
    def file_name(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class SupplementStatus(models.TextChoices):
    PENDING = "pending", _("待补正")
    SUBMITTED = "submitted", _("已补正")
    TIMED_OUT = "timed_out", _("超时作废")


class CaseSupplement(models.Model):
    """补齐补正: what is missing, by when (working days), and what came back (ACC-7.9, 9.x, 14.9, 14.12)."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="supplements")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("告知人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_by_system = models.ForeignKey("acceptance.ClientSystem", verbose_name=_("告知系统"), null=True,
                                            blank=True, on_delete=models.SET_NULL, related_name="+")
    content = models.TextField(_("补正内容"))
    working_days = models.PositiveSmallIntegerField(_("补正期限（工作日）"))
    deadline = models.DateField(_("补正截止日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=12, choices=SupplementStatus.choices,
                              default=SupplementStatus.PENDING, db_index=True)
    resume_status = models.CharField(_("补正后状态"), max_length=24)
    requested_at = models.DateTimeField(_("告知时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("补正时间"), null=True, blank=True)
    submitted_note = models.CharField(_("补正说明"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "case__region"
    scope_organisation_field = "case__organisation"
    scope_owner_field = "case__applicant"

    class Meta:
        verbose_name = _("补齐补正")
        verbose_name_plural = _("补齐补正")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "deadline"], name="acc_supp_status_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.case.case_number} {self.get_status_display()}"


class DocumentKind(models.TextChoices):
    INTAKE_RECEIPT = "intake_receipt", _("收件回执")
    ACCEPTANCE_NOTICE = "acceptance_notice", _("受理通知书")
    NON_ACCEPTANCE_NOTICE = "non_acceptance_notice", _("不予受理通知书")
    SUPPLEMENT_NOTICE = "supplement_notice", _("补齐补正通知书")
    MATERIAL_LIST = "material_list", _("材料清单")
    RESULT_NOTICE = "result_notice", _("办结通知书")


class CaseDocument(models.Model):
    """文书: one printed notice with its QR code to the case's progress page (ACC-7.3, 7.7, 7.14, 7.16)."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=24, choices=DocumentKind.choices)
    issued_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    detail = models.CharField(_("内容摘要"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("办件文书")
        verbose_name_plural = _("办件文书")
        ordering = ["issued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="acc_case_doc_once")]

    def __str__(self) -> str:
        return f"{self.case.case_number} {self.get_kind_display()}"


class CaseDelivery(models.Model):
    """出件: how the result left the window (ACC-10.3 – 10.6); pickup info goes to the department."""

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="delivery")
    method = models.CharField(_("出件方式"), max_length=16)
    recipient = models.CharField(_("领取人/收件人"), max_length=64)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    waybill_number = models.CharField(_("运单号"), max_length=40, blank=True)
    issued_at = models.DateTimeField(_("出件时间"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("出件人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    licence_code = models.CharField(_("证照标识"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("出件记录")
        verbose_name_plural = _("出件记录")

    def __str__(self) -> str:
        return f"{self.case.case_number} {self.method}"
