"""Reads for dynamic management: catalogue libraries by level, statistics, delegation tracking,
notifications (MAT-2.1.2, 2.1.9, 2.2.12, 2.4.4, 2.5). Always scoped to the acting user."""
from __future__ import annotations

from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from apps.core.models import Region
from apps.core.models.regions import parent_code_of
from apps.core.scope import restrict
from apps.matters.models import (
    EXERCISE_LEVEL_OF_REGION, CatalogueItem, Delegation, DelegationBatch, ExerciseLevel, MatterNotification,
    MatterStatus, SuspensionRequest,
)
from apps.matters.selectors import REVIEWING_KINDS, catalogue_item_list, implementation_list


def catalogue_library(*, region: Region) -> QuerySet[CatalogueItem]:
    """The catalogue library of one region: published items of the region and the regions above
    whose exercise levels include the region's level (delegation adds levels, MAT-2.1.8)."""
    codes, code = [], region.code
    while code:
        codes.append(code)
        code = parent_code_of(code)
    level = EXERCISE_LEVEL_OF_REGION[region.level].value
    return (CatalogueItem.objects.filter(status=MatterStatus.PUBLISHED, region_id__in=codes,
                                         exercise_levels__contains=[level])
            .select_related("department", "region").order_by("basic_code"))


STAT_DIMENSIONS = {
    "department": ("handling_department__name", "部门"),
    "matter_type": ("matter_type", "事项类型"),
    "level": ("level", "层级"),
    "status": ("status", "状态"),
    "region": ("region__name", "区划"),
}


def matter_statistics(*, user, kind: str, dimension: str, filters: dict | None = None) -> list[dict]:
    """Counts of the user's catalogue or implementation items grouped by `dimension` (MAT-2.1.9, 2.2.12),
    each row with the total and the in-use / suspended / cancelled split. One query."""
    queryset = catalogue_item_list(user=user) if kind == "catalogue" else implementation_list(user=user)
    queryset = queryset.filter(**(filters or {}))
    column = STAT_DIMENSIONS[dimension][0]
    rows = (queryset.order_by().values(column)
            .annotate(total=Count("pk"), published=Count("pk", filter=Q(status=MatterStatus.PUBLISHED)),
                      suspended=Count("pk", filter=Q(status=MatterStatus.SUSPENDED)),
                      cancelled=Count("pk", filter=Q(status=MatterStatus.CANCELLED)))
            .order_by("-total", column))
    model = queryset.model
    choices = {}
    if dimension in ("matter_type", "level", "status"):
        choices = dict(model._meta.get_field(column).flatchoices)
    return [{"key": row[column], "label": str(choices.get(row[column], row[column] or "—")),
             **{k: row[k] for k in ("total", "published", "suspended", "cancelled")}} for row in rows]


def delegation_list(*, user) -> QuerySet[Delegation]:
    """Delegations the user may see: own scope, or the whole region for reviewers and bureaus."""
    queryset = Delegation.objects.select_related("catalogue_item", "department", "batch", "region")
    return restrict(queryset, user)


