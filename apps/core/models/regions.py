"""Regions (区划): the GB/T 2260 tree, extended to 12 digits for townships and villages."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.validators import validate_region_code


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省")
    CITY = 2, _("市（地）")
    COUNTY = 3, _("区县")
    TOWNSHIP = 4, _("乡镇街道")
    VILLAGE = 5, _("村社区")


# Significant digits of a 12-digit code at each level: 23 / 2301 / 230102 / 230102001 / full.
PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}


def level_of_code(code: str) -> RegionLevel:
    """Derive the level from the code's trailing zeros (GB/T 2260 + township/village segments)."""
    validate_region_code(code)
    if code[2:] == "0" * 10:
        return RegionLevel.PROVINCE
    if code[4:] == "0" * 8:
        return RegionLevel.CITY
    if code[6:] == "0" * 6:
        return RegionLevel.COUNTY
    if code[9:] == "000":
        return RegionLevel.TOWNSHIP
    return RegionLevel.VILLAGE


def prefix_of_code(code: str) -> str:
    return code[: PREFIX_LENGTH[level_of_code(code)]]


def parent_code_of(code: str) -> str | None:
    level = level_of_code(code)
    if level == RegionLevel.PROVINCE:
        return None
    parent_len = PREFIX_LENGTH[RegionLevel(level - 1)]
    return code[:parent_len].ljust(12, "0")


class RegionType(models.TextChoices):
    """区划类型 as the Ministry of Civil Affairs names them (the fixture uses these labels)."""

    PROVINCE = "省", _("省")
    PREFECTURE_CITY = "地级市", _("地级市")
    PREFECTURE = "地区", _("地区")
    DISTRICT = "市辖区", _("市辖区")
    COUNTY = "县", _("县")
    COUNTY_CITY = "县级市", _("县级市")
    AUTONOMOUS_COUNTY = "自治县", _("自治县")
    TOWNSHIP = "乡镇街道", _("乡镇街道")
    VILLAGE = "村社区", _("村社区")


class RegionQuerySet(models.QuerySet):
    def within(self, region: "Region") -> "RegionQuerySet":
        """The region and everything below it: one indexed prefix query."""
        return self.filter(code__startswith=region.prefix)

    def children_of(self, region: "Region | None") -> "RegionQuerySet":
        return self.filter(parent=region)


class Region(models.Model):
    """A node of the region tree. The primary key is the 12-digit code, so a foreign key
    column holds the code itself and "everything in my city" needs no join."""

    code = models.CharField(_("区划代码"), max_length=12, primary_key=True, validators=[validate_region_code])
    name = models.CharField(_("区划名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("区划层级"), choices=RegionLevel.choices, editable=False)
    region_type = models.CharField(_("区划类型"), max_length=32, blank=True, choices=RegionType.choices,
                                   help_text=_("如：地级市、地区、市辖区、县、县级市、自治县"))
    parent = models.ForeignKey("self", verbose_name=_("上级区划"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children", editable=False)
    prefix = models.CharField(_("代码前缀"), max_length=12, editable=False, db_index=True)
    is_enabled = models.BooleanField(_("启用"), default=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("区划")
        verbose_name_plural = _("区划")
        ordering = ["code"]
        # Prefix (LIKE 'xx%') queries on the code: PostgreSQL's schema editor already adds a
        # varchar_pattern_ops "_like" index for every unique/indexed varchar column, which covers the
        # primary key here and every FK to Region (Organisation.region, …); declaring another one would
        # duplicate it. tests/test_regions.py asserts those indexes exist. See docs/regions.md.
        indexes = [
            models.Index(fields=["name"], name="core_region_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self) -> None:
        validate_region_code(self.code)
        parent_code = parent_code_of(self.code)
        if parent_code and not Region.objects.filter(code=parent_code).exists():
            raise ValidationError({"code": _("上级区划 %(code)s 不存在。") % {"code": parent_code}})

    def save(self, *args, **kwargs):
        # Derived columns only; no business logic here.
        self.level = level_of_code(self.code)
        self.prefix = prefix_of_code(self.code)
        self.parent_id = parent_code_of(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return f"{reverse('core:region-list')}?parent={self.code}"

    @property
    def parent_code(self) -> str | None:
        return self.parent_id

    def contains(self, other_code: str) -> bool:
        return other_code.startswith(self.prefix)
