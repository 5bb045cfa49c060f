"""事项信息汇总统计 (PORTAL-6.1 – 6.3): the published implementation items of each city, by handling level,
by matter type, and matched to a business item (业务项) or not, inside the user's data scope.

A city is the first four digits of an item's region code; an item of the province itself (region code
23000…) counts as 省本级. Two grouped queries whatever the number of items."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from apps.core.models import Region, RegionLevel
from apps.core.scope import restrict
from apps.matters.models import BusinessItem, ImplementationItem, MatterStatus, MatterType

LEVELS = ((RegionLevel.PROVINCE, RegionLevel.CITY), (RegionLevel.COUNTY,), (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE))


@dataclass
class CitySummary:
    key: str                      # "2301", or "2300" for the province itself
    name: str
    items: int = 0
    by_level: list[int] = field(default_factory=lambda: [0, 0, 0])     # 省市本级, 区县, 乡镇村
    by_type: dict[str, int] = field(default_factory=dict)              # MatterType value → items
    matched: int = 0              # items matched to a business item
    business_items: int = 0       # 业务项 defined in the city

    @property
    def unmatched(self) -> int:
        return self.items - self.matched


def level_labels() -> list[str]:
    return [_("省（市）本级"), _("区县"), _("乡镇（街道）村（社区）")]


def _names() -> dict[str, str]:
    names = {r["code"][:4]: r["name"] for r in Region.objects.filter(level=RegionLevel.CITY).values("code", "name")}
    province = Region.objects.filter(level=RegionLevel.PROVINCE).values_list("code", flat=True).first()
    if province:
        names[province[:4]] = _("省本级")
    return names


def city_summaries(*, user) -> list[CitySummary]:
    """One row per city with items in the user's scope (the province itself first), in code order."""
    items = restrict(ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED), user)
    grouped = (items.annotate(city=Substr("region_id", 1, 4)).values("city", "level", "matter_type")
               .annotate(n=Count("id"), matched=Count("id", filter=Q(business_item__isnull=False))))
    names, rows = _names(), {}
    for group in grouped:
        row = rows.setdefault(group["city"], CitySummary(group["city"], names.get(group["city"], group["city"])))
        row.items += group["n"]
        row.matched += group["matched"]
        row.by_level[next(i for i, levels in enumerate(LEVELS) if group["level"] in levels)] += group["n"]
        row.by_type[group["matter_type"]] = row.by_type.get(group["matter_type"], 0) + group["n"]
    # 业务项 per city; only the cities the user sees items of are shown
    for group in BusinessItem.objects.annotate(city=Substr("region_id", 1, 4)).values("city").annotate(n=Count("id")):
        if group["city"] in rows:
            rows[group["city"]].business_items = group["n"]
    return [rows[key] for key in sorted(rows)]


def type_labels(rows: list[CitySummary]) -> list[tuple[str, str]]:
    """The matter types present, in the national code order: (value, label)."""
    present = {value for row in rows for value in row.by_type}
    return [(value, label) for value, label in MatterType.choices if value in present]
