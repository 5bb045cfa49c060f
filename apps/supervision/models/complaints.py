"""Complaint (投诉): one complaint, consultation, suggestion or feedback from any channel."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_mobile
from apps.core.scope import ScopedQuerySet


class ComplaintSource(models.TextChoices):
    """The channel a complaint came in through (投诉来源)."""

    NATIONAL_PLATFORM = "national_platform", _("国家政务服务平台")
    GOVCN = "govcn", _("中国政府网督查平台")
    PROVINCIAL = "provincial", _("省级网站及APP")
    INVESTMENT_EXPRESS = "investment_express", _("招商引资直通车")


class ComplaintKind(models.TextChoices):
    """Complaint or suggestion (投诉或建议) and the investment-express kinds."""

    COMPLAINT = "complaint", _("投诉")
    CONSULTATION = "consultation", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    FEEDBACK = "feedback", _("我要反馈")
    INVESTMENT_EVALUATION = "investment_evaluation", _("我要评价")


class ComplaintStatus(models.TextChoices):
    """Acceptance status (受理状态); transitions live in apps.supervision.services.workflow."""

    PENDING = "pending", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    TRANSFERRED = "transferred", _("已转办")
    ASSIGNED = "assigned", _("已指派")
    RECEIVED = "received", _("部门已接收受理")
    RETURNED = "returned", _("部门已退回")
    RETAINED = "retained", _("留存处理")
    RETURNED_UPSTREAM = "returned_upstream", _("已退回督查平台")
    RESULT_ENTERED = "result_entered", _("已录入受理结果")
    REVIEWED = "reviewed", _("审核通过")
    REPLIED = "replied", _("已回复")
    SUBMITTED_TO_NATION = "submitted_to_nation", _("已提交上级平台")
    REOPENED = "reopened", _("退回继续处理")
    CONCLUDED = "concluded", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


DONE_STATUSES = (ComplaintStatus.SUBMITTED_TO_NATION, ComplaintStatus.CONCLUDED, ComplaintStatus.WITHDRAWN,
                 ComplaintStatus.RETURNED_UPSTREAM)


class DeadlineStatus(models.TextChoices):
    """Time-limit supervision (时效监察) of an open complaint."""

    ON_TIME = "on_time", _("正常")
    DUE_SOON = "due_soon", _("即将超期")
    OVERDUE = "overdue", _("超期")


class ComplaintQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status__in=DONE_STATUSES)

    def done(self):
        return self.filter(status__in=DONE_STATUSES)


class Complaint(SensitiveFieldsMixin, models.Model):
    """投诉件: what a citizen or enterprise complained about, where it is in its workflow and who
    handles it. The 12 detail fields of PORTAL-1.5 are title, content, complainant_name,
    complainant_mobile, email, kind, department (name), region (name), case_number,
    submitted_at, item_code and item_name."""

    source = models.CharField(_("投诉来源"), max_length=24, choices=ComplaintSource.choices, db_index=True)
    kind = models.CharField(_("投诉或建议"), max_length=24, choices=ComplaintKind.choices,
                            default=ComplaintKind.COMPLAINT, db_index=True)
    status = models.CharField(_("受理状态"), max_length=24, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.PENDING, db_index=True)
    case_number = models.CharField(_("办件编号"), max_length=40, unique=True)
    query_code = models.CharField(_("查询码"), max_length=12, db_index=True)
    external_id = models.CharField(_("上级平台编号"), max_length=64, blank=True, db_index=True)
    business_key = models.CharField(_("业务主键"), max_length=64, blank=True, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    complainant_name = models.CharField(_("姓名"), max_length=64)
    complainant_mobile = EncryptedTextField(_("手机号码"), digest_field="complainant_mobile_digest")
    complainant_mobile_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("E_MAIL"), blank=True)
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("投诉人账号"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="supervision_complaints")
    region = models.ForeignKey("core.Region", verbose_name=_("区划"), on_delete=models.PROTECT,
                               related_name="+")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey("core.Organisation", verbose_name=_("办件部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="supervision_complaints")
    item_code = models.CharField(_("事项编码"), max_length=64, blank=True, db_index=True)
    item_name = models.CharField(_("事项名称"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    deadline = models.DateTimeField(_("办理期限"), null=True, blank=True, db_index=True)
    result = models.TextField(_("受理结果"), blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True, db_index=True)
    retained = models.BooleanField(_("留存处理"), default=False)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    conclusion_confirmed_at = models.DateTimeField(_("确认办结时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价星级"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    scope_region_field = "region"
    scope_organisation_field = "department"
    scope_owner_field = "complainant"

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-submitted_at", "-pk"]
        permissions = [
            ("handle_complaint", _("可以受理、转办、指派、审核、提交和办结投诉")),
            ("process_complaint", _("可以作为部门接收、退回投诉并录入受理结果")),
        ]
        indexes = [
            models.Index(fields=["source", "status", "-submitted_at"], name="supervision_src_status_idx"),
            models.Index(fields=["case_number", "query_code"], name="supervision_case_query_idx"),
            # to-do lists: only open complaints (a few percent of all), newest first, per channel
            models.Index(fields=["source", "-submitted_at"], condition=~models.Q(status__in=DONE_STATUSES),
                         name="supervision_open_src_idx"),
            models.Index(fields=["deadline"], condition=~models.Q(status__in=DONE_STATUSES),
                         name="supervision_open_deadline_idx"),
            # a bureau's open complaints: region prefix (LIKE '2301%') + channel for its to-do count, and
            # the deadline for its live overdue figures, without touching the other 97 % of the table
            models.Index(fields=["region", "source"], opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                         condition=~models.Q(status__in=DONE_STATUSES), name="supervision_open_region_idx",
                         include=["deadline", "department"]),
            # region-prefix scope (LIKE '2301%') with the statistics columns: index-only aggregates
            models.Index(fields=["region"], opclasses=["varchar_pattern_ops"], name="supervision_region_prefix_idx",
                         include=["status", "source", "deadline", "submitted_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], condition=~models.Q(external_id=""),
                                    name="supervision_unique_external_id"),
        ]

    def __str__(self) -> str:
        return f"{self.case_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:complaint-detail", args=[self.pk])

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.complainant_mobile)

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def deadline_status(self) -> str:
        from apps.supervision.services.deadlines import deadline_status_of

        return deadline_status_of(self)
