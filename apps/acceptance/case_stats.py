"""Business statistics of cases (业务统计, ACC-15.1 – 15.5), always inside the user's data scope.

Readings (the tender names the measures, not the formulas; docs/acceptance.md records them):
* 15.2 process/result integration: of the accepted cases routed to a department system, how many have
  process data back (any inbound status or step message) and, of the concluded ones, how many
  have the result back (an inbound `case.concluded`).
* 15.3 unified applications: cases submitted in the period, online (every channel but the window)
  and registered at a window.
* 15.4 completeness of the progress-tracking data: an accepted case is complete with its acceptance
  time, promised date and case code; a concluded one also with its conclusion time and result.
* 15.5 dispatch: of the accepted cases, dispatched successfully (signed for or not), pending,
  not signed for, failed or without a route.
"""
from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate, TruncDay, TruncMonth
from django.utils import timezone

from apps.acceptance.models import Case, CaseChannel, CaseStatus, Direction, DispatchStatus, ExchangeMessage
from apps.core.daterange import bounds
from apps.core.scope import restrict

DIMENSIONS = {"region": "region__name", "department": "organisation__name", "theme": "item__theme",
              "item_type": "item__matter_type"}
PROCESS_KINDS = ("acceptance.status", "process.step", "special_procedure.start", "special_procedure.end",
                 "supplement.notice", "case.concluded", "dispatch.signed")


