"""分级权限 (ACC-5.12): administrators at the province, city, county, hall, sub-hall and department
tiers, each opened by a tier above and holding at most what that tier holds.

A grant names the unit whose data the administrator sees (the kernel data scope follows the
account's organisation) and the capabilities given; capabilities expand to acceptance permissions.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation
from apps.core.scope import ScopedQuerySet


class AdminLevel(models.IntegerChoices):
    """Tiers, highest first: a smaller number is a higher tier."""

    PROVINCE = 1, _("省级管理员")
    CITY = 2, _("市级管理员")
    COUNTY = 3, _("区县级管理员")
    HALL = 4, _("大厅管理员")
    SUB_HALL = 5, _("分厅管理员")
    DEPARTMENT = 6, _("部门管理员")


class AdminCapability(models.TextChoices):
    HALLS = "halls", _("大厅与窗口管理")
    APPOINTMENTS = "appointments", _("预约管理")
    QUEUE = "queue", _("排队叫号")
    CASES = "cases", _("综合受理")
    ADMINS = "admins", _("下级管理员开通与授权")


# Capability → acceptance permission codenames it brings.
CAPABILITY_PERMISSIONS: dict[str, tuple[str, ...]] = {
    AdminCapability.HALLS: ("view_hall", "add_hall", "change_hall", "view_window", "add_window", "change_window",
                            "view_hallstaff", "add_hallstaff", "change_hallstaff", "add_windowstaff",
                            "view_windowmatter", "add_windowmatter", "view_bookablematter", "add_bookablematter"),
    AdminCapability.APPOINTMENTS: ("view_hall", "manage_appointments", "view_appointment", "view_slot", "add_slot",
                                   "view_blacklistentry", "view_calendarlabel", "add_calendarlabel",
                                   "view_mattergroup", "add_mattergroup", "view_hallcheckinqr",
                                   "add_hallcheckinqr"),
    AdminCapability.QUEUE: ("view_hall", "view_queueticket", "change_queueticket"),
    AdminCapability.CASES: ("view_case", "add_case", "change_case"),
    AdminCapability.ADMINS: ("view_admingrant", "add_admingrant", "change_admingrant"),
}


class AdminGrant(models.Model):
    """分级管理员授权: one administrator account's tier, unit, hall and capabilities; who opened it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("管理员账号"), on_delete=models.CASCADE,
                             related_name="acceptance_admin_grants")
    level = models.PositiveSmallIntegerField(_("管理级别"), choices=AdminLevel.choices)
    organisation = models.ForeignKey(Organisation, verbose_name=_("管理单位"), on_delete=models.PROTECT,
                                     related_name="+")
    hall = models.ForeignKey("acceptance.Hall", verbose_name=_("管理大厅"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="admin_grants")
    capabilities = models.JSONField(_("授权范围"), default=list)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("开通人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("开通时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤销人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("分级管理员")
        verbose_name_plural = _("分级管理员")
        ordering = ["level", "-granted_at"]
        constraints = [models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True),
                                               name="acc_admingrant_one_active")]
        indexes = [models.Index(fields=["organisation", "level"], name="acc_admingrant_org_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_level_display()}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def capability_labels(self) -> list[str]:
        return [AdminCapability(c).label for c in self.capabilities if c in AdminCapability.values]
