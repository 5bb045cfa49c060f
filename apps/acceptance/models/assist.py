"""Window intake assistance (ACC-7.6, 7.8): curated related items and item chains, material guides.

Related items come from the provincial item management system (省事项管理系统); staff keep the curated
list here (configuration page "related-items"). A `prerequisite` relation is an item chain (事项串联):
the later item may only be taken in when the applicant already holds the earlier item's licence
(an approved, concluded case). "One thing" bundles (一件事) are read from apps.matters.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class RelationKind(models.TextChoices):
    RELATED = "related", _("关联事项（可一并申报）")
    PREREQUISITE = "prerequisite", _("前置事项（须已取得许可）")


class RelatedItem(models.Model):
    """关联事项: `item` is offered `related` to declare together, or needs it licensed first (item chain)."""

    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="acceptance_relations")
    related = models.ForeignKey("matters.ImplementationItem", verbose_name=_("关联/前置事项"),
                                on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("关系"), max_length=16, choices=RelationKind.choices, default=RelationKind.RELATED)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "item__implementing_body"

    class Meta:
        verbose_name = _("关联事项")
        verbose_name_plural = _("关联事项")
        ordering = ["item", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["item", "related"], name="acc_related_item_uniq"),
                       models.CheckConstraint(condition=~models.Q(item=models.F("related")),
                                              name="acc_related_item_not_self")]

    def __str__(self) -> str:
        return f"{self.item} → {self.related}"


class MaterialGuide(models.Model):
    """材料示例: the example, electronic sample form and review requirements of one matter material (ACC-7.8)."""

    material = models.OneToOneField("matters.ApplicationMaterial", verbose_name=_("申请材料"),
                                    on_delete=models.CASCADE, related_name="acceptance_guide")
    example = models.TextField(_("材料示例说明"), blank=True)
    example_file = models.FileField(_("材料示例文件"), upload_to="acceptance/guides/%Y/", blank=True)
    sample_form = models.FileField(_("电子样表"), upload_to="acceptance/guides/%Y/", blank=True)
    review_requirements = models.TextField(_("审核要求"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("维护人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "material__implementation_item__implementing_body"

    class Meta:
        verbose_name = _("材料示例")
        verbose_name_plural = _("材料示例")
        ordering = ["material"]

    def __str__(self) -> str:
        return str(self.material)
