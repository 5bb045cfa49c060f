"""Result sign-for, delivery tracking and the licence filing account (ACC-10.2, 10.6, 10.7)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.cases import Case
from apps.acceptance.models.onewindow import CaseDelivery
from apps.core.scope import ScopedQuerySet


class IssuingAccount(models.Model):
    """证照归集账号: the named service account that files licence results of one issuing department into
    the e-licence library when the issuing window staff do not hold licences.add_licence themselves
    (decision 0404). Set up by the system administrator; every use is audited with the staff member."""

    organisation = models.OneToOneField("core.Organisation", verbose_name=_("出证部门"), on_delete=models.CASCADE,
                                        related_name="acceptance_issuing_account")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("服务账号"), on_delete=models.PROTECT,
                                related_name="+")
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("证照归集账号")
        verbose_name_plural = _("证照归集账号")
        ordering = ["organisation"]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.account}"


class ResultType(models.TextChoices):
    LICENCE = "licence", _("证照")
    APPROVAL_DOCUMENT = "approval_document", _("批准文件")
    DECISION = "decision", _("决定书")
    OTHER = "other", _("其他")


class ResultReceipt(models.Model):
    """结果签收: the window signs for the department's result and its physical outputs, checks and photographs
    it; the photo goes to the licence library with the filed licence (ACC-10.1, 10.2)."""

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="result_receipt")
    result_type = models.CharField(_("结果类型"), max_length=24, choices=ResultType.choices)
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    checked = models.BooleanField(_("已核对"), default=False)
    check_note = models.CharField(_("核对说明"), max_length=500, blank=True)
    photo = models.FileField(_("结果照片"), upload_to="acceptance/results/%Y/%m/")
    licence_codes = models.CharField(_("入库证照标识"), max_length=400, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签收人"), on_delete=models.PROTECT,
                                  related_name="+")
    signed_at = models.DateTimeField(_("签收时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "case__region"
    scope_organisation_field = "case__organisation"

    class Meta:
        verbose_name = _("结果签收")
        verbose_name_plural = _("结果签收")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.case.case_number} {self.get_result_type_display()}"


class DeliveryEventKind(models.TextChoices):
    HANDED_OVER = "handed_over", _("当面交付")
    SHIPPED = "shipped", _("已交寄")
    IN_TRANSIT = "in_transit", _("运输中")
    OUT_FOR_DELIVERY = "out_for_delivery", _("派送中")
    STORED_IN_LOCKER = "stored_in_locker", _("已存入取件箱")
    DELIVERED = "delivered", _("已签收")
    RETURNED = "returned", _("已退回")
    NOTE = "note", _("操作备注")


# After one of these the certificate has arrived (or come back): no further movement is accepted.
FINAL_EVENTS = (DeliveryEventKind.HANDED_OVER, DeliveryEventKind.DELIVERED, DeliveryEventKind.RETURNED)


class DeliveryEvent(models.Model):
    """出件跟踪: one movement of or operation on the certificate after it left the window (ACC-10.6, 10.7)."""

    delivery = models.ForeignKey(CaseDelivery, verbose_name=_("出件记录"), on_delete=models.CASCADE,
                                 related_name="events")
    kind = models.CharField(_("节点"), max_length=20, choices=DeliveryEventKind.choices)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    external_id = models.CharField(_("物流事件标识"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("出件跟踪")
        verbose_name_plural = _("出件跟踪")
        ordering = ["occurred_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["delivery", "external_id"], condition=~models.Q(external_id=""),
                                               name="acc_delivery_event_ext_uniq")]

    def __str__(self) -> str:
        return f"{self.delivery} {self.get_kind_display()}"
