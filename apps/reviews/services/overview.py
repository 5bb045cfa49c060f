"""The public overview's finished figures per region, stored in `OverviewSnapshot` (decision 0608).

A page view reads one row. `overview_mark_dirty()` runs inside the incremental aggregate refresh
(and the appeal / rectification adjustments) and flags the snapshots of the touched regions and
their ancestors; `overview_refresh()` (Celery after each aggregate run, and beat every minute)
recomputes flagged snapshots that are at least `REVIEWS_OVERVIEW_MIN_AGE` seconds old, so at
500 evaluations/s the province figures are recomputed about twice a minute, not per batch.
A region nobody has opened yet has no snapshot: its first view computes and stores it.
"""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.models import Region
from apps.core.models.regions import parent_code_of
from apps.reviews import selectors
from apps.reviews.models import OverviewSnapshot

#: Snapshots not refreshed for this long are recomputed by beat even when not dirty (hall counts
#: and names change without new evaluations).
STALE_AFTER = timedelta(hours=1)


def min_age() -> timedelta:
    return timedelta(seconds=getattr(settings, "REVIEWS_OVERVIEW_MIN_AGE", 30))


def overview_figures(region: Region) -> dict:
    """Everything the overview page shows for one region, as JSON-ready data."""
    from apps.acceptance.models import Hall, HallStaff, Window

    code, prefix = region.code, region.prefix
    children = list(Region.objects.filter(parent=region).order_by("code"))
    counts = {"halls": Hall.objects.filter(region__code__startswith=prefix, is_active=True).count(),
              "windows": Window.objects.filter(hall__region__code__startswith=prefix, is_active=True).count(),
              "staff": HallStaff.objects.filter(hall__region__code__startswith=prefix, is_active=True).count(),
              "matters": Window.objects.filter(hall__region__code__startswith=prefix).values("matters__matter")
              .exclude(matters__matter=None).distinct().count()}
    return {
        "data": selectors.overview(region_code=code),
        "counts": counts,
        "regions": selectors.by_region(region_code=code),
        "departments": selectors.by_dimension(dimension="organisation", region_code=code, limit=10,
                                              level_only=True),
        "top_matters": selectors.by_dimension(dimension="matter", region_code=code, limit=10),
        "top_staff": selectors.by_dimension(dimension="staff", region_code=code, limit=20, order="very_satisfied"),
        "halls": selectors.by_dimension(dimension="hall", region_code=code, limit=10),
        "hall_map": selectors.hall_distribution(children=children),
    }


def _store(region: Region) -> OverviewSnapshot:
    snapshot = OverviewSnapshot(region_code=region.code, data=overview_figures(region), computed_at=timezone.now())
    OverviewSnapshot.objects.bulk_create([snapshot], update_conflicts=True, unique_fields=["region_code"],
                                         update_fields=["data", "computed_at"])
    return snapshot


def overview_snapshot(region: Region) -> OverviewSnapshot:
    """The stored figures of a region; computed and stored on the first view of a region."""
    snapshot = OverviewSnapshot.objects.filter(region_code=region.code).first()
    return snapshot or _store(region)


def ancestors_of(codes) -> set[str]:
    """The given region codes and every region above them (city, province)."""
    found: set[str] = set()
    for code in codes:
        while code and code not in found:
            found.add(code)
            code = parent_code_of(code)
    return found


def overview_mark_dirty(region_codes) -> None:
    """Flag the snapshots of these regions and their ancestors (inside the caller's transaction).
    Rows already flagged are not touched, so concurrent aggregate runs do not queue on them."""
    codes = sorted(ancestors_of(region_codes))
    if not codes:
        return
    table = OverviewSnapshot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET dirty = true WHERE region_code = ANY(%s) AND NOT dirty", [codes])


def _claim(*, include_stale: bool) -> list[str]:
    """Clear the flag of the snapshots due now and return their regions (one statement, so two
    workers never recompute the same region; a flag set after this is a new refresh)."""
    now = timezone.now()
    due = Q(dirty=True, computed_at__lte=now - min_age())
    if include_stale:
        due |= Q(computed_at__lte=now - STALE_AFTER)
    table = OverviewSnapshot._meta.db_table
    query = OverviewSnapshot.objects.filter(due).values("region_code").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET dirty = false WHERE region_code IN ({sql}) RETURNING region_code", params)
        return sorted(row[0] for row in cursor.fetchall())


def overview_refresh(*, include_stale: bool = False) -> int:
    """Recompute the due snapshots (province first, then cities and counties); returns how many."""
    with transaction.atomic():
        codes = _claim(include_stale=include_stale)
    regions = Region.objects.in_bulk(codes)
    done = 0
    for code in codes:
        if code not in regions:  # region withdrawn from the code table
            OverviewSnapshot.objects.filter(region_code=code).delete()
            continue
        try:
            _store(regions[code])
        except Exception:
            OverviewSnapshot.objects.filter(region_code=code).update(dirty=True)  # retried on the next run
            raise
        done += 1
    return done
