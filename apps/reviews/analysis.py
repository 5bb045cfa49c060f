"""Analysis selectors (数据分析): the cockpit (REV-13.1, 13.2.1, 13.2.5), channel trends and channel
rankings (REV-23.11.x), item comparisons and the open indicator query (REV-11.5.x, 11.6), the
common-problem opinions (REV-9.3) and data-aggregation monitoring (REV-9.5).

Totals and rankings read `EvaluationAggregate` through the ranking engine; questions the aggregate
cannot answer (one indicator or tag, case volumes) read evaluations and cases through the
viewer's data scope (`restrict`) with grouped queries — never one query per row.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from apps.acceptance.models import Case
from apps.core.scope import restrict
from apps.matters.models import ImplementationItem
from apps.reviews import rankings
from apps.reviews.models import Evaluation, EvaluationChannel, EvaluationLevel, ReviewClient
from apps.reviews.rankings import SUMS, RankingFilter, derive


def cockpit(filt: RankingFilter) -> dict:
    """REV-13.2.1 overall figures and REV-13.2.5 rankings (subordinate regions and this level's
    departments by average score) for the chosen region."""
    rows = filt.rows()
    totals = derive(rows.aggregate(**SUMS))
    departments = rows.exclude(organisation_id=0).values("organisation_id").distinct().count()
    return {"totals": totals, "connected_departments": departments,
            "clients": ReviewClient.objects.filter(is_enabled=True).count(),
            "regions": rankings.rank(filt, by="unit"),
            "departments": rankings.rank(filt.with_(level_only=True), by="department", limit=20),
            "levels": [{"label": str(lbl), "count": totals[f"level{v}"]} for v, lbl in EvaluationLevel.choices],
            "channels": rankings.channel_totals(filt)}


def window(days: int, today: date | None = None) -> tuple[date, date, date, date]:
    """The recent period of `days` days ending today, and the period before it."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    return first, today, first - timedelta(days=days), first - timedelta(days=1)


def channel_trend(filt: RankingFilter, *, days: int = 30) -> dict:
    """REV-23.11.2: average score per channel per day over the recent period (one grouped query)."""
    first, last, _, _ = window(days)
    rows = filt.with_(first=first, last=last).rows().values("day", "channel").annotate(**SUMS)
    series: dict[str, dict[date, float]] = defaultdict(dict)
    for g in rows:
        series[g["channel"]][g["day"]] = derive(dict(g))["score"]
    dates = [first + timedelta(days=i) for i in range(days)]
    return {"dates": [d.isoformat() for d in dates],
            "series": [{"channel": c, "label": str(label), "scores": [series[c].get(d) for d in dates]}
                       for c, label in EvaluationChannel.choices if c in series]}


def channel_department_changes(filt: RankingFilter, *, channel: str, days: int = 30) -> list[dict]:
    """REV-23.11.4: departments ranked by score on one channel, with the change against the
    previous period of the same length (two grouped queries + one for names)."""
    first, last, prev_first, prev_last = window(days)
    on_channel = filt.with_(channels=(channel,))
    current = rankings.rank(on_channel.with_(first=first, last=last), by="department")
    before = {g["organisation_id"]: derive(dict(g))["score"] for g in on_channel.with_(
        first=prev_first, last=prev_last).rows().exclude(organisation_id=0).values("organisation_id").annotate(**SUMS)}
    for row in current:
        previous = before.get(row["id"])
        row["previous"] = previous
        row["change"] = round(row["score"] - previous, 2) if previous is not None else None
    return current


def item_satisfaction(filt: RankingFilter, *, level: int | None = None, limit: int = 50) -> list[dict]:
    """REV-23.11.5: items of a region/department ranked by score, or by the count of one level."""
    rows = rankings.rank(filt, by="matter")
    if level:
        rows = sorted((r for r in rows if r[f"level{level}"]), key=lambda r: (-r[f"level{level}"], -r["total"]))
        for n, r in enumerate(rows, start=1):
            r["rank"] = n
    return rows[:limit]


# --- items: horizontal comparison, detail, comparison of chosen units, indicator query ----------


def _items_in_scope(user, region_code: str):
    from apps.core.models.regions import prefix_of_code

    items = ImplementationItem.objects.all()
    if region_code != rankings.PROVINCE:
        items = items.filter(region__code__startswith=prefix_of_code(region_code))
    org_ids = _scope_orgs(user)
    if org_ids is not None:
        items = items.filter(Q(implementing_body_id__in=org_ids) | Q(implementing_agency_id__in=org_ids))
    return items


