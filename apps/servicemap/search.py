"""Smart search (智能搜索, MAP-1.2), decision 0904: keyword suggestions, search by hall name, address,
theme tag and matter, a simple natural-language reading of a question, and the nearest halls.

Natural language without a segmentation library: the vocabulary the map knows IS the dictionary.
Region names (with and without their 省/市/区/县 suffix) are matched longest-first and become a
region filter; question words and function words ("哪里", "可以", "办" …) are dropped; what is left
are matter terms, matched against matter names (whole term, then its two-character parts)."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db.models import Q

from apps.acceptance.models import Hall, WindowMatter
from apps.core.models import Region
from apps.servicemap.selectors import public_halls

MAX_RESULTS = 20
SUFFIXES = ("特别行政区", "自治县", "林区", "地区", "省", "市", "区", "县", "镇", "乡", "街道")
STOP_WORDS = sorted({"请问", "哪里", "哪儿", "哪个", "哪些", "哪", "在哪", "可以", "能够", "能", "怎么", "怎样", "如何",
                     "需要", "我要", "我想", "想要", "办理", "申请", "申领", "去", "到", "在", "的", "了", "吗", "呢",
                     "什么", "地方", "附近", "最近", "大厅", "政务", "服务", "中心", "办", "一下", "我", "要"},
                    key=len, reverse=True)
_HAN_OR_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")


@dataclass
class ParsedQuery:
    text: str
    regions: list = field(default_factory=list)
    terms: list = field(default_factory=list)


def _region_vocabulary() -> list[tuple[str, Region]]:
    vocabulary = []
    for region in Region.objects.filter(is_enabled=True).only("code", "name", "level", "prefix"):
        vocabulary.append((region.name, region))
        for suffix in SUFFIXES:
            if region.name.endswith(suffix) and len(region.name) - len(suffix) >= 2:
                vocabulary.append((region.name[: -len(suffix)], region))
                break
    vocabulary.sort(key=lambda pair: (-len(pair[0]), pair[1].level))
    return vocabulary


def parse(text: str) -> ParsedQuery:
    """Split a question into regions and matter terms: "哈尔滨哪里可以办身份证" → [哈尔滨市], ["身份证"]."""
    text = (text or "").strip()[:100]
    parsed = ParsedQuery(text=text)
    rest = text
    for word, region in _region_vocabulary():
        if word and word in rest:
            parsed.regions.append(region)
            rest = rest.replace(word, " ")
    for word in STOP_WORDS:
        rest = rest.replace(word, " ")
    parsed.terms = [t for t in _HAN_OR_WORD.findall(rest) if len(t) >= 2]
    return parsed


def _term_condition(terms: list[str], field_name: str) -> Q:
    condition = Q()
    for term in terms:
        condition |= Q(**{f"{field_name}__icontains": term})
        if len(term) > 3:
            for i in range(len(term) - 1):
                condition |= Q(**{f"{field_name}__icontains": term[i:i + 2]})
    return condition


def suggest(text: str, limit: int = 8) -> list[dict]:
    """Drop-down suggestions: halls whose name starts with or contains the text, then matters."""
    text = (text or "").strip()[:50]
    if not text:
        return []
    halls = list(public_halls().filter(name__icontains=text).order_by("display_order", "name")
                 .values_list("pk", "name")[:limit])
    out = [{"kind": "hall", "id": pk, "label": name, "url": f"/map/halls/{pk}/"} for pk, name in halls]
    if len(out) < limit:
        names = (WindowMatter.objects.filter(matter__name__icontains=text, window__is_active=True,
                                             window__hall__is_active=True)
                 .values_list("matter__name", flat=True).distinct().order_by("matter__name")[: limit - len(out)])
        out += [{"kind": "matter", "label": name, "url": f"/map/search/?q={name}"} for name in names]
    return out


def search(text: str) -> dict:
    """Halls matching by name, address or theme tag, plus halls where a matching matter is stationed
    (restricted to the regions named in the question, if any); the matters found are listed too."""
    parsed = parse(text)
    halls = public_halls()
    if parsed.regions:
        region_q = Q()
        for region in parsed.regions:
            region_q |= Q(region__code__startswith=region.prefix)
        halls = halls.filter(region_q)
    terms = parsed.terms or ([] if parsed.regions else [parsed.text])
    matters = []
    if terms:
        direct = (_term_condition(terms, "name") | _term_condition(terms, "address")
                  | _term_condition(terms, "map_connection__theme_tags"))
        stationed = WindowMatter.objects.filter(_term_condition(terms, "matter__name"), window__is_active=True)
        matter_rows = list(stationed.filter(window__hall__in=halls).values("matter_id", "matter__name")
                           .distinct().order_by("matter__name")[:MAX_RESULTS])
        matters = [{"id": r["matter_id"], "name": r["matter__name"]} for r in matter_rows]
        halls = halls.filter(direct | Q(windows__matters__in=stationed)).distinct()
    return {"query": parsed, "halls": list(halls.order_by("display_order", "hall_number")[:MAX_RESULTS]),
            "matters": matters}


def distance_km(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(a))


def nearest(lng: float, lat: float, limit: int = 5, halls=None) -> list[tuple[Hall, float]]:
    """智能就近服务: the halls nearest to a point, with their distance in km (one query)."""
    halls = (halls if halls is not None else public_halls()).filter(longitude__isnull=False, latitude__isnull=False)
    ranked = sorted(((h, distance_km(lng, lat, float(h.longitude), float(h.latitude))) for h in halls),
                    key=lambda pair: (pair[1], pair[0].pk))
    return [(h, round(d, 2)) for h, d in ranked[:limit]]


def parse_point(lng, lat) -> tuple[float, float] | None:
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError):
        return None
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        return None
    return lng, lat
