"""Reads of reviews, each taking the acting user (scope) or reading the pre-aggregated table."""
from __future__ import annotations

from django.db.models import F, Q, Sum
from django.urls import reverse

from apps.core.models import Organisation, Region
from apps.core.models.regions import prefix_of_code
from apps.core.navigation import InboxItem
from apps.core.scope import restrict
from apps.reviews.models import (
    OPEN_STATUSES, BadReviewDisposal, DisposalStatus, Evaluation, EvaluationAggregate, EvaluationChannel,
    EvaluationLevel, ObjectKind, ShowcaseEntry,
)

PROVINCE = "230000000000"
SUMS = {f: Sum(f) for f in ("total", "level1", "level2", "level3", "level4", "level5", "invalid", "rectified")}
WEIGHTS = {1: 100, 2: 80, 3: 60, 4: 40, 5: 20}


def evaluation_list(*, user):
    return restrict(Evaluation.objects.select_related("region", "organisation", "matter", "case"), user)


def disposal_list(*, user):
    return restrict(BadReviewDisposal.objects.select_related(
        "evaluation", "region", "competent_department", "service_department", "responsible_person"), user)


def inbox_items(*, user) -> list[InboxItem]:
    if not (user.has_perm("reviews.handle_disposal") or user.is_superuser):
        return []
    rows = disposal_list(user=user).filter(status__in=OPEN_STATUSES).order_by("deadline")[:20]
    return [InboxItem(title=f"差评处置 {d.evaluation.evaluation_number}", url=reverse("reviews:disposal-detail",
                                                                                    args=[d.pk]),
                      category="好差评差评处置", created_at=d.created_at) for d in rows]


# --- statistics over EvaluationAggregate -----------------------------------------------------


def derive(row: dict) -> dict:
    """Score (100/80/60/40/20 per level, averaged), good-review rate, rectification rate."""
    total = row.get("total") or 0
    bad = (row.get("level4") or 0) + (row.get("level5") or 0)
    score = sum(WEIGHTS[i] * (row.get(f"level{i}") or 0) for i in range(1, 6)) / total if total else 0
    row.update(bad=bad, good=(row.get("level1") or 0) + (row.get("level2") or 0), score=round(score, 2),
               good_rate=round(100 * ((row.get("level1") or 0) + (row.get("level2") or 0)) / total, 1) if total else 0,
               rectification_rate=round(100 * (row.get("rectified") or 0) / bad, 1) if bad else 100.0)
    return row


def aggregate_rows(*, region_code: str = PROVINCE, first=None, last=None, organisation_ids=None):
    """Aggregates inside a region subtree and a date range (and optionally some departments)."""
    rows = EvaluationAggregate.objects.all()
    region_code = region_code or PROVINCE
    if region_code != PROVINCE:
        rows = rows.filter(region_code__startswith=prefix_of_code(region_code))
    if first:
        rows = rows.filter(day__gte=first)
    if last:
        rows = rows.filter(day__lte=last)
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=organisation_ids)
    return rows


def scope_organisation_ids(user):
    """None for region-wide viewers and admins; else the department subtree (REV-11.5.1)."""
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return None
    org = getattr(user, "organisation", None)
    if org is None:
        return []
    if org.is_region_wide:
        return None
    return list(Organisation.objects.filter(tree_path__startswith=org.tree_path).values_list("pk", flat=True))


def user_region_code(user) -> str:
    org = getattr(user, "organisation", None)
    if user.is_superuser or org is None:
        return PROVINCE
    return org.region_id


def overview(*, region_code: str = PROVINCE, first=None, last=None, organisation_ids=None) -> dict:
    rows = aggregate_rows(region_code=region_code, first=first, last=last, organisation_ids=organisation_ids)
    total = derive(rows.aggregate(**SUMS))
    channels = {c: 0 for c in EvaluationChannel.values}
    for r in rows.values("channel").annotate(n=Sum("total")):
        channels[r["channel"]] = r["n"]
    objects = {k: 0 for k in ObjectKind.values}
    for r in rows.values("object_kind").annotate(n=Sum("total")):
        objects[r["object_kind"]] = r["n"]
    return {"total": total,
            "levels": [{"level": v, "label": str(lbl), "count": total.get(f"level{v}") or 0}
                       for v, lbl in EvaluationLevel.choices],
            "channels": [{"channel": c, "label": str(EvaluationChannel(c).label), "count": n}
                         for c, n in channels.items()],
            "objects": [{"kind": k, "label": str(ObjectKind(k).label), "count": n} for k, n in objects.items()]}


