"""Dynamic management of matters: suspension (暂停), delegation (下放) and its batches, linked
notifications (联动告知) — MAT-2.1.7/2.1.8, 2.2.10/2.2.11, 2.4, 2.5."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet
from apps.matters.models.elements import _owner_constraint


class RequestStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("驳回")


class SuspensionRequest(models.Model):
    """暂停申请 of a published catalogue or implementation item; effective once the region's 编办 approves."""

    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="suspension_requests")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"), null=True,
                                            blank=True, on_delete=models.CASCADE, related_name="suspension_requests")
    reason = models.TextField(_("暂停理由"))
    status = models.CharField(_("状态"), max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING_REVIEW)
    region = models.ForeignKey(Region, verbose_name=_("事项区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, verbose_name=_("申请部门"), on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    opinion = models.TextField(_("审核意见"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("事项暂停申请")
        verbose_name_plural = _("事项暂停申请")
        ordering = ["-submitted_at", "-pk"]
        constraints = [_owner_constraint("matters_suspension_one_owner")]
        indexes = [models.Index(fields=["status", "region"], name="matters_susp_status_idx")]

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_status_display()}"

    @property
    def matter(self):
        return self.catalogue_item or self.implementation_item


class DelegationBatch(models.Model):
    """下放批次: the delegations of one period that a government-service administration (营商局)
    collected, confirmed and announced; its items then read "<year>年第<n>次下放"."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待发布")
        PUBLISHED = "published", _("已发布")

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("政务服务管理部门"), on_delete=models.PROTECT,
                                     related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    sequence = models.PositiveSmallIntegerField(_("年度批次"), null=True, blank=True)
    title = models.CharField(_("公告标题"), max_length=200, blank=True)
    announcement = models.TextField(_("公告内容"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("汇总人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("汇总时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        verbose_name = _("下放批次")
        verbose_name_plural = _("下放批次")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "sequence"],
                                               name="matters_batch_sequence_uniq")]

    def __str__(self) -> str:
        return self.label or str(_("本期下放清单（待发布）"))

    @property
    def label(self) -> str:
        if self.status != self.Status.PUBLISHED:
            return ""
        return str(_("%(year)s年第%(n)s次下放")) % {"year": self.year, "n": self.sequence}


class Delegation(models.Model):
    """One delegation action (下放记录): a catalogue item's exercise levels handed down, or an
    implementation item copied into lower bodies' lists. Logged automatically (MAT-2.4.2)."""

    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"),
                                       on_delete=models.CASCADE, related_name="delegations")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"), null=True,
                                            blank=True, on_delete=models.CASCADE, related_name="delegations")
    from_level = models.CharField(_("原行使层级"), max_length=1)
    to_levels = models.JSONField(_("下放至层级"), default=list)
    to_bodies = models.ManyToManyField(Organisation, verbose_name=_("承接主体"), blank=True, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, verbose_name=_("下放部门"), on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(DelegationBatch, verbose_name=_("下放批次"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="delegations")
    note = models.CharField(_("说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("下放时间"), auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("事项下放记录")
        verbose_name_plural = _("事项下放记录")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "batch"], name="matters_deleg_region_batch_idx")]

    def __str__(self) -> str:
        return f"{self.catalogue_item.name} → {','.join(self.to_levels)}"

    @property
    def batch_status(self) -> str:
        return self.batch.label if self.batch_id and self.batch.label else str(_("未发布"))


class NotificationKind(models.TextChoices):
    CANCELLED = "cancelled", _("目录事项注销")
    DELEGATED = "delegated", _("目录事项下放")
    CHANGED = "changed", _("目录事项变更")
    SUSPENDED = "suspended", _("事项暂停")
    CONTROLLED = "controlled", _("要素统一管控")
    CONSULTATION = "consultation", _("意见征询")
    BATCH = "batch", _("下放批次征询")
    CORRECTION = "correction", _("事项纠错")
    LICENCE = "licence", _("证照目录申请")
    KNOWLEDGE = "knowledge", _("知识库评价退回")


class MatterNotification(models.Model):
    """联动告知: a notice to one organisation (its staff see it in the inbox until read)."""

    recipient = models.ForeignKey(Organisation, verbose_name=_("接收单位"), on_delete=models.CASCADE,
                                  related_name="matter_notifications")
    kind = models.CharField(_("类型"), max_length=16, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=255, blank=True)
    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "recipient"

    class Meta:
        verbose_name = _("联动告知")
        verbose_name_plural = _("联动告知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="matters_notice_recipient_idx")]

    def __str__(self) -> str:
        return self.title
