"""Child rows of a matter: situations (情形), materials (申请材料), process steps (岗位/环节), fees (收费项目).

Each row belongs to exactly one catalogue item or one implementation item (two nullable
foreign keys and a check constraint), so both levels share one element model."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def _owner_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(models.Q(catalogue_item__isnull=False, implementation_item__isnull=True)
                   | models.Q(catalogue_item__isnull=True, implementation_item__isnull=False)),
        name=name,
    )


def _owners(related_name: str) -> tuple[models.ForeignKey, models.ForeignKey]:
    """The two owner columns, with `item.<related_name>` on both catalogue and implementation items."""
    return (
        models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), null=True, blank=True,
                          on_delete=models.CASCADE, related_name=related_name),
        models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"), null=True, blank=True,
                          on_delete=models.CASCADE, related_name=related_name),
    )


class MatterChild(models.Model):
    order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class Situation(MatterChild):
    """情形: a set of conditions that selects which materials apply."""

    catalogue_item, implementation_item = _owners("situations")

    name = models.CharField(_("情形名称"), max_length=200)
    conditions = models.TextField(_("情形条件"), blank=True)

    class Meta(MatterChild.Meta):
        verbose_name = _("办理情形")
        verbose_name_plural = _("办理情形")
        constraints = [_owner_constraint("matters_situation_one_owner")]

    def __str__(self) -> str:
        return self.name


class ApplicationMaterial(MatterChild):
    """申请材料: a document the applicant supplies, optionally only in one situation."""

    catalogue_item, implementation_item = _owners("materials")

    name = models.CharField(_("材料名称"), max_length=200)
    is_required = models.BooleanField(_("必要"), default=True)
    original_copies = models.PositiveSmallIntegerField(_("原件份数"), default=1)
    photocopy_copies = models.PositiveSmallIntegerField(_("复印件份数"), default=0)
    source = models.CharField(_("来源渠道"), max_length=100, blank=True)
    is_proof = models.BooleanField(_("证明类材料"), default=False)
    situation = models.ForeignKey(Situation, verbose_name=_("适用情形"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="materials")

    class Meta(MatterChild.Meta):
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        constraints = [_owner_constraint("matters_material_one_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def situation_name(self) -> str:
        return self.situation.name if self.situation_id else ""


class ProcessStep(MatterChild):
    """岗位/环节: an internal post with its handling limit; posts after the acceptance post
    must add up to the committed time limit (MAT-2.1.5)."""

    catalogue_item, implementation_item = _owners("steps")

    name = models.CharField(_("岗位（环节）名称"), max_length=100)
    is_acceptance = models.BooleanField(_("受理环节"), default=False)
    step_limit_working_days = models.PositiveSmallIntegerField(_("岗位办理时限（工作日）"), default=0)
    description = models.CharField(_("办理要求"), max_length=255, blank=True)

    class Meta(MatterChild.Meta):
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        constraints = [_owner_constraint("matters_step_one_owner")]

    def __str__(self) -> str:
        return self.name


class FeeItem(MatterChild):
    """收费项目 with its amount in fen and its legal basis."""

    catalogue_item, implementation_item = _owners("fees")

    name = models.CharField(_("收费项目"), max_length=200)
    amount_fen = models.PositiveIntegerField(_("收费金额（分）"), default=0)
    basis = models.CharField(_("收费依据"), max_length=255, blank=True)

    class Meta(MatterChild.Meta):
        verbose_name = _("收费项目")
        verbose_name_plural = _("收费项目")
        constraints = [_owner_constraint("matters_fee_one_owner")]

    def __str__(self) -> str:
        return self.name

    @property
    def amount_yuan(self) -> str:
        return f"{self.amount_fen / 100:.2f}"
