"""Ranking engine (排名): every 好差评 ranking read from the pre-aggregated table.

One `RankingFilter` says *what* is counted (region subtree or one level, dates, departments in the
viewer's scope, object kinds, channels); `rank()` says *by what* it is grouped and ordered. Each
call costs one grouped query over `EvaluationAggregate` plus one query for the names of the page
shown — however many rows — so pages stay flat in queries (asserted in the tests).

Composite scores (REV-6.1, 6.2) average the five object types' scores with equal weights
(decision 0603); service-guide evaluations count as the item (事项) type.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from django.apps import apps
from django.db.models import F, QuerySet, Sum

from apps.core.models import Organisation, Region
from apps.core.models.regions import prefix_of_code
from apps.reviews.models import EvaluationAggregate, EvaluationChannel, ImpressionAggregate, ObjectKind

PROVINCE = "230000000000"
COUNTS = ("total", "level1", "level2", "level3", "level4", "level5", "invalid", "rectified")
SUMS = {f: Sum(f) for f in COUNTS}
WEIGHTS = {1: 100, 2: 80, 3: 60, 4: 40, 5: 20}

#: The five indicator types of the composite ranking (REV-6.1); guides count as items.
COMPOSITE_KINDS = {ObjectKind.CASE: "case", ObjectKind.HALL: "hall", ObjectKind.MATTER: "matter",
                   ObjectKind.SERVICE_GUIDE: "matter", ObjectKind.STAFF: "staff", ObjectKind.WINDOW: "window"}
COMPOSITE_LABELS = {"case": "办件", "hall": "大厅", "matter": "事项", "staff": "人员", "window": "窗口"}

#: Portal sections of REV-20.1 / 20.2 (website, physical halls, mobile, hotline) as channel groups.
SECTIONS = {
    "website": ("政务服务网", (EvaluationChannel.PC,)),
    "hall": ("实体大厅", (EvaluationChannel.HALL, EvaluationChannel.SELF_SERVICE_TERMINAL, EvaluationChannel.QR)),
    "mobile": ("移动端", (EvaluationChannel.APP, EvaluationChannel.SMS)),
    "hotline": ("服务热线", (EvaluationChannel.HOTLINE,)),
}

#: group-by field, model holding the names, name field, extra fields shown with the name.
DIMENSIONS = {
    "department": ("organisation_id", "core.Organisation", "name", ()),
    "hall": ("hall_id", "acceptance.Hall", "name", ()),
    "window": ("window_id", "acceptance.Window", "name", ("hall_id", "hall__name")),
    "staff": ("staff_id", "acceptance.HallStaff", "name", ("hall_id", "hall__name", "department__name")),
    "matter": ("matter_id", "matters.ImplementationItem", "name", ("implementation_code",)),
}


@dataclass(frozen=True)
class RankingFilter:
    """What a ranking counts. `organisation_ids=None` means no department restriction."""

    region_code: str = PROVINCE
    first: date | None = None
    last: date | None = None
    organisation_ids: tuple[int, ...] | None = None
    department_id: int | None = None
    hall_id: int | None = None
    object_kinds: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    level_only: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    def with_(self, **changes) -> RankingFilter:
        return replace(self, **changes)

    def rows(self) -> QuerySet:
        rows = self._narrow(EvaluationAggregate.objects.all())
        if self.hall_id:
            rows = rows.filter(hall_id=self.hall_id)
        return rows

    def impression_rows(self) -> QuerySet:
        """The same cut of the impression roll-up (`ImpressionAggregate`; it has no hall column —
        a hall's own impressions are its rows with object kind "hall" and target_id = the hall)."""
        return self._narrow(ImpressionAggregate.objects.all())

    def _narrow(self, rows: QuerySet) -> QuerySet:
        if self.level_only:
            rows = rows.filter(region_code=self.region_code)
        elif self.region_code != PROVINCE:
            rows = rows.filter(region_code__startswith=prefix_of_code(self.region_code))
        if self.first:
            rows = rows.filter(day__gte=self.first)
        if self.last:
            rows = rows.filter(day__lte=self.last)
        if self.organisation_ids is not None:
            rows = rows.filter(organisation_id__in=self.organisation_ids)
        if self.department_id:
            rows = rows.filter(organisation_id=self.department_id)
        if self.object_kinds:
            rows = rows.filter(object_kind__in=self.object_kinds)
        if self.channels:
            rows = rows.filter(channel__in=self.channels)
        return rows

    @property
    def unit_field(self) -> str:
        """省直 + the 13 cities at the province; the level itself + its counties below it."""
        return "city_code" if self.region_code == PROVINCE else "region_code"


def derive(row: dict) -> dict:
    """Score (100/80/60/40/20 per level, averaged), good and bad counts and rates, rectification rate."""
    total = row.get("total") or 0
    levels = {i: row.get(f"level{i}") or 0 for i in range(1, 6)}
    good, bad = levels[1] + levels[2], levels[4] + levels[5]
    rectified = row.get("rectified") or 0
    row.update(
        total=total, good=good, bad=bad, rectified=rectified, **{f"level{i}": n for i, n in levels.items()},
        score=round(sum(WEIGHTS[i] * n for i, n in levels.items()) / total, 2) if total else 0,
        good_rate=round(100 * good / total, 1) if total else 0,
        bad_rate=round(100 * bad / total, 1) if total else 0,
        satisfaction=round(100 * (good + levels[3]) / total, 1) if total else 0,
        rectification_rate=round(100 * rectified / bad, 1) if bad else 100.0)
    return row


ORDERS = {
    "score": lambda r: (-r["score"], -r["total"]),
    "worst": lambda r: (r["score"], -r["bad"]),
    "bad": lambda r: (-r["bad"], r["score"]),
    "total": lambda r: (-r["total"], -r["score"]),
    "very_satisfied": lambda r: (-r["level1"], -r["total"]),
    "rectification": lambda r: (-r["rectification_rate"], -r["bad"]),
    "satisfaction": lambda r: (-r["score"], -r["total"]),
}


def _unit_names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))