def delegation_statistics(*, user, date_from=None, date_to=None) -> dict:
    """Delegation actions counted by department and by level within [date_from, date_to] (MAT-2.4.4)."""
    queryset = delegation_list(user=user)
    if date_from:
        queryset = queryset.filter(created_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(created_at__date__lte=date_to)
    by_department = list(queryset.order_by().values("department__name").annotate(count=Count("pk"))
                         .order_by("-count", "department__name"))
    by_level = Counter()
    for levels in queryset.values_list("to_levels", flat=True):
        by_level.update(levels)
    labels = dict(ExerciseLevel.choices)
    return {"total": queryset.count(),
            "by_department": [(row["department__name"], row["count"]) for row in by_department],
            "by_level": [(str(labels.get(level, level)), count) for level, count in sorted(by_level.items())]}


def batch_list(*, user) -> QuerySet[DelegationBatch]:
    return restrict(DelegationBatch.objects.select_related("region", "organisation"), user)


def notifications_for(*, user) -> QuerySet[MatterNotification]:
    organisation_id = getattr(user, "organisation_id", None)
    return MatterNotification.objects.filter(recipient_id=organisation_id).select_related("catalogue_item")


def suspension_queue(*, user) -> QuerySet[SuspensionRequest]:
    """Pending suspension requests of the user's region for its 编办/法制办."""
    organisation = getattr(user, "organisation", None)
    if organisation is None or organisation.kind not in REVIEWING_KINDS:
        return SuspensionRequest.objects.none()
    return (SuspensionRequest.objects.filter(status="pending_review", region__code__startswith=organisation.region.prefix)
            .select_related("catalogue_item", "implementation_item", "department"))


def dynamic_inbox_items(*, user) -> list:
    """Unread linked notifications of the user's organisation and suspension reviews waiting for it."""
    from django.utils.translation import gettext as _

    from apps.core.navigation import InboxItem

    if not getattr(user, "is_authenticated", False):
        return []
    items = [InboxItem(title=n.title, url=reverse("matters:notifications"), category=_("事项联动告知"),
                       created_at=n.created_at)
             for n in notifications_for(user=user).filter(read_at=None)[:50]]
    if user.has_perm("matters.review_catalogueitem"):
        items += [InboxItem(title=str(s.matter), url=s.matter.get_absolute_url(), category=_("事项暂停审核"),
                            created_at=s.submitted_at) for s in suspension_queue(user=user)[:50]]
    return items


def correction_inbox_items(*, user) -> list:
    """To-dos of error correction: open problems of the user's department, fixes awaiting the inspector."""
    from django.utils.translation import gettext as _

    from apps.core.navigation import InboxItem
    from apps.matters.models import CorrectionRequest, CorrectionStatus

    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return []
    rows = list(CorrectionRequest.objects.filter(department_id=user.organisation_id, status=CorrectionStatus.OPEN)
                .select_related("catalogue_item", "implementation_item")[:50])
    items = [InboxItem(title=str(c.matter), url=c.matter.get_absolute_url(), category=_("事项纠错待处理"),
                       created_at=c.created_at) for c in rows]
    rows = (CorrectionRequest.objects.filter(reported_by=user, status=CorrectionStatus.FIXED)
            .select_related("catalogue_item", "implementation_item")[:50])
    items += [InboxItem(title=str(c.matter), url=c.matter.get_absolute_url(), category=_("事项纠错待复核"),
                        created_at=c.updated_at) for c in rows]
    return items


def catalogue_drilldown(*, user, region: Region, department_id: int | None = None) -> dict:
    """Multi-level drill-down (MAT-2.1.2 (3), (4)): for `region`, the child regions with the number of
    catalogue items in each subtree, the departments of the region itself with theirs, and — when a
    department is chosen — its published catalogue list item by item. Scoped to what the user sees;
    three grouped queries whatever the depth."""
    visible = catalogue_item_list(user=user).filter(region__code__startswith=region.prefix)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    counts = Counter()
    for row in visible.order_by().values("region_id").annotate(n=Count("pk")):
        for child in children:
            if row["region_id"].startswith(child.prefix):
                counts[child.code] += row["n"]
                break
    departments = list(visible.filter(region=region).order_by().values("department_id", "department__name")
                       .annotate(n=Count("pk"), published=Count("pk", filter=Q(status=MatterStatus.PUBLISHED)))
                       .order_by("department__name"))
    items = []
    if department_id:
        items = list(visible.filter(department_id=department_id, status=MatterStatus.PUBLISHED)
                     .select_related("department").order_by("basic_code"))
    path, code = [], region.code
    while code:
        path.append(code)
        code = parent_code_of(code)
    breadcrumbs = list(Region.objects.filter(code__in=path).order_by("code"))
    return {"region": region, "breadcrumbs": sorted(breadcrumbs, key=lambda r: len(r.prefix)),
            "children": [{"region": c, "n": counts[c.code]} for c in children], "departments": departments,
            "items": items, "department_id": department_id}
