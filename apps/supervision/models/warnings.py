"""Early warnings of electronic supervision (电子监察): warning → yellow card → red card.

A warning belongs either to a complaint (投诉) of this app or to an accepted case (办件) of
apps.acceptance — exactly one of the two (check constraint). Its reason is a missed time limit or,
for cases, a case without a case code (办件码监察, ACC-17.8).
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WarningLevel(models.TextChoices):
    WARNING = "warning", _("预警")
    YELLOW_CARD = "yellow_card", _("黄牌")
    RED_CARD = "red_card", _("红牌")


class WarningReason(models.TextChoices):
    DEADLINE = "deadline", _("办理时限")
    NO_CASE_CODE = "no_case_code", _("未申领办件码")


class EarlyWarning(models.Model):
    """One warning level reached by one complaint or case (raised once; SMS to the responsible people)."""

    complaint = models.ForeignKey("supervision.Complaint", verbose_name=_("投诉"), on_delete=models.CASCADE,
                                  related_name="warnings", null=True, blank=True)
    case = models.ForeignKey("acceptance.Case", verbose_name=_("办件"), on_delete=models.CASCADE,
                             related_name="supervision_warnings", null=True, blank=True)
    level = models.CharField(_("预警级别"), max_length=12, choices=WarningLevel.choices, db_index=True)
    reason = models.CharField(_("监察事由"), max_length=16, choices=WarningReason.choices,
                              default=WarningReason.DEADLINE)
    department = models.ForeignKey("core.Organisation", verbose_name=_("责任部门"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("发出时间"), default=timezone.now, db_index=True)
    deadline = models.DateTimeField(_("办理期限"))

    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "level", "deadline"], name="supervision_one_warning_per_level"),
            models.UniqueConstraint(fields=["case", "reason", "level", "deadline"],
                                    name="supervision_one_case_warning_per_level"),
            models.CheckConstraint(condition=Q(complaint__isnull=False, case__isnull=True)
                                   | Q(complaint__isnull=True, case__isnull=False),
                                   name="supervision_warning_one_subject"),
        ]
        indexes = [models.Index(fields=["region", "level", "-raised_at"], name="supervision_warning_region_idx")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.complaint_id or self.case_id}"

    @property
    def subject_number(self) -> str:
        return self.complaint.case_number if self.complaint_id else self.case.case_number

    @property
    def subject_kind(self) -> str:
        return str(_("投诉")) if self.complaint_id else str(_("办件"))
