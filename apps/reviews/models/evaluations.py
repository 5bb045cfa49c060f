"""Evaluations (评价) and the records that hang on them: hotline work orders, SMS reminders."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet
from apps.reviews.models.choices import BAD_LEVELS, GOOD_LEVELS, EvaluationChannel, EvaluationLevel, ObjectKind


class PublicationStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", _("无需审核")
    PENDING = "pending", _("待审核公开")
    PUBLISHED = "published", _("公开")
    WITHHELD = "withheld", _("不公开")


class NationalCheck(models.TextChoices):
    UNCHECKED = "unchecked", _("未质检")
    PASSED = "passed", _("已通过国家质检")
    FAILED = "failed", _("未通过国家质检")


class Evaluation(models.Model):
    """评价: one rating of one evaluated object, from one channel. Immutable once written: the
    services offer no edit; only flags set by the platform (abnormal, validity, publication,
    national check, aggregation) change afterwards.

    Scope: the service department's subtree and region-wide bureaus; the evaluator sees their own.
    """

    evaluation_number = models.CharField(_("评价编号"), max_length=32, unique=True)
    object_kind = models.CharField(_("评价对象"), max_length=16, choices=ObjectKind.choices)
    channel = models.CharField(_("评价渠道"), max_length=24, choices=EvaluationChannel.choices)
    level = models.PositiveSmallIntegerField(_("评价等级"), choices=EvaluationLevel.choices)
    indicators = models.JSONField(_("指标"), default=list, blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    comment = models.TextField(_("评价内容"), blank=True, max_length=1000)
    case = models.ForeignKey("acceptance.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="evaluations")
    matter = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="evaluations")
    hall = models.ForeignKey("acceptance.Hall", verbose_name=_("大厅"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="evaluations")
    window = models.ForeignKey("acceptance.Window", verbose_name=_("窗口"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="evaluations")
    staff = models.ForeignKey("acceptance.HallStaff", verbose_name=_("人员"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="evaluations")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("服务部门"), on_delete=models.PROTECT,
                                     related_name="+")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="evaluations")
    evaluator_name = models.CharField(_("评价人姓名"), max_length=64, blank=True)
    is_anonymous = models.BooleanField(_("匿名评价"), default=False)
    client = models.ForeignKey("reviews.ReviewClient", verbose_name=_("接入应用"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="evaluations")
    external_id = models.CharField(_("接入方评价标识"), max_length=64, blank=True)
    is_default = models.BooleanField(_("系统默认评价"), default=False)
    is_valid = models.BooleanField(_("有效"), default=True)
    is_abnormal = models.BooleanField(_("异常评价"), default=False)
    is_blacklisted = models.BooleanField(_("黑名单评价"), default=False)
    publication_status = models.CharField(_("公开状态"), max_length=12, choices=PublicationStatus.choices,
                                          default=PublicationStatus.NOT_NEEDED)
    national_check = models.CharField(_("国家质检"), max_length=12, choices=NationalCheck.choices,
                                      default=NationalCheck.UNCHECKED)
    national_check_note = models.CharField(_("质检说明"), max_length=255, blank=True)
    hotline_status = models.CharField(_("热线核实"), max_length=255, blank=True)
    feedback = models.TextField(_("接入方反馈"), blank=True)
    aggregated = models.BooleanField(_("已汇总"), default=False)
    evaluated_at = models.DateTimeField(_("评价时间"), db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "organisation"
    scope_owner_field = "evaluator"

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-evaluated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "channel"], condition=Q(case__isnull=False),
                                    name="rev_one_evaluation_per_case_channel"),
            models.UniqueConstraint(fields=["client", "external_id"], condition=~Q(external_id=""),
                                    name="rev_client_external_id_uniq"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="rev_level_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["region", "evaluated_at"], name="rev_eval_region_time_idx"),
            models.Index(fields=["organisation", "level"], name="rev_eval_org_level_idx"),
            models.Index(fields=["evaluator", "evaluated_at"], name="rev_eval_evaluator_idx"),
            models.Index(fields=["aggregated"], condition=Q(aggregated=False), name="rev_eval_unaggregated_idx"),
            models.Index(fields=["window", "evaluator", "evaluated_at"], name="rev_eval_window_user_idx"),
        ]
        permissions = [("manage_evaluations", "管理好差评（审核、异常、案例库）"),
                       ("view_statistics", "查看好差评统计")]

    def __str__(self) -> str:
        return f"{self.evaluation_number} {self.get_level_display()}"

    @property
    def is_bad_review(self) -> bool:
        return self.level in BAD_LEVELS

    @property
    def is_good_review(self) -> bool:
        return self.level in GOOD_LEVELS

    @property
    def stars(self) -> int:
        return 6 - self.level

    @property
    def public_evaluator(self) -> str:
        if self.is_anonymous or not self.evaluator_name:
            return str(_("匿名用户"))
        return self.evaluator_name[0] + "*" * (len(self.evaluator_name) - 1)

    @property
    def object_label(self) -> str:
        target = {ObjectKind.HALL: self.hall, ObjectKind.WINDOW: self.window, ObjectKind.STAFF: self.staff,
                  ObjectKind.CASE: self.case}.get(self.object_kind)
        return str(target or self.matter or "")


class HotlineOrderStatus(models.TextChoices):
    CREATED = "created", _("已生成")
    PUSHED = "pushed", _("已推送热线")
    VERIFIED = "verified", _("热线已核实")


class HotlineWorkOrder(models.Model):
    """差评工单: a 1–2-star evaluation pushed to the hotline for a verifying call (REV-19.2, 23.12)."""

    evaluation = models.OneToOneField(Evaluation, verbose_name=_("评价"), on_delete=models.PROTECT,
                                      related_name="hotline_order")
    order_number = models.CharField(_("工单编号"), max_length=40, unique=True)
    status = models.CharField(_("状态"), max_length=12, choices=HotlineOrderStatus.choices,
                              default=HotlineOrderStatus.CREATED)
    verification_result = models.CharField(_("核实结果"), max_length=500, blank=True)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    scope_region_field = "evaluation__region"
    scope_organisation_field = "evaluation__organisation"

    class Meta:
        verbose_name = _("差评工单")
        verbose_name_plural = _("差评工单")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.order_number


class EvaluationReminder(models.Model):
    """短信提醒: one SMS inviting the applicant of a concluded, unrated case to evaluate (REV-18)."""

    case = models.OneToOneField("acceptance.Case", verbose_name=_("办件"), on_delete=models.CASCADE,
                                related_name="evaluation_reminder")
    token = models.CharField(_("链接令牌"), max_length=48, unique=True)
    sms = models.ForeignKey("core.SmsMessage", verbose_name=_("短信"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价短信提醒")
        verbose_name_plural = _("评价短信提醒")

    def __str__(self) -> str:
        return f"{self.case_id} {self.sent_at:%Y-%m-%d}"
