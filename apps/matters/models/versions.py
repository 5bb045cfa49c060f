"""Versions (版本) and change requests (变更申请) of matters: history is appended, never overwritten."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Region
from apps.core.scope import ScopedQuerySet
from apps.matters.models.elements import _owner_constraint
from apps.matters.models.enums import ChangeRequestStatus, ChangeRoute


class MatterVersion(models.Model):
    """A full snapshot of a matter's elements (children included) at one version number."""

    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="versions")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"), null=True,
                                            blank=True, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField(_("要素快照"))
    summary = models.CharField(_("变更摘要"), max_length=255, blank=True)
    change_request = models.ForeignKey("matters.ChangeRequest", verbose_name=_("变更申请"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["-number"]
        constraints = [
            _owner_constraint("matters_version_one_owner"),
            models.UniqueConstraint(fields=["catalogue_item", "number"], name="matters_cat_version_uniq"),
            models.UniqueConstraint(fields=["implementation_item", "number"], name="matters_imp_version_uniq"),
        ]

    def __str__(self) -> str:
        return f"V{self.number}"


class ChangeRequest(models.Model):
    """A proposed edit of a published matter (事项变更). Phones, handling department and location
    apply at once; any other change climbs the legal-affairs offices level by level (MAT-2.1.6)."""

    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="change_requests")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"), null=True,
                                            blank=True, on_delete=models.CASCADE, related_name="change_requests")
    base_version = models.PositiveIntegerField(_("基于版本"))
    proposed = models.JSONField(_("变更后要素"))
    changed_fields = models.JSONField(_("变更字段"), default=list)
    route = models.CharField(_("审核路径"), max_length=16, choices=ChangeRoute.choices)
    review_chain = models.JSONField(_("逐级审核区划"), default=list, help_text=_("自下而上的法制办所在区划代码"))
    current_step = models.PositiveSmallIntegerField(_("当前审核级次"), default=0)
    current_region = models.ForeignKey(Region, verbose_name=_("当前审核区划"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=20, choices=ChangeRequestStatus.choices,
                              default=ChangeRequestStatus.PENDING_REVIEW)
    reason = models.TextField(_("变更理由"), blank=True)
    region = models.ForeignKey(Region, verbose_name=_("事项区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("core.Organisation", verbose_name=_("申请部门"), on_delete=models.PROTECT,
                                   related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("事项变更申请")
        verbose_name_plural = _("事项变更申请")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("review_changerequest", _("可以审核事项变更（法制办）"))]
        constraints = [_owner_constraint("matters_change_one_owner")]
        indexes = [
            models.Index(fields=["status", "current_region"], name="matters_change_queue_idx"),
            models.Index(fields=["department", "status"], name="matters_change_dept_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_status_display()}"

    @property
    def matter(self):
        return self.catalogue_item or self.implementation_item

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("matters:change-detail", args=[self.pk])
