"""Organisation change requests (机构信息更新上报, PORTAL-8.3) and the third-party systems
that subscribe to organisation data."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models.organisations import Organisation
from apps.core.scope import ScopedQuerySet


class ChangeKind(models.TextChoices):
    ADD = "add", _("新增机构")
    MODIFY = "modify", _("修改机构信息")
    DELETE = "delete", _("撤销机构")


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_REVIEW = "pending_review", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("驳回")
    CLEANSING = "cleansing", _("数据清洗中")
    RETURNED = "returned", _("退回（问题数据）")
    CLEANSED = "cleansed", _("已清洗入库")
    DELIVERED = "delivered", _("已反馈并推送")


# States in which the applicant may still edit the proposal and (re)submit it.
EDITABLE_STATES = frozenset({ChangeStatus.DRAFT, ChangeStatus.REJECTED, ChangeStatus.RETURNED})


class OrganisationChangeRequest(models.Model):
    """A unit's application to add, modify or delete an organisation. It goes through review,
    data cleansing (problem data goes back to the applicant), application to the organisation
    table, feedback to the applicant and push to subscribed third-party systems."""

    kind = models.CharField(_("申请类型"), max_length=16, choices=ChangeKind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=ChangeStatus.choices,
                              default=ChangeStatus.DRAFT, db_index=True)
    target = models.ForeignKey(Organisation, verbose_name=_("目标机构"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="change_requests")
    proposed_data = models.JSONField(_("申请数据"), default=dict, blank=True)
    cleansed_data = models.JSONField(_("清洗后数据"), default=dict, blank=True)
    problem_data = models.JSONField(_("问题数据"), default=list, blank=True,
                                    help_text=_("[{field, value, message}]：清洗发现的问题"))
    reason = models.TextField(_("申请理由"), blank=True)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                  related_name="org_change_requests")
    applicant_organisation = models.ForeignKey(Organisation, verbose_name=_("申请单位"), on_delete=models.PROTECT,
                                               related_name="submitted_change_requests")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    review_comment = models.TextField(_("审核意见"), blank=True)
    feedback = models.TextField(_("处理结果反馈"), blank=True)
    result_organisation = models.ForeignKey(Organisation, verbose_name=_("处理结果机构"), null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    cleansed_at = models.DateTimeField(_("清洗时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("反馈推送时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_organisation_field = "applicant_organisation"

    class Meta:
        verbose_name = _("机构信息更新申请")
        verbose_name_plural = _("机构信息更新申请")
        ordering = ["-created_at"]
        permissions = [("review_organisationchangerequest", _("审核机构信息更新申请"))]
        indexes = [models.Index(fields=["status", "created_at"], name="core_orgchange_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject_name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:orgchange-detail", args=[self.pk])

    @property
    def subject_name(self) -> str:
        return self.proposed_data.get("name") or (self.target.name if self.target_id else "")

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES


class OrganisationSubscriber(models.Model):
    """A third-party system that receives organisation data after every applied change
    (pushed through the outbox, one peer per subscriber: "org_subscriber:<id>")."""

    name = models.CharField(_("系统名称"), max_length=128, unique=True)
    endpoint_url = models.URLField(_("接收地址"), max_length=500)
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("机构数据订阅系统")
        verbose_name_plural = _("机构数据订阅系统")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def peer_name(self) -> str:
        return f"org_subscriber:{self.pk}"