def by_region(*, region_code: str = PROVINCE, first=None, last=None, organisation_ids=None) -> list[dict]:
    """REV-5.1: 省直 plus each city (at the province), or the city's own level plus its counties."""
    rows = aggregate_rows(region_code=region_code, first=first, last=last, organisation_ids=organisation_ids)
    if region_code == PROVINCE:
        grouped = rows.values(code=F("city_code")).annotate(**SUMS)
    else:
        grouped = rows.values(code=F("region_code")).annotate(**SUMS)
    names = dict(Region.objects.filter(code__in=[g["code"] for g in grouped]).values_list("code", "name"))
    result = []
    for g in grouped:
        label = "省直" if g["code"] == PROVINCE else names.get(g["code"], g["code"])
        if region_code != PROVINCE and g["code"] == region_code:
            label = f"{names.get(g['code'], g['code'])}（本级）"
        result.append(derive({**g, "name": label, "drill": g["code"] != region_code and g["code"] != PROVINCE}))
    return sorted(result, key=lambda r: -r["score"])


DIMENSIONS = {
    "organisation": ("organisation_id", Organisation, "name"),
    "hall": ("hall_id", "acceptance.Hall", "name"),
    "window": ("window_id", "acceptance.Window", "name"),
    "staff": ("staff_id", "acceptance.HallStaff", "name"),
    "matter": ("matter_id", "matters.ImplementationItem", "name"),
}


def by_dimension(*, dimension: str, region_code: str = PROVINCE, first=None, last=None, organisation_ids=None,
                 object_kind: str | None = None, order: str = "score", limit: int | None = None,
                 offset: int = 0) -> list[dict]:
    """REV-5.2–5.5, 6.x: counts and scores per hall/window/staff/matter/department, ranked."""
    from django.apps import apps

    field, model, label = DIMENSIONS[dimension]
    model = apps.get_model(model) if isinstance(model, str) else model
    rows = aggregate_rows(region_code=region_code, first=first, last=last, organisation_ids=organisation_ids)
    rows = rows.exclude(**{field: 0})
    if object_kind:
        rows = rows.filter(object_kind=object_kind)
    grouped = [derive(dict(g)) for g in rows.values(field).annotate(**SUMS)]
    keys = {
        "score": lambda r: (-r["score"], -r["total"]),
        "bad": lambda r: (-r["bad"], r["score"]),
        "very_satisfied": lambda r: (-(r["level1"] or 0), -r["total"]),
        "total": lambda r: -r["total"],
    }
    grouped.sort(key=keys[order])
    page = grouped[offset: offset + limit] if limit else grouped
    names = dict(model.objects.filter(pk__in=[g[field] for g in page]).values_list("pk", label))
    for rank, g in enumerate(page, start=offset + 1):
        g.update(rank=rank, id=g[field], name=names.get(g[field], str(g[field])))
    return page


def rectification_ranking(*, region_code: str = PROVINCE) -> list[dict]:
    """REV-6.4: per region, rectification rate (rectified / bad)."""
    return sorted(by_region(region_code=region_code), key=lambda r: -r["rectification_rate"])


def integrator_ranking():
    """REV-8.2, 8.3: evaluations per integrator application, with the grand total."""
    from django.db.models import Count

    rows = list(Evaluation.objects.exclude(client=None).values("client__name").annotate(n=Count("pk")).order_by("-n"))
    return rows, sum(r["n"] for r in rows)


def showcase(limit: int = 20):
    return (ShowcaseEntry.objects.filter(is_published=True, evaluation__is_valid=True)
            .select_related("evaluation__organisation", "evaluation__matter")[:limit])


def invalid_evaluations(*, user):
    return evaluation_list(user=user).filter(is_valid=False)


def done_disposals(*, user):
    """PORTAL-2.5: done evaluations, by the user's level scope."""
    return disposal_list(user=user).filter(Q(status__in=(DisposalStatus.COMPLETED, DisposalStatus.REPORTED,
                                                         DisposalStatus.INVALIDATED, DisposalStatus.NOT_ACCEPTED)))


def hall_distribution(*, children) -> list[dict]:
    """Active halls per child region (the column's hall map), from one query however many children."""
    from apps.acceptance.models import Hall

    children = list(children)
    prefixes = [child.prefix for child in children]
    codes = Hall.objects.filter(is_active=True).filter(
        _any_prefix("region__code", prefixes)).values_list("region__code", flat=True) if prefixes else []
    counts = {child.code: 0 for child in children}
    for code in codes:
        for child in children:
            if code.startswith(child.prefix):
                counts[child.code] += 1
                break
    return [{"name": child.name, "code": child.code, "value": counts[child.code]} for child in children]


def _any_prefix(field: str, prefixes: list[str]) -> Q:
    condition = Q()
    for prefix in prefixes:
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition
