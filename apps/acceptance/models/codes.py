"""Case codes (办件码): per-item yearly code segments, codes, call log, manual coding, reconciliation (ACC-17.x)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region
from apps.core.scope import ScopedQuerySet


class CaseCodeSegment(models.Model):
    """码段: one item's serials in one year; a new year's segment starts at 1 (ACC-17.1). Locked FOR UPDATE."""

    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("办件码码段")
        verbose_name_plural = _("办件码码段")
        constraints = [models.UniqueConstraint(fields=["item", "year"], name="acc_code_segment_uniq")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.year} #{self.last}"


class CaseCodeStatus(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已撤消")


class CaseCode(models.Model):
    """办件码: digital form `code`; the graphic form is a QR of the verification URL (ACC-17.0, 17.11)."""

    code = models.CharField(_("数字办件码"), max_length=64, unique=True)
    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("流水号"))
    case = models.OneToOneField("acceptance.Case", verbose_name=_("办件"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="case_code")
    manual = models.BooleanField(_("手动赋码"), default=False)
    manual_detail = models.JSONField(_("手动赋码信息"), default=dict, blank=True)
    client = models.ForeignKey("acceptance.ClientSystem", verbose_name=_("申请系统"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=CaseCodeStatus.choices,
                              default=CaseCodeStatus.ACTIVE, db_index=True)
    issued_at = models.DateTimeField(_("赋码时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤消时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤消原因"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "item__handling_department"

    class Meta:
        verbose_name = _("办件码")
        verbose_name_plural = _("办件码")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["item", "year", "serial"], name="acc_code_serial_uniq")]
        indexes = [models.Index(fields=["region", "status"], name="acc_code_region_status_idx")]

    def __str__(self) -> str:
        return self.code


class CaseCodeCall(models.Model):
    """Call record of the case-code interface (demo: request, revocation and verification records)."""

    operation = models.CharField(_("操作"), max_length=16, db_index=True)
    code = models.CharField(_("办件码"), max_length=64, blank=True)
    client = models.ForeignKey("acceptance.ClientSystem", verbose_name=_("调用系统"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    result = models.BooleanField(_("结果"), default=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("办件码调用记录")
        verbose_name_plural = _("办件码调用记录")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.operation} {self.code}"


class ManualCodingMatter(models.Model):
    """An item coded by hand only (涉密事项 or unfit for network handling): the interface refuses it."""

    item = models.OneToOneField("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                                related_name="+")
    reason = models.CharField(_("原因"), max_length=200)

    class Meta:
        verbose_name = _("手动赋码事项")
        verbose_name_plural = _("手动赋码事项")

    def __str__(self) -> str:
        return str(self.item_id)


class CaseCodeReconciliation(models.Model):
    """对账: accepted cases vs codes, per region at every level down to the village (ACC-17.10)."""

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(_("对账时间"), auto_now_add=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("执行人"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    rows = models.JSONField(_("对账结果"), default=list)
    missing_cases = models.JSONField(_("无码办件"), default=list)

    class Meta:
        verbose_name = _("办件码对账")
        verbose_name_plural = _("办件码对账")
        ordering = ["-run_at"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.run_at:%Y-%m-%d %H:%M}"
