"""Channel visit counting (ACC-2.6) and demand monitoring with warning plans (ACC-5.11)."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Appointment,
    Channel,
    ChannelVisit,
    Hall,
    Slot,
    VisitFunction,
    WarningMetric,
    WarningPlan,
    Window,
)
from apps.core.scope import can_see, restrict
from apps.core.services.audit import audit_record

CHANNEL_HEADER = "HTTP_X_CLIENT_CHANNEL"


def channel_of(request) -> str:
    """The front-end channel of a request: `?channel=` or the X-Client-Channel header the APP, mini-program
    and terminals send; a browser without either is the PC site."""
    value = (request.GET.get("channel") or request.META.get(CHANNEL_HEADER) or "").strip()
    return value if value in Channel.values else Channel.PC


def visit_record(*, channel: str, function: str, now: datetime | None = None) -> None:
    """Count one visit: one upsert on the (channel, function, hour) row, race-free in the database."""
    if channel not in Channel.values or function not in VisitFunction.values:
        return
    hour = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    table = ChannelVisit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (channel, function, hour, count) VALUES (%s, %s, %s, 1) "
                       f"ON CONFLICT (channel, function, hour) DO UPDATE SET count = {table}.count + 1",
                       [channel, function, hour])


def channel_volume(*, user, now: datetime | None = None) -> dict:
    """Per channel: real-time (this hour), today and total visits, per-function visits, and bookings made
    through the channel inside the user's scope (resource allocation between channels)."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = ChannelVisit.objects.values("channel", "function").annotate(
        total=Sum("count"), today=Sum("count", filter=Q(hour__gte=day_start)),
        realtime=Sum("count", filter=Q(hour=hour)))
    bookings = dict(restrict(Appointment.objects.all(), user).values_list("channel").annotate(n=Count("pk")))
    channels = {value: {"channel": value, "label": label, "realtime": 0, "today": 0, "total": 0,
                        "functions": {}, "bookings": bookings.get(value, 0)} for value, label in Channel.choices}
    for row in rows:
        entry = channels[row["channel"]]
        for key in ("realtime", "today", "total"):
            entry[key] += row[key] or 0
        entry["functions"][row["function"]] = row["total"] or 0
    functions = [{"function": value, "label": label,
                  "counts": [channels[c]["functions"].get(value, 0) for c in Channel.values]}
                 for value, label in VisitFunction.choices]
    return {"channels": list(channels.values()), "functions": functions,
            "realtime": sum(c["realtime"] for c in channels.values())}


def demand_analysis(*, user, today=None, days: int = 7) -> list[dict]:
    """Booking demand against service capacity per hall in the user's scope for the next `days` days:
    slot places, booked, fill rate, fully booked slots, windows open (资源登记) — one query each."""
    today = today or timezone.localdate()
    last = today + timedelta(days=days - 1)
    halls = restrict(Hall.objects.filter(is_active=True), user).order_by("pk")
    slots = {r["hall"]: r for r in Slot.objects.filter(hall__in=halls, date__range=(today, last)).values("hall")
             .annotate(places=Sum("capacity"), taken=Sum("booked_count"),
                       full=Count("pk", filter=Q(booked_count__gte=F("capacity"))), slots=Count("pk"))}
    windows = dict(Window.objects.filter(hall__in=halls).values_list("hall").annotate(n=Count("pk")))
    result = []
    for hall in halls:
        row = slots.get(hall.pk, {})
        capacity, booked = row.get("places") or 0, row.get("taken") or 0
        result.append({"hall": hall, "slots": row.get("slots", 0), "capacity": capacity, "booked": booked,
                       "fill_rate": round(booked * 100 / capacity) if capacity else 0, "full": row.get("full", 0),
                       "windows": windows.get(hall.pk, 0)})
    return result


def warnings_raised(*, user, volume: dict, demand: list[dict]) -> list[dict]:
    """Enabled plans in scope whose figure is over the threshold, with the figure."""
    fill = {row["hall"].pk: row["fill_rate"] for row in demand}
    raised = []
    for plan in restrict(WarningPlan.objects.filter(is_enabled=True), user).select_related("hall"):
        value = volume["realtime"] if plan.metric == WarningMetric.HOUR_VISITS else fill.get(plan.hall_id, 0)
        if value >= plan.threshold:
            raised.append({"plan": plan, "value": value})
    return raised


@transaction.atomic
def warning_plan_save(*, actor, name: str, metric: str, hall: Hall | None, threshold, plan: WarningPlan | None = None,
                      is_enabled: bool = True) -> WarningPlan:
    """Create or change a warning plan of a hall inside the actor's scope."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("请填写计划名称。")
    if metric not in WarningMetric.values:
        errors["metric"] = _("请选择监测指标。")
    if hall is None:
        errors["hall"] = _("请选择大厅。")
    try:
        threshold = int(threshold)
        if threshold <= 0 or (metric == WarningMetric.FILL_RATE and threshold > 100):
            raise ValueError
    except (TypeError, ValueError):
        errors["threshold"] = _("预警阈值须为正整数（预约率不超过100）。")
    if errors:
        raise ValidationError(errors)
    permission = "acceptance.change_warningplan" if plan else "acceptance.add_warningplan"
    if not actor.has_perm(permission) or not can_see(actor, hall) or (plan and not can_see(actor, plan)):
        raise PermissionDenied(_("您没有管理该大厅预警计划的权限。"))
    created = plan is None
    plan = plan or WarningPlan(created_by=actor)
    plan.name, plan.metric, plan.hall, plan.threshold, plan.is_enabled = name.strip(), metric, hall, threshold, is_enabled
    plan.save()
    audit_record(actor=actor, action="create" if created else "update", obj=plan, detail=f"预警计划 {plan.name}")
    return plan