def _rate(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


def _accepted(user, first: date, last: date):
    start, end = bounds(first, last)
    return restrict(Case.objects.filter(accepted_at__gte=start, accepted_at__lt=end), user)


def _key(by: str) -> str:
    if by not in DIMENSIONS:
        raise ValueError(by)
    return DIMENSIONS[by]


def dispatch_statistics(*, user, first: date, last: date, by: str = "department") -> list[dict]:
    """ACC-15.5: 分发成功 / 待分发 / 未签收 (and failed, no route) per department, region, theme or item type."""
    key = _key(by)
    ok = (DispatchStatus.DISPATCHED, DispatchStatus.SIGNED_FOR)
    rows = (_accepted(user, first, last).values(key).annotate(
        accepted=Count("pk"), dispatched=Count("pk", filter=Q(dispatch_status__in=ok)),
        pending=Count("pk", filter=Q(dispatch_status=DispatchStatus.PENDING)),
        unsigned=Count("pk", filter=Q(dispatch_status=DispatchStatus.DISPATCHED)),
        signed=Count("pk", filter=Q(dispatch_status=DispatchStatus.SIGNED_FOR)),
        failed=Count("pk", filter=Q(dispatch_status__in=(DispatchStatus.FAILED, DispatchStatus.NO_ROUTE)))).order_by(key))
    return [{"name": row[key] or "—", **{k: row[k] for k in ("accepted", "dispatched", "pending", "unsigned",
                                                              "signed", "failed")},
             "dispatch_rate": _rate(row["dispatched"], row["accepted"])} for row in rows]


def dispatch_trend(*, user, first: date, last: date, unit: str = "day") -> list[dict]:
    """ACC-15.5 by time: accepted, dispatched and pending per day or month of acceptance."""
    trunc = TruncMonth("accepted_at") if unit == "month" else TruncDay("accepted_at")
    rows = (_accepted(user, first, last).annotate(bucket=trunc).values("bucket").annotate(
        accepted=Count("pk"),
        dispatched=Count("pk", filter=Q(dispatch_status__in=(DispatchStatus.DISPATCHED, DispatchStatus.SIGNED_FOR))),
        pending=Count("pk", filter=Q(dispatch_status=DispatchStatus.PENDING))).order_by("bucket"))
    fmt = "%Y-%m" if unit == "month" else "%Y-%m-%d"
    return [{"bucket": timezone.localtime(row["bucket"]).strftime(fmt), "accepted": row["accepted"],
             "dispatched": row["dispatched"], "pending": row["pending"]} for row in rows]


def integration_statistics(*, user, first: date, last: date, by: str = "department") -> list[dict]:
    """ACC-15.2: per department or region, whether the department systems' process and result data came back."""
    key = _key(by)
    inbound = ExchangeMessage.objects.filter(case=OuterRef("pk"), direction=Direction.INBOUND)
    rows = (_accepted(user, first, last).filter(route__isnull=False)
            .annotate(has_process=Exists(inbound.filter(kind__in=PROCESS_KINDS)),
                      has_result=Exists(inbound.filter(kind="case.concluded")))
            .values(key).annotate(routed=Count("pk"), with_process=Count("pk", filter=Q(has_process=True)),
                                  concluded=Count("pk", filter=Q(status=CaseStatus.CONCLUDED)),
                                  with_result=Count("pk", filter=Q(status=CaseStatus.CONCLUDED, has_result=True)))
            .order_by(key))
    return [{"name": row[key] or "—", "routed": row["routed"], "with_process": row["with_process"],
             "process_rate": _rate(row["with_process"], row["routed"]), "concluded": row["concluded"],
             "with_result": row["with_result"], "result_rate": _rate(row["with_result"], row["concluded"])}
            for row in rows]


def application_statistics(*, user, first: date, last: date, by: str = "region") -> list[dict]:
    """ACC-15.3: online applications and window registrations per region, department, theme or item type."""
    key = _key(by)
    start, end = bounds(first, last)
    rows = (restrict(Case.objects.filter(submitted_at__gte=start, submitted_at__lt=end), user).values(key)
            .annotate(total=Count("pk"), online=Count("pk", filter=~Q(channel=CaseChannel.WINDOW)),
                      window=Count("pk", filter=Q(channel=CaseChannel.WINDOW)))
            .order_by("-total", key))
    return [{"name": row[key] or "—", "total": row["total"], "online": row["online"], "window": row["window"]}
            for row in rows]


def application_trend(*, user, first: date, last: date, unit: str = "day") -> list[dict]:
    """ACC-15.3 by time, for the line chart."""
    start, end = bounds(first, last)
    trunc = TruncMonth("submitted_at") if unit == "month" else TruncDay("submitted_at")
    rows = (restrict(Case.objects.filter(submitted_at__gte=start, submitted_at__lt=end), user)
            .annotate(bucket=trunc).values("bucket")
            .annotate(online=Count("pk", filter=~Q(channel=CaseChannel.WINDOW)),
                      window=Count("pk", filter=Q(channel=CaseChannel.WINDOW))).order_by("bucket"))
    fmt = "%Y-%m" if unit == "month" else "%Y-%m-%d"
    return [{"bucket": timezone.localtime(row["bucket"]).strftime(fmt), "online": row["online"],
             "window": row["window"]} for row in rows]


def completeness_statistics(*, user, first: date, last: date, by: str = "region") -> list[dict]:
    """ACC-15.4: completeness of the progress-tracking data; by region it is a tree (code order + depth)."""
    key = _key(by)
    accepted = _accepted(user, first, last)
    missing_code = Q(case_code__isnull=True)
    missing_due = Q(due_date__isnull=True)
    missing_result = Q(status=CaseStatus.CONCLUDED) & (Q(concluded_at__isnull=True) | Q(result=""))
    fields = [key, "region__code", "region__level"] if by == "region" else [key]
    rows = (accepted.values(*fields).annotate(
        cases=Count("pk"), no_code=Count("pk", filter=missing_code), no_due=Count("pk", filter=missing_due),
        no_result=Count("pk", filter=missing_result),
        complete=Count("pk", filter=~(missing_code | missing_due | missing_result)))
        .order_by(*(["region__code"] if by == "region" else [key])))
    result = []
    for row in rows:
        result.append({"name": row[key] or "—", "depth": (row["region__level"] - 1) if by == "region" else 0,
                       "cases": row["cases"], "complete": row["complete"], "no_code": row["no_code"],
                       "no_due": row["no_due"], "no_result": row["no_result"],
                       "complete_rate": _rate(row["complete"], row["cases"])})
    return result


def summary(*, user, first: date, last: date) -> dict:
    """ACC-15.1: the headline figures of unified applications, integration, completeness and dispatch."""
    start, end = bounds(first, last)
    submitted = restrict(Case.objects.filter(submitted_at__gte=start, submitted_at__lt=end), user).aggregate(
        total=Count("pk"), online=Count("pk", filter=~Q(channel=CaseChannel.WINDOW)))
    dispatch = dispatch_statistics(user=user, first=first, last=last, by="region")
    integration = integration_statistics(user=user, first=first, last=last, by="region")
    completeness = completeness_statistics(user=user, first=first, last=last, by="department")
    accepted = sum(r["accepted"] for r in dispatch)
    dispatched = sum(r["dispatched"] for r in dispatch)
    routed = sum(r["routed"] for r in integration)
    with_process = sum(r["with_process"] for r in integration)
    complete = sum(r["complete"] for r in completeness)
    return {"submitted": submitted["total"], "online": submitted["online"], "accepted": accepted,
            "dispatched": dispatched, "dispatch_rate": _rate(dispatched, accepted),
            "routed": routed, "integration_rate": _rate(with_process, routed),
            "complete": complete, "complete_rate": _rate(complete, accepted)}


CODE_DIMENSIONS = {"region": "region__name", "department": "item__handling_department__name", "item": "item__name"}


def code_statistics(*, user, first: date, last: date, by: str = "region") -> list[dict]:
    """ACC-17.4: case codes issued in the period per region, department or item — issued, active,
    revoked, manual — inside the user's scope."""
    from apps.acceptance.models import CaseCode, CaseCodeStatus

    key = CODE_DIMENSIONS[by]
    start, end = bounds(first, last)
    rows = (restrict(CaseCode.objects.filter(issued_at__gte=start, issued_at__lt=end), user).values(key)
            .annotate(issued=Count("pk"), active=Count("pk", filter=Q(status=CaseCodeStatus.ACTIVE)),
                      revoked=Count("pk", filter=~Q(status=CaseCodeStatus.ACTIVE)),
                      manual=Count("pk", filter=Q(manual=True)), bound=Count("pk", filter=Q(case__isnull=False)))
            .order_by("-issued", key))
    return [{"name": row[key] or "—", **{k: row[k] for k in ("issued", "active", "revoked", "manual", "bound")}}
            for row in rows]


DAILY_MEASURES = (("submitted_at", "submitted"), ("accepted_at", "accepted"), ("concluded_at", "concluded"))


def daily_case_counts(*, user, first: date, last: date, department: str = "") -> list[dict]:
    """按日统计办件数 (PORTAL-7.6): per day and handling department inside the user's scope, the cases
    submitted, accepted and concluded that day (each on the day it happened), departments filtered by a
    part of their name. One grouped query per measure, whatever the range; rows by day, then department."""
    start, end = bounds(first, last)
    cases = restrict(Case.objects.all(), user)
    if department:
        cases = cases.filter(organisation__name__contains=department)
    table: dict[tuple, dict] = {}
    for field, measure in DAILY_MEASURES:
        rows = (cases.filter(**{f"{field}__gte": start, f"{field}__lt": end}).annotate(day=TruncDate(field))
                .values("day", "organisation_id", "organisation__name").annotate(n=Count("id")))
        for row in rows:
            entry = table.setdefault((row["day"], row["organisation__name"], row["organisation_id"]), {
                "day": row["day"], "department": row["organisation__name"],
                **{name: 0 for _field, name in DAILY_MEASURES}})
            entry[measure] = row["n"]
    return [table[key] for key in sorted(table)]
