"""Complaint and overdue statistics (投诉统计与超期统计), electronic-supervision lists and the
leader reports of PORTAL-3.1 — all cut to the acting user's data scope.

Every figure is an aggregate query (a fixed number of queries whatever the data size).
"""
from __future__ import annotations

import time
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.scope import restrict
from apps.supervision.models import (
    DONE_STATUSES,
    Complaint,
    ComplaintSource,
    ComplaintStatistic,
    ComplaintStatus,
    EarlyWarning,
    StatisticsRefresh,
    WarningLevel,
)
from apps.supervision.services.deadlines import DUE_SOON_DAYS

TREND_DAYS = 30


def warning_list(*, user) -> QuerySet[EarlyWarning]:
    """预警与黄红牌 of complaints and cases within the user's scope."""
    return restrict(EarlyWarning.objects.select_related("complaint", "case", "case__item", "department", "region"),
                    user)


def _open(queryset):
    return queryset.exclude(status__in=DONE_STATUSES)


def complaint_statistics(*, user, now=None) -> dict:
    """Totals, by channel, by status, by region and the daily trend of the last 30 days.

    Counts come from the ComplaintStatistic rollup (rebuilt every few minutes: `refreshed_at` says
    when); overdue and due-soon figures are counted live on the open complaints (a partial index).
    """
    from apps.core.calendar import add_working_days

    now = now or timezone.now()
    cells = restrict(ComplaintStatistic.objects.all(), user)
    totals = cells.aggregate(total=Coalesce(Sum("count"), 0),
                             done=Coalesce(Sum("count", filter=Q(status__in=DONE_STATUSES)), 0))
    totals["open"] = totals["total"] - totals["done"]
    open_now = _open(restrict(Complaint.objects.all(), user))
    soon = add_working_days(now, DUE_SOON_DAYS)
    totals |= open_now.aggregate(overdue=Count("pk", filter=Q(deadline__lt=now)),
                                 due_soon=Count("pk", filter=Q(deadline__gte=now, deadline__lte=soon)))
    sources = dict(ComplaintSource.choices)
    statuses = dict(ComplaintStatus.choices)
    by_source = [{"name": str(sources.get(r["source"], r["source"])), "value": r["n"]}
                 for r in cells.values("source").annotate(n=Sum("count")).order_by("source")]
    by_status = [{"name": str(statuses.get(r["status"], r["status"])), "value": r["n"]}
                 for r in cells.values("status").annotate(n=Sum("count")).order_by("-n")]
    overdue_by_region = dict(open_now.filter(deadline__lt=now).values_list("region__name")
                             .annotate(n=Count("pk")))
    by_region = [{**r, "overdue": overdue_by_region.get(r["region__name"], 0)}
                 for r in cells.values("region__name").annotate(total=Sum("count")).order_by("-total")[:20]]
    start = timezone.localdate(now) - timedelta(days=TREND_DAYS - 1)
    trend = [{"day": r["day"].isoformat(), "value": r["n"]} for r in
             cells.filter(day__gte=start).values("day").annotate(n=Sum("count")).order_by("day")]
    refreshed = StatisticsRefresh.objects.order_by("-refreshed_at").values_list("refreshed_at", flat=True).first()
    return {"totals": totals, "by_source": by_source, "by_status": by_status, "by_region": by_region,
            "trend": trend, "refreshed_at": refreshed}


def overdue_statistics(*, user, now=None) -> dict:
    """Open overdue complaints by department, open overdue cases by organisation, cards by level."""
    from apps.acceptance.models.cases import FINAL_STATUSES, Case

    now = now or timezone.now()
    today = timezone.localdate(now)
    overdue = _open(restrict(Complaint.objects.all(), user)).filter(deadline__lt=now)
    by_department = list(overdue.values("department__name").annotate(n=Count("pk")).order_by("-n")[:15])
    cases = restrict(Case.objects.all(), user).exclude(status__in=FINAL_STATUSES).filter(due_date__lt=today)
    case_totals = cases.aggregate(n=Count("pk"))
    cases_by_org = list(cases.values("organisation__name").annotate(n=Count("pk")).order_by("-n")[:15])
    cards = dict(restrict(EarlyWarning.objects.all(), user).values_list("level").annotate(n=Count("pk")))
    return {"complaints_overdue": sum(r["n"] for r in by_department), "by_department": by_department,
            "cases_overdue": case_totals["n"], "cases_by_organisation": cases_by_org,
            "cards": {"warning": cards.get("warning", 0), "yellow_card": cards.get("yellow_card", 0),
                      "red_card": cards.get("red_card", 0)}}


