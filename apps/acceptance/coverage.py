"""对接覆盖范围 (ACC-19.5): which department systems are connected, and how much of each department's
published items reach a department system through a published route.

An item is *connected* when it has an active item route (`MatterRoute`) whose route is published and
whose client system is approved. Reads are cut to the user's data scope; a fixed number of queries
whatever the number of departments (grouped counts, no per-row look-ups)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from apps.acceptance.models import (
    ClientStatus,
    ClientSystem,
    Direction,
    ExchangeMessage,
    MatterRoute,
    RouteStatus,
)
from apps.core.models import Organisation
from apps.core.scope import restrict

WINDOW_DAYS = 30


@dataclass
class DepartmentCoverage:
    organisation: Organisation
    items: int = 0
    connected: int = 0
    systems: list[ClientSystem] = field(default_factory=list)
    received: int = 0
    sent: int = 0

    @property
    def percent(self) -> float:
        return round(100.0 * self.connected / self.items, 1) if self.items else 0.0


def _live_routes():
    return MatterRoute.objects.filter(item=OuterRef("pk"), is_active=True, route__status=RouteStatus.PUBLISHED,
                                      route__client__status=ClientStatus.APPROVED)


def covered_items(user, organisation_id: int | None = None):
    """Published items in scope, each marked `connected`, with the route and system when there is one."""
    from apps.matters.models import ImplementationItem

    items = restrict(ImplementationItem.objects.filter(status="published"), user)
    if organisation_id:
        items = items.filter(handling_department_id=organisation_id)
    return items.annotate(connected=Exists(_live_routes())).select_related("handling_department")


def item_routes(items) -> dict[int, MatterRoute]:
    routes = MatterRoute.objects.filter(item__in=[i.pk for i in items], is_active=True,
                                        route__status=RouteStatus.PUBLISHED,
                                        route__client__status=ClientStatus.APPROVED).select_related("route__client")
    return {r.item_id: r for r in routes}


def coverage_by_department(user, *, department: str = "") -> list[DepartmentCoverage]:
    """Per department in scope (filtered by a part of its name): published items, connected items, approved
    systems and the last days' messages — the 应接尽接 progress (PORTAL-7.1) as well."""
    items = covered_items(user)
    if department:
        items = items.filter(handling_department__name__contains=department)
    counts = items.values("handling_department").annotate(
        total=Count("pk"), linked=Count("pk", filter=Q(connected=True)))
    rows: dict[int, DepartmentCoverage] = {}
    organisations = Organisation.objects.select_related("region").in_bulk([c["handling_department"] for c in counts])
    for c in counts:
        rows[c["handling_department"]] = DepartmentCoverage(organisations[c["handling_department"]],
                                                            items=c["total"], connected=c["linked"])
    approved = ClientSystem.objects.filter(status=ClientStatus.APPROVED).select_related("organisation__region")
    systems = restrict(approved, user)
    if department:
        systems = systems.filter(organisation__name__contains=department)
    for system in systems:
        rows.setdefault(system.organisation_id, DepartmentCoverage(system.organisation)).systems.append(system)
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    traffic = ExchangeMessage.objects.filter(client__in=[s.pk for s in systems], created_at__gte=since).values(
        "client__organisation", "direction").annotate(n=Count("pk"))
    for t in traffic:
        row = rows.get(t["client__organisation"])
        if row is not None:
            if t["direction"] == Direction.INBOUND:
                row.received = t["n"]
            else:
                row.sent = t["n"]
    return sorted(rows.values(), key=lambda r: (r.organisation.region_id, r.organisation.name))


def coverage_totals(rows: list[DepartmentCoverage]) -> dict:
    items = sum(r.items for r in rows)
    connected = sum(r.connected for r in rows)
    systems = [s for r in rows for s in r.systems]
    by_type: dict[str, int] = {}
    for s in systems:
        by_type[s.get_system_type_display()] = by_type.get(s.get_system_type_display(), 0) + 1
    return {"departments": len(rows), "connected_departments": sum(1 for r in rows if r.systems),
            "items": items, "connected": connected, "systems": len(systems), "by_type": by_type,
            "percent": round(100.0 * connected / items, 1) if items else 0.0}
