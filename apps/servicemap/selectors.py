"""Reads of the service map: the public map (halls, regions, clusters, hall and window pages) and the
IP city location. Public reads show active halls only; staff reads (dashboard) are in stats.py."""
from __future__ import annotations

import ipaddress
from datetime import date

from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from apps.acceptance.models import Hall, HallStaff, Slot, Window, WindowMatter, WindowStaff
from apps.core.models import Region
from apps.core.models.regions import PREFIX_LENGTH, RegionLevel
from apps.matters.models import ImplementationItem
from apps.servicemap.clustering import Point, cluster
from apps.servicemap.models import IpRange, PointOfInterest, Theme

PROVINCE_CODE = "230000000000"
LEVEL_LABELS = {1: "省本级", 2: "市（县）", 3: "区县", 4: "乡镇街道", 5: "社区村屯"}


def public_halls():
    """Active halls with coordinates-independent fields; the base of every public read."""
    return Hall.objects.filter(is_active=True).select_related("region")


def province() -> Region | None:
    return Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code").first()


def region_or_404(code: str | None) -> Region:
    if not code:
        found = province()
        if found is None:
            raise Http404
        return found
    found = Region.objects.filter(code=code, is_enabled=True).first()
    if found is None:
        raise Http404
    return found


def region_path(region: Region) -> list[Region]:
    """The region's ancestors and itself, province first (one query)."""
    codes = [region.code[:PREFIX_LENGTH[RegionLevel(level)]].ljust(12, "0") for level in range(1, region.level + 1)]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def region_children(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region, is_enabled=True).order_by("code"))


def halls_at(region: Region):
    """MAP-1.3 / 1.4 / 2.4: the halls registered at exactly this region (this level), in display order."""
    return public_halls().filter(region=region).order_by("display_order", "hall_number")


def halls_within(region: Region):
    return public_halls().filter(region__code__startswith=region.prefix)


def hall_marker(hall: Hall) -> dict:
    return {"id": hall.pk, "name": hall.name, "lng": float(hall.longitude), "lat": float(hall.latitude),
            "address": hall.address, "telephone": hall.telephone, "hours": hall.opening_hours,
            "region": hall.region.name, "type": hall.get_hall_type_display(),
            "logo": hall.logo.url if hall.logo else "", "url": f"/map/halls/{hall.pk}/"}


def theme_markers(*, theme: Theme | None, region: Region | None, zoom: int) -> list[dict]:
    """MAP-2.1 / 2.5: clustered markers of a theme (halls by default) inside a region (the province by default)."""
    if theme is not None and not theme.is_halls:
        points = PointOfInterest.objects.filter(theme=theme, is_enabled=True)
        if region is not None:
            points = points.filter(region__code__startswith=region.prefix)
        items = [Point(p.pk, float(p.longitude), float(p.latitude), p.name,
                       {"address": p.address, "telephone": p.telephone, "poi": True}, group=p.region_id[:4])
                 for p in points]
        return cluster(items, zoom)
    halls = halls_within(region) if region is not None else public_halls()
    halls = halls.filter(longitude__isnull=False, latitude__isnull=False)
    items = []
    for hall in halls:
        marker = hall_marker(hall)
        items.append(Point(hall.pk, marker.pop("lng"), marker.pop("lat"), marker.pop("name"), marker,
                           group=hall.region_id[:4]))
    return cluster(items, zoom)


def region_centre(region: Region) -> dict | None:
    """Where the map centres for a region: the mean position of its halls (no coordinates are hardcoded)."""
    coords = list(halls_within(region).filter(longitude__isnull=False, latitude__isnull=False)
                  .values_list("longitude", "latitude"))
    if not coords:
        return None
    return {"lng": round(sum(float(c[0]) for c in coords) / len(coords), 6),
            "lat": round(sum(float(c[1]) for c in coords) / len(coords), 6)}


