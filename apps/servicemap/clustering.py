"""Server-side point clustering (点聚合, MAP-2.1), decision 0902.

Points are projected to Web-Mercator pixels at the requested zoom (256 px tiles, zoom 6 ≈ the
whole province on a screen); a point joins the first cluster whose seed lies within `RADIUS_PX`
pixels, in a stable order (lng, lat, id) so the same data always gives the same markers. Halls of
different cities never merge, and province-level halls form their own group (a province centre
standing in Harbin stays its own marker beside Harbin's cluster). A
cluster carries its members' bounding box and the zoom at which it starts to split, so a click
on it can zoom straight there (Nangang's "3" at province zoom → three halls at street zoom)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

RADIUS_PX = 40
MIN_ZOOM, MAX_ZOOM = 3, 18
PROVINCE_ZOOM = 6


@dataclass
class Point:
    id: int
    lng: float
    lat: float
    name: str = ""
    extra: dict = field(default_factory=dict)
    group: str = ""          # points of different groups never merge (the city: region code[:4])


def project(lng: float, lat: float, zoom: int) -> tuple[float, float]:
    """Web-Mercator pixel coordinates of a WGS-84 / GCJ-02 point at `zoom`."""
    size = 256 * 2 ** zoom
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lng + 180.0) / 360.0 * size
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size
    return x, y


def clean_zoom(value, default: int = PROVINCE_ZOOM) -> int:
    try:
        zoom = int(value)
    except (TypeError, ValueError):
        return default
    return max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def _groups(points: list[Point], zoom: int) -> list[list[Point]]:
    ordered = sorted(points, key=lambda p: (p.lng, p.lat, p.id))
    groups: list[tuple[tuple[float, float], list[Point]]] = []
    for point in ordered:
        x, y = project(point.lng, point.lat, zoom)
        for (sx, sy), members in groups:
            if members[0].group == point.group and (x - sx) ** 2 + (y - sy) ** 2 <= RADIUS_PX ** 2:
                members.append(point)
                break
        else:
            groups.append(((x, y), [point]))
    return [members for _seed, members in groups]


def split_zoom(members: list[Point], zoom: int, *, view_px: tuple[int, int] = (640, 480)) -> int:
    """Where a click on the cluster zooms to: the first zoom at which every member stands alone,
    but never further than the zoom at which all members still fit a `view_px` window (a big
    cluster then opens into smaller ones, as map users expect)."""
    fit = zoom + 1
    for candidate in range(zoom + 1, MAX_ZOOM + 1):
        xs, ys = zip(*(project(m.lng, m.lat, candidate) for m in members))
        if max(xs) - min(xs) > view_px[0] or max(ys) - min(ys) > view_px[1]:
            break
        fit = candidate
    for candidate in range(zoom + 1, fit + 1):
        if len(_groups(members, candidate)) == len(members):
            return candidate
    return fit


def cluster(points: list[Point], zoom: int) -> list[dict]:
    """Markers at `zoom`: single points as {"kind": "point", …}, groups as {"kind": "cluster", "count", …}."""
    zoom = clean_zoom(zoom)
    markers = []
    for members in _groups(points, zoom):
        if len(members) == 1:
            p = members[0]
            markers.append({"kind": "point", "id": p.id, "name": p.name, "lng": p.lng, "lat": p.lat, **p.extra})
            continue
        lngs, lats = [m.lng for m in members], [m.lat for m in members]
        markers.append({
            "kind": "cluster", "count": len(members), "ids": sorted(m.id for m in members),
            "lng": round(sum(lngs) / len(lngs), 6), "lat": round(sum(lats) / len(lats), 6),
            "bounds": [min(lngs), min(lats), max(lngs), max(lats)], "expand_zoom": split_zoom(members, zoom),
        })
    return markers
