"""Cases (办件): one application for one implementation item by one applicant (ACC-6.x – 10.x).

The case is the record every later step hangs on: pre-review, acceptance, supplements,
dispatch to department systems, issuance, the case code, reviews (apps.reviews evaluates
concluded cases) and supervision of time limits.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.halls import Hall, HallStaff, Window
from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_id_number, mask_mobile
from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class CaseStatus(models.TextChoices):
    PENDING_PRE_REVIEW = "pending_pre_review", _("待预审")
    PRE_REVIEW_PASSED = "pre_review_passed", _("预审通过")
    PRE_REVIEW_REJECTED = "pre_review_rejected", _("预审驳回")
    PRE_REVIEW_TIMED_OUT = "pre_review_timed_out", _("预审超时")
    PRE_REVIEW_VOIDED = "pre_review_voided", _("预审超时作废")
    PENDING_ACCEPTANCE = "pending_acceptance", _("受理中")
    ACCEPTED = "accepted", _("已受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    SUPPLEMENT_REQUIRED = "supplement_required", _("补齐补正中")
    UNDER_EXAMINATION = "under_examination", _("审查中")
    UNDER_APPROVAL = "under_approval", _("审批中")
    CONCLUDED = "concluded", _("已办结")
    RESCINDED = "rescinded", _("已撤销")
    VOIDED = "voided", _("已作废")


# A case in one of these states is finished: nothing more happens to it except evaluation.
FINAL_STATUSES = (CaseStatus.NOT_ACCEPTED, CaseStatus.CONCLUDED, CaseStatus.RESCINDED,
                  CaseStatus.PRE_REVIEW_REJECTED, CaseStatus.PRE_REVIEW_VOIDED, CaseStatus.VOIDED)


class DispatchStatus(models.TextChoices):
    NOT_DISPATCHED = "", _("未分发")
    NO_ROUTE = "no_route", _("未配置路由")
    PENDING = "pending", _("待分发")
    DISPATCHED = "dispatched", _("分发成功（未签收）")
    SIGNED_FOR = "signed_for", _("已签收")
    FAILED = "failed", _("分发失败")


class IssuanceStatus(models.TextChoices):
    NONE = "", _("无")
    PENDING = "pending", _("待出件")
    ISSUED = "issued", _("已出件")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("窗口领取")
    EXPRESS = "express", _("快递寄送")
    DOOR = "door", _("上门投送")
    LOCKER = "locker", _("24小时自助取件箱")


class CaseChannel(models.TextChoices):
    WINDOW = "window", _("窗口")
    PC = "pc", _("电脑端")
    APP = "app", _("APP")
    MINI_PROGRAM = "mini_program", _("小程序")
    SELF_SERVICE_TERMINAL = "self_service_terminal", _("自助终端")
    DEPARTMENT_SYSTEM = "department_system", _("部门业务系统")


class ApplicantKind(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    LEGAL_PERSON = "legal_person", _("法人")


class CaseClassification(models.TextChoices):
    """申办件分类 (ACC-6.5): the mode a case is handled in, shown as a marker on every list."""

    LICENSING = "licensing", _("行政许可事项")
    PUBLIC_SERVICE = "public_service", _("公共服务事项")
    FAST_MATERIAL = "fast_material", _("材料快速审批")
    ONLINE_PRE_APPLICATION = "online_pre_application", _("网上预申办")


class CaseResult(models.TextChoices):
    APPROVED = "approved", _("准予许可")
    DENIED = "denied", _("不予许可")
    OTHER = "other", _("其他")


class Case(SensitiveFieldsMixin, models.Model):
    """办件: one application for one implementation item by one applicant.

    Scope: the handling organisation's subtree and the region-wide bureaus above it; the
    applicant's account sees its own cases.
    """

    case_number = models.CharField(_("办件编号"), max_length=50, unique=True)
    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="cases")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("办理部门"), on_delete=models.PROTECT,
                                     related_name="+")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请账号"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="cases")
    proxy_agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("代办人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")  # 授权代办 (ACC-0.8)
    proxy_number = models.CharField(_("代办编号"), max_length=24, blank=True)
    applicant_kind = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantKind.choices,
                                      default=ApplicantKind.NATURAL_PERSON)
    applicant_name = models.CharField(_("申请人"), max_length=128)
    applicant_id_number = EncryptedTextField(_("证件号码"), digest_field="applicant_id_number_digest")
    applicant_id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    applicant_mobile = EncryptedTextField(_("联系电话"), blank=True, digest_field="applicant_mobile_digest")
    applicant_mobile_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    channel = models.CharField(_("申报渠道"), max_length=24, choices=CaseChannel.choices,
                               default=CaseChannel.WINDOW)
    status = models.CharField(_("办件状态"), max_length=24, choices=CaseStatus.choices,
                              default=CaseStatus.PENDING_ACCEPTANCE, db_index=True)
    hall = models.ForeignKey(Hall, verbose_name=_("受理大厅"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="cases")
    window = models.ForeignKey(Window, verbose_name=_("受理窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cases")
    window_staff = models.ForeignKey(HallStaff, verbose_name=_("受理人员"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="cases")
    submitted_at = models.DateTimeField(_("申报时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(_("承诺办结日期"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    result = models.CharField(_("办理结果"), max_length=16, choices=CaseResult.choices, blank=True)
    result_note = models.CharField(_("结果说明"), max_length=500, blank=True)
    # Key elements live in columns; everything else the applicant filled in is the acceptance-data
    # structure below (ACC-6.1: key elements + file structure, no redundant tables).
    form_data = models.JSONField(_("表单数据"), default=dict, blank=True)
    situations = models.JSONField(_("所选情形"), default=list, blank=True)
    pre_review_due = models.DateField(_("预审期限"), null=True, blank=True, db_index=True)
    pre_review_opinion = models.CharField(_("预审意见"), max_length=500, blank=True)
    classification = models.CharField(_("申办件分类"), max_length=24, choices=CaseClassification.choices,
                                      default=CaseClassification.PUBLIC_SERVICE)
    internal_review_opinion = models.TextField(_("单位内审意见"), blank=True,
                                               help_text=_("申请单位内部审核的意见，供预审核对材料参考。"))
    decision_reason = models.CharField(_("不予受理理由"), max_length=500, blank=True)
    dispatch_status = models.CharField(_("分发状态"), max_length=16, choices=DispatchStatus.choices, blank=True,
                                       default=DispatchStatus.NOT_DISPATCHED, db_index=True)
    route = models.ForeignKey("acceptance.Route", verbose_name=_("分发路由"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="cases")
    issuance_status = models.CharField(_("出件状态"), max_length=16, choices=IssuanceStatus.choices, blank=True,
                                       default=IssuanceStatus.NONE, db_index=True)
    delivery_method = models.CharField(_("领取方式"), max_length=16, choices=DeliveryMethod.choices,
                                       default=DeliveryMethod.PICKUP)
    delivery_address = models.CharField(_("邮寄地址"), max_length=300, blank=True)
    declared_with = models.ForeignKey("self", verbose_name=_("一并申报主件"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="declared_together")

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "organisation"
    scope_owner_field = "applicant"

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["region", "status"], name="acc_case_region_status_idx"),
            models.Index(fields=["organisation", "status"], name="acc_case_org_status_idx"),
            models.Index(fields=["item", "submitted_at"], name="acc_case_item_time_idx"),
            # daily case counts (PORTAL-7.6): the cases submitted / accepted in a date range
            models.Index(fields=["submitted_at"], name="acc_case_submitted_idx"),
            models.Index(fields=["accepted_at"], name="acc_case_accepted_idx"),
            models.Index(fields=["status", "due_date"], name="acc_case_status_due_idx"),   # deadline scan
            models.Index(fields=["classification", "status"], name="acc_case_class_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.item.name if self.item_id else ''}".strip()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("acceptance:case-detail", args=[self.pk])

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.applicant_mobile)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class CaseNumberSerial(models.Model):
    """Daily serial per implementation code for case numbers (reference-codes.md §5).

    Locked with SELECT … FOR UPDATE so two windows never get the same number.
    """

    implementation_code = models.CharField(_("实施编码"), max_length=50)
    date = models.DateField(_("日期"))
    last = models.PositiveIntegerField(_("当日已用流水号"), default=0)

    class Meta:
        verbose_name = _("办件编号流水")
        verbose_name_plural = _("办件编号流水")
        constraints = [models.UniqueConstraint(fields=["implementation_code", "date"],
                                               name="acc_case_serial_uniq")]

    def __str__(self) -> str:
        return f"{self.implementation_code} {self.date:%Y%m%d} #{self.last}"
