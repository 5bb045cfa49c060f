"""Organisations (机构): every government body, placed in the region tree."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models.regions import Region, RegionLevel
from apps.core.scope import ScopedQuerySet
from apps.core.validators import validate_credit_code


class OrganisationKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    BUSINESS_ENVIRONMENT_BUREAU = "business_environment_bureau", _("营商环境建设监督局")
    ESTABLISHMENT_OFFICE = "establishment_office", _("编办")
    LEGAL_AFFAIRS_OFFICE = "legal_affairs_office", _("法制办")
    HALL_MANAGEMENT = "hall_management", _("大厅管理机构")
    GOVERNMENT = "government", _("人民政府")


# Kinds whose staff see their whole region subtree (the rest see their own organisation).
REGION_WIDE_KINDS = frozenset({OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU, OrganisationKind.GOVERNMENT})


class OrganisationQuerySet(ScopedQuerySet):
    def in_region(self, region: Region) -> "OrganisationQuerySet":
        return self.filter(region__code__startswith=region.prefix)


class Organisation(models.Model):
    """A department, bureau, office or hall manager, with its USCC and region."""

    name = models.CharField(_("机构名称"), max_length=128)
    short_name = models.CharField(_("部门简称"), max_length=64, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT,
                               related_name="organisations")
    parent = models.ForeignKey("self", verbose_name=_("上级机构"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    kind = models.CharField(_("机构类型"), max_length=32, choices=OrganisationKind.choices,
                            default=OrganisationKind.DEPARTMENT)
    tree_path = models.CharField(_("机构路径"), max_length=255, editable=False, db_index=True,
                                 help_text=_("/祖先ID/…/本机构ID/，用于按机构子树过滤"))
    is_enabled = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    scope_region_field = "region"

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["region_id", "name"]
        indexes = [
            models.Index(fields=["region", "name"], name="core_org_region_name_idx"),
            models.Index(fields=["kind"], name="core_org_kind_idx"),
        ]
        # region_id (FK) and tree_path (db_index) are filtered with LIKE 'prefix%'; PostgreSQL's schema
        # editor gives both a varchar_pattern_ops "_like" index automatically (see docs/regions.md).

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # tree_path is a derived column; it needs the primary key, hence the second write.
        # Descendants' paths are rewritten by services.organisations when the parent changes.
        super().save(*args, **kwargs)
        path = f"{self.parent.tree_path if self.parent_id else '/'}{self.pk}/"
        if path != self.tree_path:
            self.tree_path = path
            Organisation.objects.filter(pk=self.pk).update(tree_path=path)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:organisation-detail", args=[self.pk])

    @property
    def parent_region_code(self) -> str | None:
        """The code of the region above the organisation's region (PORTAL-8.2 column)."""
        return self.region.parent_id

    @property
    def is_region_wide(self) -> bool:
        return self.kind in REGION_WIDE_KINDS

    @property
    def is_provincial(self) -> bool:
        return self.region.level == RegionLevel.PROVINCE
