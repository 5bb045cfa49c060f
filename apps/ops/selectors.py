"""Reads of ops: alert quick filters (OPS-3.12), the work_order dashboard (OPS-4.5) and the asset
situation (OPS-5.4). Security data is platform-wide (decision 1201): permissions gate it, not regions."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models import Case as When_Case
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ops.models import (
    HIGH_SEVERITIES, SEVERITY_RISK_WEIGHT, Alert, AlertCategory, AlertOrigin, AssetGroup, DiscoverySource,
    Direction, FindingStatus, HostAsset, Outcome, RegistrationStatus, WorkOrder, WorkOrderPriority, WorkOrderStatus,
    WebsiteAsset,
)


def _today_start() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))


@dataclass(frozen=True)
class QuickFilter:
    key: str
    label: str


QUICK_FILTERS = [
    QuickFilter("today_new", _("今日新增威胁告警")),
    QuickFilter("today_first_seen", _("今日首次出现告警")),
    QuickFilter("intel_hit", _("威胁情报命中告警")),
    QuickFilter("external_attack", _("外部威胁攻击告警")),
    QuickFilter("external_success", _("外部攻击成功/主机失陷告警")),
    QuickFilter("outbound", _("资产外连告警")),
    QuickFilter("malware", _("恶意文件告警")),
    QuickFilter("lateral", _("横向移动攻击告警")),
    QuickFilter("lateral_compromised_critical", _("横向移动失陷高危告警")),
    QuickFilter("host_critical", _("主机安全高危告警")),
    QuickFilter("web_critical", _("Web安全高危告警")),
]


def quick_filter_condition(key: str) -> Q | None:
    today = _today_start()
    high = Q(severity__in=HIGH_SEVERITIES)
    conditions = {
        "today_new": Q(created_at__gte=today) & ~Q(category=AlertCategory.AVAILABILITY),
        "today_first_seen": Q(first_seen_at__gte=today) & ~Exists(Alert.objects.filter(
            fingerprint=OuterRef("fingerprint"), first_seen_at__lt=today)),
        "intel_hit": Q(origin=AlertOrigin.INTEL),
        "external_attack": Q(direction=Direction.INBOUND),
        "external_success": Q(direction=Direction.INBOUND, outcome__in=[Outcome.SUCCESS, Outcome.COMPROMISED])
        | Q(outcome=Outcome.COMPROMISED),
        "outbound": Q(direction=Direction.OUTBOUND),
        "malware": Q(category=AlertCategory.MALWARE),
        "lateral": Q(direction=Direction.LATERAL),
        "lateral_compromised_critical": Q(direction=Direction.LATERAL, outcome__in=[Outcome.SUCCESS,
                                                                                     Outcome.COMPROMISED]) & high,
        "host_critical": Q(category=AlertCategory.HOST) & high,
        "web_critical": Q(category=AlertCategory.WEB) & high,
    }
    return conditions.get(key)


def alert_list(*, quick: str | None = None) -> QuerySet[Alert]:
    alerts = Alert.objects.select_related("asset", "event")
    condition = quick_filter_condition(quick) if quick else None
    return alerts.filter(condition) if condition is not None else alerts


# --- work_order dashboard (OPS-4.5) -----------------------------------------------------------------

DASHBOARD_PERIODS = (1, 7, 30)
CYCLE_BUCKETS = [(4, _("4小时内")), (24, _("4–24小时")), (72, _("1–3天")), (168, _("3–7天")), (None, _("7天以上"))]


def work_order_dashboard(*, days: int) -> dict:
    now = timezone.now()
    since = now - timedelta(days=days)
    created = WorkOrder.objects.filter(created_at__gte=since)
    handled = WorkOrder.objects.filter(handled_at__gte=since)
    in_progress = WorkOrder.objects.filter(status__in=[WorkOrderStatus.NEW, WorkOrderStatus.IN_PROGRESS])
    cycles = Counter()
    for created_at, handled_at in handled.values_list("created_at", "handled_at"):
        hours = (handled_at - created_at).total_seconds() / 3600
        label = next(str(lbl) for limit, lbl in CYCLE_BUCKETS if limit is None or hours <= limit)
        cycles[label] += 1
    trend_rows = dict(created.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
                      .values("day").annotate(n=Count("pk")).values_list("day", "n"))
    day_list = [timezone.localdate() - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    priorities = dict(in_progress.values("priority").annotate(n=Count("pk")).values_list("priority", "n"))
    statuses = dict(created.values("status").annotate(n=Count("pk")).values_list("status", "n"))

    def ranking(queryset):
        return list(queryset.values("owner__full_name", "owner__username").annotate(n=Count("pk"))
                    .order_by("-n", "owner__username")[:10])

    return {
        "days": days,
        "new_count": created.count(),
        "in_progress_count": in_progress.count(),
        "handled_count": handled.count(),
        "overdue_count": in_progress.filter(due_at__lte=now).count(),
        "cycle_distribution": [(str(lbl), cycles.get(str(lbl), 0)) for _limit, lbl in CYCLE_BUCKETS],
        "trend": [(d.strftime("%m-%d"), trend_rows.get(d, 0)) for d in day_list],
        "priority_distribution": [(str(lbl), priorities.get(v, 0)) for v, lbl in WorkOrderPriority.choices],
        "status_distribution": [(str(lbl), statuses.get(v, 0)) for v, lbl in WorkOrderStatus.choices],
        "handled_ranking": ranking(handled),
        "new_ranking": ranking(created),
        "recent": list(WorkOrder.objects.select_related("owner").order_by("-created_at", "-pk")[:10]),
    }


# --- asset situation (OPS-5.4) ------------------------------------------------------------------

def risk_level(value: int) -> str:
    if value >= 70:
        return str(_("高"))
    if value >= 30:
        return str(_("中"))
    return str(_("低"))


def _finding_weight():
    return Coalesce(Sum(When_Case(*[When(findings__severity=s, then=Value(w)) for s, w in
                                    SEVERITY_RISK_WEIGHT.items()], default=Value(0), output_field=IntegerField()),
                        filter=Q(findings__status=FindingStatus.OPEN)), Value(0))


def hosts_with_risk() -> QuerySet[HostAsset]:
    """Host assets annotated with `risk_value` (0–100): the weights of their open findings, capped."""
    return HostAsset.objects.select_related("group").annotate(finding_weight=_finding_weight())


def asset_situation() -> dict:
    hosts = list(hosts_with_risk().prefetch_related("services"))
    for host in hosts:
        host.risk_value = min(100, host.finding_weight)
        host.risk_level = risk_level(host.risk_value)
    websites = WebsiteAsset.objects.count()
    groups: dict = {}
    for host in hosts:
        name = host.group.name if host.group else str(_("未分组"))
        entry = groups.setdefault(name, {"name": name, "count": 0, "risk_value": 0})
        entry["count"] += 1
        entry["risk_value"] = max(entry["risk_value"], host.risk_value)
    for group in AssetGroup.objects.filter(hosts__isnull=True).order_by("name"):
        groups.setdefault(group.name, {"name": group.name, "count": 0, "risk_value": 0})
    group_rows = sorted(groups.values(), key=lambda g: (-g["risk_value"], g["name"]))
    for row in group_rows:
        row["risk_level"] = risk_level(row["risk_value"])
    registration = Counter(h.registration_status for h in hosts)
    ports, services, protocols = Counter(), Counter(), Counter()
    for host in hosts:
        for service in host.services.all():
            ports[service.port] += 1
            services[service.service_name or "-"] += 1
            protocols[service.protocol] += 1
    sources = Counter(h.discovery_source for h in hosts)
    today = timezone.localdate()
    day_list = [today - timedelta(days=offset) for offset in range(29, -1, -1)]
    trend = {s: Counter() for s in DiscoverySource.values}
    for host in hosts:
        day = timezone.localtime(host.discovered_at).date()
        if day >= day_list[0]:
            trend[host.discovery_source][day] += 1
    return {
        "total": len(hosts) + websites, "host_total": len(hosts), "website_total": websites,
        "groups": group_rows,
        "registration": [(str(lbl), registration.get(v, 0)) for v, lbl in RegistrationStatus.choices],
        "ports": ports.most_common(10), "services": services.most_common(10), "protocols": protocols.most_common(),
        "sources": [(str(lbl), sources.get(v, 0)) for v, lbl in DiscoverySource.choices],
        "trend_days": [d.strftime("%m-%d") for d in day_list],
        "trend": [(str(lbl), [trend[v].get(d, 0) for d in day_list]) for v, lbl in DiscoverySource.choices],
        "top_hosts": sorted(hosts, key=lambda h: -h.risk_value)[:10],
    }
