"""Efficiency analysis (MAT-6.4, PORTAL-3.1): results by department, region and theme."""
from __future__ import annotations

from django.db.models import Sum

from apps.core.scope import restrict
from apps.supervision.models import SupervisionTask, SupervisionTheme, TaskScore


def task_list(*, user):
    return restrict(SupervisionTask.objects.select_related("region"), user).prefetch_related("indicators")


def efficiency_report(*, user, task: SupervisionTask | None = None) -> dict:
    """Totals per department (ranked), per region and per theme, within the user's scope."""
    tasks = task_list(user=user)
    scores = TaskScore.objects.filter(task__in=[task] if task else tasks)
    organisation = getattr(user, "organisation", None)
    if organisation is not None and not organisation.is_region_wide and not user.is_superuser:
        scores = scores.filter(department__tree_path__startswith=organisation.tree_path)
    by_department = list(scores.values("department__name", "department__region__name")
                         .annotate(total=Sum("score")).order_by("-total", "department__name"))
    by_region = list(scores.values("department__region__name").annotate(total=Sum("score")).order_by("-total"))
    themes = dict(SupervisionTheme.choices)
    by_theme = [{"theme": themes.get(r["task__theme"], r["task__theme"]), "total": r["total"]}
                for r in scores.values("task__theme").annotate(total=Sum("score")).order_by("-total")]
    return {"by_department": by_department, "by_region": by_region, "by_theme": by_theme}


def efficiency_charts(report: dict) -> dict:
    """The efficiency report in the shape the ECharts script draws (MAT-6.4 visualisation)."""
    def rows(items, key):
        return [{"name": r[key] or "—", "value": float(r["total"] or 0)} for r in items]

    return {"by_department": rows(report["by_department"], "department__name"),
            "by_region": rows(report["by_region"], "department__region__name"),
            "by_theme": rows(report["by_theme"], "theme")}