def _label_unit(code: str, filt: RankingFilter, names: dict[str, str]) -> str:
    if code == PROVINCE and filt.region_code == PROVINCE:
        return "省直"
    name = names.get(code, code)
    return f"{name}（本级）" if code == filt.region_code else name


def _number(page: list[dict], offset: int) -> list[dict]:
    for rank, row in enumerate(page, start=offset + 1):
        row["rank"] = rank
    return page


def rank(filt: RankingFilter, *, by: str, order: str = "score", limit: int | None = None,
         offset: int = 0) -> list[dict]:
    """Rows of one ranking: `by` is "unit" (regions below the filter's region) or a DIMENSIONS key."""
    rows = filt.rows()
    if by == "unit":
        grouped = [derive(dict(g)) for g in rows.values(code=F(filt.unit_field)).annotate(**SUMS)]
    else:
        key = DIMENSIONS[by][0]
        grouped = [derive(dict(g)) for g in rows.exclude(**{key: 0}).values(key).annotate(**SUMS)]
    grouped = [g for g in grouped if g["total"] or g["invalid"]]
    grouped.sort(key=ORDERS[order])
    page = grouped[offset: offset + limit] if limit else grouped
    if by == "unit":
        names = _unit_names(g["code"] for g in page)
        for g in page:
            g.update(id=g["code"], name=_label_unit(g["code"], filt, names),
                     drill=g["code"] != filt.region_code and not (filt.region_code == PROVINCE and g["code"] == PROVINCE))
    else:
        _name(page, by)
    return _number(page, offset)


def _name(page: list[dict], by: str) -> None:
    key, model_label, name_field, extra = DIMENSIONS[by]
    model = apps.get_model(model_label)
    found = {row["pk"]: row for row in model.objects.filter(pk__in=[g[key] for g in page]).values(
        "pk", name_field, *extra)}
    for g in page:
        info = found.get(g[key], {})
        g.update(id=g[key], name=info.get(name_field, str(g[key])), info=info)