def _scope_orgs(user):
    from apps.reviews.selectors import scope_organisation_ids

    return scope_organisation_ids(user)


def item_comparison(*, user, filt: RankingFilter, name: str = "", limit: int = 100) -> list[dict]:
    """REV-11.5.2: per implementation item in the region — cases, evaluations, satisfaction and
    rank (rank within items of the same catalogue item, so the same item is compared)."""
    items = _items_in_scope(user, filt.region_code)
    if name:
        items = items.filter(name__icontains=name)
    items = list(items.select_related("region", "implementing_body").order_by("catalogue_item_id", "pk")[:limit])
    ids = [i.pk for i in items]
    cases = dict(Case.objects.filter(item_id__in=ids).values("item_id").annotate(n=Count("pk")).values_list(
        "item_id", "n"))
    scores = {g["matter_id"]: derive(dict(g)) for g in filt.rows().filter(matter_id__in=ids).values(
        "matter_id").annotate(**SUMS)}
    groups: dict[int, list[dict]] = defaultdict(list)
    result = []
    for item in items:
        stats = scores.get(item.pk) or derive({})
        row = {"item": item, "cases": cases.get(item.pk, 0), "evaluations": stats["total"],
               "satisfaction": stats["satisfaction"], "score": stats["score"]}
        groups[item.catalogue_item_id].append(row)
        result.append(row)
    for rows in groups.values():
        for n, row in enumerate(sorted(rows, key=lambda r: (-r["score"], -r["evaluations"])), start=1):
            row.update(rank=n, peers=len(rows))
    return result


