"""The stored public guide document: what GET /api/v1/matters/<pk>/ answers, kept in one place."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.matters.models.items import ImplementationItem


class PublicGuide(models.Model):
    """The public guide of one published implementation item as the exact JSON text the detail API
    returns (decision 0104). Written in the same transaction by the services that publish, change or
    suspend the item (services/public_guides.py). A row is served only while the item is published and
    its three source stamps still equal the current `updated_at` of the item, its handling department
    and its implementing body; a database trigger stamps the item when one of its materials, steps,
    fees or situations changes (migration 0008). So a change no service refreshed (another app, a
    shell, an organisation rename) is rebuilt on the next read instead of being served stale."""

    item = models.OneToOneField(ImplementationItem, verbose_name=_("实施清单事项"), primary_key=True,
                                on_delete=models.CASCADE, related_name="public_guide")
    item_updated_at = models.DateTimeField(_("事项更新时间"))
    department_updated_at = models.DateTimeField(_("办理部门更新时间"))
    body_updated_at = models.DateTimeField(_("实施主体更新时间"))
    body = models.TextField(_("指南文档（JSON）"))
    built_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("公开办事指南文档")
        verbose_name_plural = _("公开办事指南文档")

    def __str__(self) -> str:
        return f"guide:{self.item_id}"
