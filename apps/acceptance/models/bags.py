"""Archive bags (档案袋, ACC-7.14, 7.15, 7.18): the paper materials of a case travel in one bag whose
handover list records every hand-over and carries a 2-D code of the item's system number and the case."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.acceptance.models.cases import Case
from apps.core.scope import ScopedQuerySet


class ArchiveBag(models.Model):
    """档案袋: one per case with paper materials; `holder` is where the bag is now."""

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="archive_bag")
    bag_number = models.CharField(_("档案袋编号"), max_length=60, unique=True)
    holder = models.CharField(_("当前保管方"), max_length=100)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("封装人"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("封装时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "case__region"
    scope_organisation_field = "case__organisation"

    class Meta:
        verbose_name = _("档案袋")
        verbose_name_plural = _("档案袋")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.bag_number


class BagHandover(models.Model):
    """One hand-over of a bag (材料交接): from whom to whom, by which staff member, when."""

    bag = models.ForeignKey(ArchiveBag, verbose_name=_("档案袋"), on_delete=models.CASCADE, related_name="handovers")
    from_party = models.CharField(_("移交方"), max_length=100)
    to_party = models.CharField(_("接收方"), max_length=100)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("交接时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("档案袋交接记录")
        verbose_name_plural = _("档案袋交接记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_party} → {self.to_party}"