def composite(filt: RankingFilter, *, worst_first: bool = False) -> list[dict]:
    """REV-6.1 / 6.2: per unit, the mean of the five types' scores (types without evaluations are
    left out of the mean); good ranking best first, bad ranking worst first with bad counts."""
    rows = filt.rows().values(code=F(filt.unit_field), kind=F("object_kind")).annotate(**SUMS)
    units: dict[str, dict] = {}
    for g in rows:
        unit = units.setdefault(g["code"], {"code": g["code"], "types": {}})
        kind = COMPOSITE_KINDS.get(g["kind"])
        if kind is None:
            continue
        bucket = unit["types"].setdefault(kind, {c: 0 for c in COUNTS})
        for c in COUNTS:
            bucket[c] += g[c] or 0
    result = []
    for unit in units.values():
        types = {k: derive(v) for k, v in unit["types"].items() if v["total"]}
        totals = derive({c: sum(t[c] for t in types.values()) for c in COUNTS})
        mean = round(sum(t["score"] for t in types.values()) / len(types), 2) if types else 0
        bad_mean = round(sum(t["bad_rate"] for t in types.values()) / len(types), 1) if types else 0
        result.append({**totals, "code": unit["code"], "composite": mean, "composite_bad_rate": bad_mean,
                       "types": {k: types.get(k, {}).get("score") for k in COMPOSITE_LABELS}})
    if worst_first:
        result.sort(key=lambda r: (-r["composite_bad_rate"], r["composite"], -r["bad"]))
    else:
        result.sort(key=lambda r: (-r["composite"], -r["total"]))
    names = _unit_names(r["code"] for r in result)
    for r in result:
        r.update(name=_label_unit(r["code"], filt, names), drill=r["code"] != filt.region_code and r["code"] != PROVINCE)
    return _number(result, 0)


def rectification(filt: RankingFilter) -> list[dict]:
    """REV-6.4: per unit, rectification rate of bad reviews per object type and overall."""
    rows = filt.rows().values(code=F(filt.unit_field), kind=F("object_kind")).annotate(**SUMS)
    units: dict[str, dict] = {}
    for g in rows:
        unit = units.setdefault(g["code"], {"code": g["code"], "bad": 0, "rectified": 0, "types": {}})
        kind = COMPOSITE_KINDS.get(g["kind"], g["kind"])
        bad = (g["level4"] or 0) + (g["level5"] or 0)
        t = unit["types"].setdefault(kind, [0, 0])
        t[0] += bad
        t[1] += g["rectified"] or 0
        unit["bad"] += bad
        unit["rectified"] += g["rectified"] or 0
    result = []
    for unit in units.values():
        rate = round(100 * unit["rectified"] / unit["bad"], 1) if unit["bad"] else 100.0
        types = {k: (round(100 * r / b, 1) if b else None) for k, (b, r) in unit["types"].items()}
        result.append({"code": unit["code"], "bad": unit["bad"], "rectified": unit["rectified"],
                       "rectification_rate": rate, "types": {k: types.get(k) for k in COMPOSITE_LABELS}})
    result.sort(key=lambda r: (-r["rectification_rate"], -r["bad"]))
    names = _unit_names(r["code"] for r in result)
    for r in result:
        r.update(name=_label_unit(r["code"], filt, names), drill=r["code"] != filt.region_code and r["code"] != PROVINCE)
    return _number(result, 0)


def sections(filt: RankingFilter, *, by: str = "unit", limit: int = 10) -> list[dict]:
    """REV-20.1 / 20.2: for each portal section (website, hall, mobile, hotline) its ranking by city
    (or county) or by department. Four grouped queries plus one name query each."""
    return [{"key": key, "label": label, "rows": rank(filt.with_(channels=channels), by=by, limit=limit)}
            for key, (label, channels) in SECTIONS.items()]


def department_home(filt: RankingFilter, organisation: Organisation) -> dict:
    """REV-23.7 department home data: totals, per-channel totals, its items ranked."""
    own = filt.with_(department_id=organisation.pk)
    totals = derive(own.rows().aggregate(**SUMS))
    return {"totals": totals, "channels": channel_totals(own),
            "items": rank(own, by="matter", limit=50)}


def channel_totals(filt: RankingFilter) -> list[dict]:
    """Per channel: counts and score, all seven channels listed (zero when none)."""
    found = {g["channel"]: derive(dict(g)) for g in filt.rows().values("channel").annotate(**SUMS)}
    return [{**(found.get(c) or derive({})), "channel": c, "label": str(label)}
            for c, label in EvaluationChannel.choices]
