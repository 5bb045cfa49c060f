"""Bad-review disposal (差评处置) and appeals (申诉) — REV-11.3, 11.4, PORTAL-2.4."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet
from apps.reviews.models.evaluations import Evaluation


class DisposalStatus(models.TextChoices):
    DISTRIBUTED = "distributed", _("待受理")
    NOT_ACCEPTED = "not_accepted", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    RETURNED = "returned", _("已退回")
    VERIFIED = "verified", _("已核实")
    RECTIFYING = "rectifying", _("整改中")
    REPEAT_RECTIFICATION = "repeat_rectification", _("重复整改")
    FEEDBACK_SUBMITTED = "feedback_submitted", _("待审核")
    COMPLETED = "completed", _("整改完成")
    REPORTED = "reported", _("已上报")
    INVALIDATED = "invalidated", _("申诉成立（无效评价）")


OPEN_STATUSES = (DisposalStatus.DISTRIBUTED, DisposalStatus.ACCEPTED, DisposalStatus.VERIFIED,
                 DisposalStatus.RECTIFYING, DisposalStatus.REPEAT_RECTIFICATION,
                 DisposalStatus.FEEDBACK_SUBMITTED, DisposalStatus.RETURNED)


class BadReviewDisposal(models.Model):
    """差评处置任务: created for every 不满意/非常不满意 evaluation and sent to the competent
    department; rectified within the region's working-day limit, reported to the national system."""

    evaluation = models.OneToOneField(Evaluation, verbose_name=_("评价"), on_delete=models.PROTECT,
                                      related_name="disposal")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    competent_department = models.ForeignKey(Organisation, verbose_name=_("主管部门"), on_delete=models.PROTECT,
                                             related_name="+")
    service_department = models.ForeignKey(Organisation, verbose_name=_("服务部门"), on_delete=models.PROTECT,
                                           related_name="+")
    status = models.CharField(_("状态"), max_length=24, choices=DisposalStatus.choices,
                              default=DisposalStatus.DISTRIBUTED, db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verified_true = models.BooleanField(_("核实属实"), null=True)
    responsibility = models.CharField(_("责任归属"), max_length=255, blank=True)
    verification_notes = models.TextField(_("核实意见"), blank=True)
    attachment = models.FileField(_("核实附件"), upload_to="reviews/disposals/%Y/%m/", blank=True)
    rectification_content = models.TextField(_("整改内容"), blank=True)
    responsible_person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("整改责任人"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="+")
    limit_working_days = models.PositiveSmallIntegerField(_("整改时限（工作日）"), null=True, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True, db_index=True)
    extension_reason = models.CharField(_("延期原因"), max_length=500, blank=True)
    feedback = models.TextField(_("整改反馈"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    return_visit_note = models.CharField(_("回访记录"), max_length=500, blank=True)
    return_visit_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    near_due_notified = models.BooleanField(_("已临期提醒"), default=False)
    overdue_notified = models.BooleanField(_("已超期提醒"), default=False)
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("分发时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "service_department"

    class Meta:
        verbose_name = _("差评处置任务")
        verbose_name_plural = _("差评处置任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status"], name="rev_disposal_region_idx")]
        permissions = [("handle_disposal", "处置差评（受理、核实、整改、审核）"),
                       ("decide_appeal", "复核差评申诉")]

    def __str__(self) -> str:
        return f"{self.evaluation.evaluation_number} {self.get_status_display()}"


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待复核")
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉驳回")


class Appeal(models.Model):
    """申诉: the service department disputes a bad review within the appeal limit (REV-11.3)."""

    disposal = models.ForeignKey(BadReviewDisposal, verbose_name=_("差评处置任务"), on_delete=models.PROTECT,
                                 related_name="appeals")
    organisation = models.ForeignKey(Organisation, verbose_name=_("申诉单位"), on_delete=models.PROTECT,
                                     related_name="+")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申诉人"), on_delete=models.PROTECT,
                                  related_name="+")
    reason = models.TextField(_("申诉理由"))
    status = models.CharField(_("状态"), max_length=12, choices=AppealStatus.choices,
                              default=AppealStatus.SUBMITTED, db_index=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    decision_reason = models.CharField(_("复核意见"), max_length=500, blank=True)
    filed_at = models.DateTimeField(_("申诉时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "disposal__region"
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("差评申诉")
        verbose_name_plural = _("差评申诉")
        ordering = ["-filed_at"]

    def __str__(self) -> str:
        return f"{self.disposal} {self.get_status_display()}"
