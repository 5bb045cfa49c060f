"""The module catalogue of the monitoring big screens (OPS-12.1). Each module builds its own data on
the server (ECharts options through apps.core.charts, or a small table), so a screen is one request
plus one query set per module it shows."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.core import charts

WIDTHS = (1, 2, 3)


@dataclass(frozen=True)
class Module:
    key: str
    label: str
    kind: str                      # "chart", "kpi" or "table"
    build: Callable[[], dict]


def _alert_severity() -> dict:
    from apps.ops.models import Alert, AlertStatus, Severity

    counts = dict(Alert.objects.exclude(status=AlertStatus.CLOSED).values("severity").annotate(n=Count("pk"))
                  .values_list("severity", "n"))
    labels = [str(label) for _v, label in Severity.choices]
    return {"option": charts.bar(labels, [counts.get(v, 0) for v in Severity.values], horizontal=False)}


def _alert_trend() -> dict:
    from apps.ops.models import Alert

    today = timezone.localdate()
    days = [today - timedelta(days=i) for i in range(6, -1, -1)]
    rows = dict(Alert.objects.filter(created_at__date__gte=days[0])
                .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
                .values("day").annotate(n=Count("pk")).values_list("day", "n"))
    return {"option": charts.lines([d.strftime("%m-%d") for d in days], [("告警", [rows.get(d, 0) for d in days])])}


def _work_orders() -> dict:
    from apps.ops.models import WorkOrder, WorkOrderStatus

    counts = dict(WorkOrder.objects.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    overdue = WorkOrder.objects.filter(status__in=[WorkOrderStatus.NEW, WorkOrderStatus.IN_PROGRESS],
                                    due_at__lte=timezone.now()).count()
    return {"items": [("新建", counts.get("new", 0)), ("处理中", counts.get("in_progress", 0)),
                      ("已处理", counts.get("handled", 0)), ("超期", overdue)]}


def _websites() -> dict:
    from apps.ops.models import WebsiteAsset

    return {"rows": [(w.name, w.get_availability_display(), w.last_latency_ms)
                     for w in WebsiteAsset.objects.order_by("availability", "name")[:10]],
            "headers": ("网站", "可用性", "耗时（毫秒）")}


def _interfaces() -> dict:
    from apps.core.models import MonitoredInterface

    return {"rows": [(i.label, i.get_status_display(), i.window_calls) for i in
                     MonitoredInterface.objects.order_by("status", "code")[:10]],
            "headers": ("接口", "状态", "窗口内调用")}


def _asset_groups() -> dict:
    from apps.ops.selectors import asset_situation

    groups = asset_situation()["groups"][:8]
    return {"option": charts.bar([g["name"] for g in groups], [g["risk_value"] for g in groups])}


def _recent_alerts() -> dict:
    from apps.ops.models import Alert

    return {"rows": [(a.title, a.get_severity_display(), timezone.localtime(a.last_seen_at).strftime("%H:%M:%S"))
                     for a in Alert.objects.order_by("-last_seen_at")[:8]], "headers": ("告警", "等级", "时间")}


MODULES = {m.key: m for m in [
    Module("alert_severity", "未关闭告警等级分布", "chart", _alert_severity),
    Module("alert_trend", "近7天告警趋势", "chart", _alert_trend),
    Module("work_orders", "工单概况", "kpi", _work_orders),
    Module("websites", "网站可用性", "table", _websites),
    Module("interfaces", "接口状态", "table", _interfaces),
    Module("asset_groups", "资产组风险值", "chart", _asset_groups),
    Module("recent_alerts", "最新告警", "table", _recent_alerts),
]}
