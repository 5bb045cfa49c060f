"""Reads of reviews, each taking the acting user (scope) or reading the pre-aggregated table."""
from __future__ import annotations

from django.db.models import Q, Sum
from django.urls import reverse

from apps.core.models import Organisation
from apps.core.navigation import InboxItem
from apps.core.scope import restrict
from apps.reviews import rankings
from apps.reviews.models import (
    OPEN_STATUSES, BadReviewDisposal, DisposalStatus, Evaluation, EvaluationChannel,
    EvaluationLevel, ObjectKind, ShowcaseEntry,
)

PROVINCE = rankings.PROVINCE
SUMS = rankings.SUMS
WEIGHTS = rankings.WEIGHTS


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
    """Score, good/bad counts and rates, satisfaction and rectification rate (see rankings.derive)."""
    return rankings.derive(row)


def aggregate_rows(*, region_code: str = PROVINCE, first=None, last=None, organisation_ids=None):
    """Aggregates inside a region subtree and a date range (and optionally some departments)."""
    return _filter(region_code, first, last, organisation_ids).rows()


def _filter(region_code, first, last, organisation_ids) -> rankings.RankingFilter:
    return rankings.RankingFilter(region_code=region_code or PROVINCE, first=first, last=last,
                                  organisation_ids=tuple(organisation_ids) if organisation_ids is not None else None)


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
    return rankings.rank(_filter(region_code, first, last, organisation_ids), by="unit")


#: Dimension names used in URLs ("organisation") → the ranking engine's names.
DIMENSIONS = {"organisation": "department", "hall": "hall", "window": "window", "staff": "staff", "matter": "matter"}
DIMENSION_FIELDS = {key: rankings.DIMENSIONS[value][0] for key, value in DIMENSIONS.items()}


def by_dimension(*, dimension: str, region_code: str = PROVINCE, first=None, last=None, organisation_ids=None,
                 object_kind: str | None = None, order: str = "score", limit: int | None = None,
                 offset: int = 0, level_only: bool = False) -> list[dict]:
    """REV-5.2–5.5, 6.x: counts and scores per hall/window/staff/matter/department, ranked."""
    filt = _filter(region_code, first, last, organisation_ids).with_(
        object_kinds=(object_kind,) if object_kind else (), level_only=level_only)
    return rankings.rank(filt, by=DIMENSIONS[dimension], order=order, limit=limit, offset=offset)


def rectification_ranking(*, region_code: str = PROVINCE) -> list[dict]:
    """REV-6.4: per region, rectification rate (rectified / bad) overall and per object type."""
    return rankings.rectification(_filter(region_code, None, None, None))


def integrator_ranking(*, user=None):
    """REV-8.2, 8.3: evaluations per integrator application (in the viewer's scope), with the total.
    Counts come from the pre-aggregated table (client dimension), names from one query."""
    from apps.reviews.models import EvaluationAggregate, ReviewClient

    clients = ReviewClient.objects.all() if user is None else restrict(ReviewClient.objects.all(), user)
    names = dict(clients.values_list("pk", "name"))
    counts = (EvaluationAggregate.objects.filter(client_id__in=list(names)).values("client_id")
              .annotate(n=Sum("total") + Sum("invalid")))
    rows = sorted(({"client__name": names[c["client_id"]], "n": c["n"]} for c in counts if c["n"]),
                  key=lambda r: (-r["n"], r["client__name"]))
    return rows, sum(r["n"] for r in rows)


def access_counts(*, clients):
    """REV-7.1: calls and refusals per application and interface, from the daily rollup."""
    from apps.reviews.models import ClientAccessDaily, EvaluationApiCategory

    names = dict(clients.values_list("pk", "name"))
    rows = (ClientAccessDaily.objects.filter(client_id__in=list(names)).values("client_id", "category")
            .annotate(calls=Sum("calls"), refused=Sum("refused"), records=Sum("records"))
            .order_by("client_id", "category"))
    labels = dict(EvaluationApiCategory.choices)
    return [{**r, "client__name": names[r["client_id"]], "category": labels.get(r["category"], r["category"])}
            for r in rows]


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