def ip_region(address: str) -> Region | None:
    """MAP-2.3: the city (or county) of an IPv4 / IPv6 address from the offline table; None if unknown."""
    try:
        number = int(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None
    found = (IpRange.objects.filter(start__lte=number, end__gte=number).select_related("region")
             .order_by("-start").first())
    return found.region if found else None


def _evaluation_summary(filters: Q) -> dict:
    from apps.reviews.models import BAD_LEVELS, Evaluation

    figures = Evaluation.objects.filter(filters, is_valid=True).aggregate(
        total=Count("pk"), bad=Count("pk", filter=Q(level__in=BAD_LEVELS)))
    total, bad = figures["total"], figures["bad"]
    return {"total": total, "good": total - bad, "bad": bad,
            "rate": round((total - bad) * 100 / total, 1) if total else None}


def hall_page(pk: int) -> dict:
    """MAP-1.5: everything the hall's own page shows, in a fixed number of queries."""
    hall = public_halls().select_related("organisation", "map_connection").filter(pk=pk).first()
    if hall is None:
        raise Http404
    windows = list(Window.objects.filter(hall=hall, is_active=True).select_related("department")
                   .annotate(matter_count=Count("matters", distinct=True),
                             staff_count=Count("assignments", distinct=True)).order_by("floor", "window_number"))
    matters = list(WindowMatter.objects.filter(window__hall=hall, window__is_active=True)
                   .select_related("matter", "window").order_by("matter__name"))
    staff = list(HallStaff.objects.filter(hall=hall, is_active=True).select_related("department")
                 .prefetch_related(Prefetch("assignments", queryset=WindowStaff.objects.select_related("window")))
                 .order_by("staff_number"))
    distinct_matters = {}
    for wm in matters:
        distinct_matters.setdefault(wm.matter_id, {"matter": wm.matter, "windows": []})["windows"].append(wm.window)
    floors = [line.strip() for line in hall.floor_info.splitlines() if line.strip()]
    units = [line.strip() for line in hall.resident_units.splitlines() if line.strip()]
    return {"hall": hall, "windows": windows, "matters": list(distinct_matters.values()), "staff": staff,
            "pictures": list(hall.pictures.all()), "floors": floors, "resident_units": units,
            "evaluation": _evaluation_summary(Q(hall=hall) | Q(window__hall=hall) | Q(staff__hall=hall)),
            "tags": hall.map_connection.tags if hasattr(hall, "map_connection") else []}


def window_or_404(pk: int) -> Window:
    window = (Window.objects.filter(pk=pk, is_active=True, hall__is_active=True)
              .select_related("hall", "hall__region", "department").first())
    if window is None:
        raise Http404
    return window


def window_page(pk: int, today: date | None = None) -> dict:
    """MAP-1.6: window information read live (no publish step): matters, staff, evaluation,
    booking and queue, consultation."""
    from apps.acceptance.models import QueueTicket, TicketStatus
    from apps.servicemap.models import WindowConsultation

    today = today or timezone.localdate()
    window = window_or_404(pk)
    matters = list(WindowMatter.objects.filter(window=window).select_related("matter").order_by("matter__name"))
    staff = list(WindowStaff.objects.filter(window=window, staff__is_active=True).select_related("staff")
                 .order_by("staff__staff_number"))
    matter_ids = [wm.matter_id for wm in matters]
    slots = list(Slot.objects.filter(hall=window.hall, bookable_matter__matter_id__in=matter_ids,
                                     bookable_matter__is_active=True, date__gte=today)
                 .select_related("bookable_matter__matter").order_by("date", "period_start")[:60])
    waiting = QueueTicket.objects.filter(hall=window.hall, date=today, status=TicketStatus.WAITING).filter(
        Q(window=window) | Q(target_window=window) | Q(bookable_matter__matter_id__in=matter_ids)).count()
    consultations = WindowConsultation.objects.filter(window=window).count()
    staff_ids = [ws.staff_id for ws in staff]
    from apps.servicemap.models import VideoChannel

    videos = list(VideoChannel.objects.filter(hall=window.hall, is_enabled=True)
                  .filter(Q(window=window) | Q(window__isnull=True))
              .order_by(F("window").asc(nulls_last=True), "channel_number"))
    return {"videos": videos,"window": window, "hall": window.hall, "matters": matters, "staff": staff, "slots": slots,
            "queue_waiting": waiting, "consultation_count": consultations,
            "evaluation": _evaluation_summary(Q(window=window) | Q(staff_id__in=staff_ids)),
            "open_slots": [s for s in slots if not s.is_full]}


def themes() -> list[Theme]:
    return list(Theme.objects.filter(is_enabled=True).order_by("display_order", "code"))


def region_navigation(region: Region) -> dict:
    """MAP-1.3 / 2.4: where we are (path), where we can go (children), the halls of exactly this level."""
    return {"region": region, "level_label": LEVEL_LABELS.get(region.level, ""), "path": region_path(region),
            "children": region_children(region), "halls": list(halls_at(region)), "centre": region_centre(region)}


def theme_by_code(code: str | None) -> Theme | None:
    if not code:
        return None
    return Theme.objects.filter(code=code, is_enabled=True).first()


def located_region(address: str) -> Region | None:
    """The city of the address (a county found in the table is lifted to its city)."""
    region = ip_region(address)
    if region is None or region.level <= RegionLevel.CITY:
        return region
    return Region.objects.filter(code=region.code[:4].ljust(12, "0")).first() or region


def matter_or_none(pk) -> ImplementationItem | None:
    """The matter a window-service form names (the service refuses None or a matter not stationed there)."""
    return ImplementationItem.objects.filter(pk=pk).first() if pk else None


def slot_or_none(pk) -> Slot | None:
    """The bookable slot a booking form names, with what booking_submit checks it against."""
    return Slot.objects.select_related("hall", "bookable_matter__matter").filter(pk=pk).first() if pk else None