def chart_payload(complaints: dict, overdue: dict) -> dict:
    """The JSON the ECharts script draws (json_script on the page)."""
    return {
        "by_source": complaints["by_source"], "by_status": complaints["by_status"], "trend": complaints["trend"],
        "overdue_by_department": [{"name": r["department__name"] or "（未分派）", "value": r["n"]}
                                  for r in overdue["by_department"]],
        "cases_by_organisation": [{"name": r["organisation__name"], "value": r["n"]}
                                  for r in overdue["cases_by_organisation"]],
        "cards": [{"name": str(WarningLevel(k).label), "value": v} for k, v in overdue["cards"].items()],
    }


# Everyone in one organisation has the same scope, so they share the dashboard's figures. The figures
# belong to one rollup generation: the beat task that rebuilds the rollup computes them again at once for
# every scope seen lately, so no request pays for them but the very first of a scope (decision 0502).
DASHBOARD_CACHE_SECONDS = 15 * 60
ACTIVE_SCOPES_KEY = "supervision:dashboard:scopes"
ACTIVE_SCOPE_SECONDS = 60 * 60


def dashboard_scope_key(user) -> str:
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return "all"
    return f"org{user.organisation_id}"


def _generation():
    return StatisticsRefresh.objects.order_by("-refreshed_at").values_list("pk", flat=True).first()


def _figures_key(scope: str, generation) -> str:
    return f"supervision:dashboard:{scope}:{generation}"


def dashboard_figures_compute(*, user, generation) -> tuple[dict, dict]:
    """Compute and share one scope's (complaint statistics, overdue statistics) for `generation`."""
    figures = (complaint_statistics(user=user), overdue_statistics(user=user))
    cache.set(_figures_key(dashboard_scope_key(user), generation), figures, DASHBOARD_CACHE_SECONDS)
    return figures


def dashboard_figures(*, user) -> tuple[dict, dict]:
    """The dashboard's figures for the user's scope, as of the latest rollup."""
    generation = _generation()
    figures = cache.get(_figures_key(dashboard_scope_key(user), generation))
    if figures is None:
        figures = dashboard_figures_compute(user=user, generation=generation)
        _remember_scope(user)
    return figures


def _remember_scope(user) -> None:
    """Note that someone of this scope looks at the dashboard. Noted on computing only (not on every
    hit), so a busy scope drops out once an hour and its next visitor computes once; a lost concurrent
    update costs the same."""
    scopes = cache.get(ACTIVE_SCOPES_KEY) or {}
    scopes[dashboard_scope_key(user)] = (user.pk, time.time())
    cache.set(ACTIVE_SCOPES_KEY, scopes, ACTIVE_SCOPE_SECONDS)


def dashboard_active_scopes() -> dict[str, int]:
    """scope key → the pk of a user who looked at it within ACTIVE_SCOPE_SECONDS."""
    cutoff = time.time() - ACTIVE_SCOPE_SECONDS
    return {scope: pk for scope, (pk, seen) in (cache.get(ACTIVE_SCOPES_KEY) or {}).items() if seen >= cutoff}


OVERDUE_LIST_SIZE = 20


def leader_report(*, user, now=None) -> dict:
    """PORTAL-3.1: a leader's own department — efficiency scores, complaint figures, overdue lists."""
    from apps.acceptance.models.cases import FINAL_STATUSES, Case
    from apps.supervision.selectors_efficiency import efficiency_report

    now = now or timezone.now()
    complaints = complaint_statistics(user=user, now=now)
    overdue = overdue_statistics(user=user, now=now)
    efficiency = efficiency_report(user=user)
    overdue_complaints = list(_open(restrict(Complaint.objects.select_related("department", "region"), user))
                              .filter(deadline__lt=now).order_by("deadline")[:OVERDUE_LIST_SIZE])
    overdue_cases = list(restrict(Case.objects.select_related("item", "organisation"), user)
                         .exclude(status__in=FINAL_STATUSES).filter(due_date__lt=timezone.localdate(now))
                         .order_by("due_date")[:OVERDUE_LIST_SIZE])
    charts = {"by_status": complaints["by_status"],
              "scores": [{"name": r["department__name"], "value": float(r["total"] or 0)}
                         for r in efficiency["by_department"]]}
    return {"complaints": complaints, "overdue": overdue, "efficiency": efficiency,
            "overdue_complaints": overdue_complaints, "overdue_cases": overdue_cases, "charts": charts}
