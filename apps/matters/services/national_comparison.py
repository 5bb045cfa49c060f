"""Comparison with other regions in China (MAT-5.2.1): our published implementation items, averaged per
catalogue item (basic code), against the same catalogue items in other provinces as the national item
library reports them — committed time limit, number of materials, visits (跑动次数). Where ours is worse
than the other provinces' average, the direction is flagged and the best province is named.

Our visits are derived from the elements (the item library has no visits element): one visit to submit
unless the item can be filed online, one to collect the result unless it is immediate or delivered."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db.models import Avg, Case, Count, IntegerField, Min, Q, Value, When
from django.utils.translation import gettext as _

from apps.core.outbox import PeerPermanentError, PeerTemporaryError
from apps.core.scope import restrict
from apps.matters.adapters.national_library import NationalItemLibrary, national_library
from apps.matters.models import ApplicationMaterial, HandlingForm, ImplementationItem, MatterStatus

logger = logging.getLogger(__name__)
ONLINE_FORMS = (HandlingForm.ONLINE, HandlingForm.WINDOW_AND_ONLINE)
METRICS = {"committed_limit_working_days": _("承诺时限"), "material_count": _("材料数"), "visits": _("跑动次数")}
DIRECTIONS = {"committed_limit_working_days": _("压缩时限"), "material_count": _("少报"), "visits": _("少跑")}


@dataclass
class CodeComparison:
    basic_code: str
    name: str
    ours: dict
    national_average: dict
    best: dict                                   # metric → (province, value)
    provinces: int
    worse: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[dict]:
        """Per metric, in METRICS order: ours, the national average, the best province and value."""
        return [{"metric": m, "ours": self.ours.get(m), "average": self.national_average.get(m),
                 "best_province": self.best.get(m, ("", None))[0], "best": self.best.get(m, ("", None))[1],
                 "worse": m in self.worse} for m in METRICS]


def visits_expression():
    submit = Case(When(handling_form__in=ONLINE_FORMS, then=Value(0)), default=Value(1), output_field=IntegerField())
    collect = Case(When(Q(supports_express_delivery=True) | Q(is_immediate=True), then=Value(0)), default=Value(1),
                   output_field=IntegerField())
    return submit + collect


def our_elements(*, user, region) -> dict[str, dict]:
    """basic code → {name, items, committed_limit_working_days, material_count, visits} (averages)."""
    items = restrict(ImplementationItem.objects.filter(status=MatterStatus.PUBLISHED,
                                                       region__code__startswith=region.prefix), user)
    rows = {r["basic_code"]: {"name": r["name"], "items": r["n"],
                              "committed_limit_working_days": round(float(r["committed"] or 0), 1),
                              "visits": round(float(r["visits"] or 0), 1), "material_count": 0.0}
            for r in items.order_by().values("basic_code").annotate(
                n=Count("pk"), committed=Avg("committed_limit_working_days"), visits=Avg(visits_expression()),
                name=Min("name"))}
    for r in (ApplicationMaterial.objects.filter(implementation_item__in=items).order_by()
              .values("implementation_item__basic_code").annotate(n=Count("pk"))):
        row = rows.get(r["implementation_item__basic_code"])
        if row:
            row["material_count"] = round(r["n"] / row["items"], 1)
    return rows


def national_comparison(*, user, region, library: NationalItemLibrary | None = None) -> dict:
    """{"rows": [CodeComparison, worse first], "error": message or ""}; the peer being down is a message."""
    ours = our_elements(user=user, region=region)
    if not ours:
        return {"rows": [], "error": ""}
    try:
        theirs = (library or national_library()).elements(list(ours))
    except (PeerTemporaryError, PeerPermanentError) as exc:
        logger.warning("National item library unavailable: %s", exc)
        return {"rows": [], "error": _("全国事项库暂时无法访问，请稍后再试。")}
    by_code: dict[str, list[dict]] = {}
    for row in theirs:
        by_code.setdefault(row["basic_code"], []).append(row)
    result = []
    for code, others in by_code.items():
        mine = ours[code]
        comparison = CodeComparison(basic_code=code, name=mine["name"], ours=mine, national_average={}, best={},
                                    provinces=len(others))
        for metric in METRICS:
            values = [(r["province"], float(r[metric])) for r in others if isinstance(r.get(metric), (int, float))]
            if not values:
                continue
            average = round(sum(v for _p, v in values) / len(values), 1)
            comparison.national_average[metric] = average
            comparison.best[metric] = min(values, key=lambda pv: pv[1])
            if mine[metric] > average:
                comparison.worse.append(metric)
        result.append(comparison)
    result.sort(key=lambda c: (-len(c.worse), c.basic_code))
    return {"rows": result, "error": ""}


def worse_labels(comparison: CodeComparison) -> list[str]:
    return [str(DIRECTIONS[m]) for m in comparison.worse]