def item_detail(*, user, item: ImplementationItem) -> dict:
    """REV-11.5.3: item information, its cases by status and the distribution of its evaluations."""
    case_rows = Case.objects.filter(item=item).values("status").annotate(n=Count("pk")).order_by("status")
    evaluations = restrict(Evaluation.objects.filter(matter=item, is_valid=True), user)
    levels = dict(evaluations.values("level").annotate(n=Count("pk")).values_list("level", "n"))
    stats = derive({"total": sum(levels.values()), **{f"level{v}": levels.get(v, 0) for v in range(1, 6)}})
    channels = dict(evaluations.values("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    return {"item": item, "cases": list(case_rows), "case_total": sum(r["n"] for r in case_rows), "stats": stats,
            "levels": [{"label": str(lbl), "count": levels.get(v, 0)} for v, lbl in EvaluationLevel.choices],
            "channels": [{"label": str(lbl), "count": channels.get(c, 0)} for c, lbl in EvaluationChannel.choices],
            "recent": evaluations.select_related("organisation")[:20]}


def units_comparison(*, user, items: list[ImplementationItem]) -> dict:
    """REV-11.5.4: the same item at chosen departments — basic information and materials (item
    comparison), case volumes (case comparison), satisfaction and level distribution (好差评
    comparison); values that differ between the units are flagged `differs`."""
    ids = [i.pk for i in items]
    from apps.matters.models import ApplicationMaterial

    materials: dict[int, list[str]] = defaultdict(list)
    for item_id, mat in ApplicationMaterial.objects.filter(implementation_item_id__in=ids).values_list(
            "implementation_item_id", "name").order_by("order", "pk"):
        materials[item_id].append(mat)
    cases = dict(Case.objects.filter(item_id__in=ids).values("item_id").annotate(n=Count("pk")).values_list(
        "item_id", "n"))
    level_rows = restrict(Evaluation.objects.filter(matter_id__in=ids, is_valid=True), user).values(
        "matter_id", "level").annotate(n=Count("pk"))
    levels: dict[int, Counter] = defaultdict(Counter)
    for r in level_rows:
        levels[r["matter_id"]][r["level"]] = r["n"]
    units = []
    for item in items:
        stats = derive({"total": sum(levels[item.pk].values()),
                        **{f"level{v}": levels[item.pk][v] for v in range(1, 6)}})
        units.append({"item": item, "region": item.region.name, "department": item.implementing_body.name,
                      "legal_limit": item.statutory_limit_working_days, "promised_limit": item.committed_limit_working_days,
                      "materials": materials[item.pk], "cases": cases.get(item.pk, 0), "stats": stats})
    return {"units": units, "differs": {
        key: len({repr(fn(u)) for u in units}) > 1 for key, fn in (
            ("legal_limit", lambda u: u["legal_limit"]), ("promised_limit", lambda u: u["promised_limit"]),
            ("materials", lambda u: sorted(u["materials"])), ("cases", lambda u: u["cases"]),
            ("satisfaction", lambda u: u["stats"]["satisfaction"]),
            ("levels", lambda u: [u["stats"][f"level{v}"] for v in range(1, 6)]))}}


def indicator_query(*, user, catalogue_item_id: int | None, item_name: str, indicator: str,
                    region_code: str = rankings.PROVINCE) -> list[dict]:
    """REV-11.6: satisfaction of one item on one indicator (level-2 indicator or tag) per region
    and responsible unit: cases, evaluations, indicator count, indicator share, rank."""
    from apps.core.models.regions import prefix_of_code

    evaluations = restrict(Evaluation.objects.filter(is_valid=True).exclude(matter=None), user)
    if region_code != rankings.PROVINCE:
        evaluations = evaluations.filter(region__code__startswith=prefix_of_code(region_code))
    if catalogue_item_id:
        evaluations = evaluations.filter(matter__catalogue_item_id=catalogue_item_id)
    elif item_name:
        evaluations = evaluations.filter(matter__name=item_name)
    else:
        return []
    hit = Q(indicators__contains=[indicator]) | Q(tags__contains=[indicator])
    rows = list(evaluations.values("matter_id", region_name=F("region__name"), unit=F("organisation__name"))
                .annotate(evaluations=Count("pk"), hits=Count("pk", filter=hit)))
    cases = dict(Case.objects.filter(item_id__in=[r["matter_id"] for r in rows]).values("item_id").annotate(
        n=Count("pk")).values_list("item_id", "n"))
    for r in rows:
        r["cases"] = cases.get(r["matter_id"], 0)
        r["share"] = round(100 * r["hits"] / r["evaluations"], 1) if r["evaluations"] else 0
    rows.sort(key=lambda r: (-r["share"], -r["hits"]))
    for n, r in enumerate(rows, start=1):
        r["rank"] = n
    return rows


# --- common problems and aggregation monitoring ----------------------------------------------

def common_problems(*, user, first: date | None = None, min_count: int = 3, limit: int = 10) -> list[dict]:
    """REV-9.3: tags of bad reviews that recur across departments in the viewer's scope, with the
    departments concerned and a handling opinion from the configured opinion for that tag
    (`CommonProblemOpinion`) or a default one."""
    from apps.reviews.models import CommonProblemOpinion

    bad = restrict(Evaluation.objects.filter(level__gte=4, is_valid=True), user)
    if first:
        bad = bad.filter(evaluated_at__date__gte=first)
    counter: Counter = Counter()
    departments: dict[str, Counter] = defaultdict(Counter)
    for tags, org in bad.values_list("tags", "organisation__name").iterator(chunk_size=2000):
        for tag in tags or []:
            counter[tag] += 1
            departments[tag][org] += 1
    opinions = dict(CommonProblemOpinion.objects.filter(tag__in=list(counter), is_enabled=True).values_list(
        "tag", "opinion"))
    result = []
    for tag, n in counter.most_common():
        if n < min_count or len(result) >= limit:
            continue
        result.append({"tag": tag, "count": n, "departments": departments[tag].most_common(5),
                       "opinion": opinions.get(tag) or default_opinion(tag, len(departments[tag]))})
    return result


def default_opinion(tag: str, departments: int) -> str:
    scope = "多个部门" if departments > 1 else "该部门"
    return f"“{tag}”为{scope}反复出现的差评问题：请梳理相关事项的办理流程与服务规范，开展专项整改并加强回访。"


def aggregation_monitor(*, filt: RankingFilter, by: str = "unit") -> dict:
    """REV-9.5: evaluations collected per day in the period, and per region or department, with
    the backlog not yet aggregated and the last evaluation time."""
    rows = filt.rows()
    per_day = list(rows.values("day").annotate(n=Sum("total")).order_by("day"))
    grouped = rankings.rank(filt, by=by, order="total")
    backlog = Evaluation.objects.filter(aggregated=False).count()
    latest = Evaluation.objects.order_by("-evaluated_at").values_list("evaluated_at", flat=True).first()
    return {"per_day": [{"day": r["day"].isoformat(), "count": r["n"]} for r in per_day], "rows": grouped,
            "backlog": backlog, "latest": latest}


TAG_SQL = """
SELECT t.tag, count(*) FROM reviews_evaluation e CROSS JOIN LATERAL jsonb_array_elements_text(e.tags) AS t(tag)
WHERE e.organisation_id = %s AND e.is_valid AND e.level BETWEEN %s AND %s {dates}
GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT %s
"""


def strengths_weaknesses(*, organisation_id: int, first: date | None = None, last: date | None = None,
                         limit: int = 10) -> dict:
    """REV-23.7 优缺点排名: the department's most frequent tags in good reviews (strengths) and in
    bad reviews (weaknesses), counted in the database (two grouped queries)."""
    from django.db import connection

    dates, extra = "", []
    if first:
        dates += " AND e.evaluated_at >= %s"
        extra.append(first)
    if last:
        dates += " AND e.evaluated_at < %s"
        extra.append(last + timedelta(days=1))
    result = {}
    with connection.cursor() as cursor:
        for key, low, high in (("strengths", 1, 2), ("weaknesses", 4, 5)):
            cursor.execute(TAG_SQL.format(dates=dates), [organisation_id, low, high, *extra, limit])
            result[key] = [{"tag": tag, "count": n} for tag, n in cursor.fetchall()]
    return result


# --- convenient impressions (REV-23.2, 23.2.2) ------------------------------------------------

#: Object kind → the evaluation column its per-target table groups by, and the ranking dimension.
IMPRESSION_TARGETS = {"window": ("window_id", "window"), "staff": ("staff_id", "staff"),
                      "hall": ("hall_id", "hall"), "case": ("matter_id", "matter"),
                      "matter": ("matter_id", "matter"), "service_guide": ("matter_id", "matter")}


def _rates(counts: dict) -> dict:
    total = sum(counts.values())
    return {"good": counts.get("好", 0), "neutral": counts.get("中", 0), "bad": counts.get("差", 0), "total": total,
            "good_rate": round(100 * counts.get("好", 0) / total, 1) if total else None}


def impressions(filt: RankingFilter, *, user, object_kind: str, channel: str = "", limit: int = 20) -> dict:
    """REV-23.2 analysis for one object kind (and optionally one channel) in the viewer's scope
    (the filter's region and departments): the three tiers (好评/中评/差评), each impression
    dimension's 好/中/差 counts, and the targets (windows, staff, items…) with the lowest impression
    scores — the staff to talk to and the items to improve (REV-23.11). Everything is read from
    the roll-ups (`EvaluationAggregate`, `ImpressionAggregate`, refreshed incrementally by
    `aggregate_pending`): three grouped statements plus one for the names, whatever the volume."""
    from apps.reviews.convenient import dimensions_for

    scoped = filt.with_(object_kinds=(object_kind,), channels=(channel,) if channel else ())
    totals = derive(scoped.rows().aggregate(**SUMS))
    tiers = {"good": totals["good"], "neutral": totals["level3"], "bad": totals["bad"]}
    offered = [label for ch in ([channel] if channel else EvaluationChannel.values)
               for _k, label in dimensions_for(object_kind, ch)]
    dimensions = list(dict.fromkeys(offered))
    rows = scoped.impression_rows()
    per_dimension: dict[str, dict] = defaultdict(dict)
    for g in rows.values("dimension", "value").annotate(n=Sum("count")):
        if g["n"]:
            per_dimension[g["dimension"]][g["value"]] = g["n"]
    column, by = IMPRESSION_TARGETS[object_kind]
    per_target: dict[int, dict] = defaultdict(lambda: defaultdict(dict))
    for g in rows.exclude(target_id=0).values("target_id", "dimension", "value").annotate(n=Sum("count")):
        if g["n"]:
            per_target[g["target_id"]][g["dimension"]][g["value"]] = g["n"]
    targets = []
    for target, dims in per_target.items():
        rates = {name: _rates(counts) for name, counts in dims.items()}
        good = sum(r["good"] for r in rates.values())
        total = sum(r["total"] for r in rates.values())
        targets.append({"id": target, column: target,
                        "dims": {name: rates.get(name, {}).get("good_rate") for name in dimensions},
                        "bad": sum(r["bad"] for r in rates.values()), "total": total,
                        "good_rate": round(100 * good / total, 1) if total else None})
    targets.sort(key=lambda t: (t["good_rate"], -t["bad"]))
    page = targets[:limit]
    rankings._name(page, by)
    return {"tiers": tiers, "tier_total": sum(tiers.values()),
            "dimensions": [{"name": name, **_rates(per_dimension.get(name, {}))} for name in dimensions],
            "extra_dimensions": sorted(set(per_dimension) - set(dimensions)), "targets": page}
