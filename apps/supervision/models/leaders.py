"""The "一把手走流程" column (PORTAL-3.1): published activity information and notices."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LeaderPostKind(models.TextChoices):
    ACTIVITY = "activity", _("活动信息")
    NOTICE = "notice", _("通知")


class LeaderPost(models.Model):
    """One post of the leaders-walk-the-process column, written by a bureau, published to all staff."""

    kind = models.CharField(_("类别"), max_length=12, choices=LeaderPostKind.choices, default=LeaderPostKind.NOTICE)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    region = models.ForeignKey("core.Region", verbose_name=_("发布区划"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("core.Organisation", verbose_name=_("发布单位"), on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "region"
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("一把手走流程信息")
        verbose_name_plural = _("一把手走流程信息")
        ordering = ["-published_at", "-pk"]
        permissions = [("view_leader_report", _("查看一把手效能报表"))]

    def __str__(self) -> str:
        return self.title
