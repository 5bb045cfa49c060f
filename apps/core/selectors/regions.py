"""Reads of the region tree. Regions are public reference data (GB/T 2260): every staff user
may read the whole tree, so these reads are not cut by data scope (docs/regions.md)."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from apps.core.models import DataSourceCode, Region, RegionLevel
from apps.core.scope import restrict


@dataclass
class TreeNode:
    region: Region
    children: list["TreeNode"] = field(default_factory=list)
    is_open: bool = False
    is_active: bool = False


def region_tree(*, user, selected: str | None = None, max_level: int = RegionLevel.COUNTY) -> list[TreeNode]:
    """Province → cities → counties in one query; the branch holding `selected` is open."""
    nodes: dict[str, TreeNode] = {}
    roots: list[TreeNode] = []
    for region in Region.objects.filter(level__lte=max_level).only("code", "name", "level", "parent_id"):
        node = TreeNode(region=region)
        nodes[region.code] = node
        parent = nodes.get(region.parent_id) if region.parent_id else None
        (parent.children if parent else roots).append(node)
    if selected in nodes:
        nodes[selected].is_active = True
        code = selected
        while code:
            nodes[code].is_open = True
            code = nodes[code].region.parent_id if nodes[code].region.parent_id in nodes else None
    elif roots:
        roots[0].is_open = True
    return roots


def region_list(*, user, filters: dict | None = None) -> QuerySet[Region]:
    from apps.core.filters.regions import RegionFilterSet

    return RegionFilterSet(filters, queryset=Region.objects.all()).qs


def data_source_code_list(*, user) -> QuerySet[DataSourceCode]:
    return restrict(DataSourceCode.objects.select_related("region", "organisation", "scope_region"), user)
