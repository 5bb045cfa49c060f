"""Periodic checks of operations monitoring (PORTAL-7.10, 7.11, 7.13), called by the thin Celery
tasks in apps.core.tasks; each check is idempotent and may run any number of times."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg2
from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import (InterfaceMaintainer, FrontEndProcessor, IncidentKind, InterfaceStatus, MonitoredInterface,
                              OutboxMessage, OutboxStatus, ProcessorStatus, ScheduledTaskRun)
from apps.core.services.monitoring import (incident_raise, incident_resolve, interface_target_key,
                                           processor_target_key)

logger = logging.getLogger(__name__)

_ACTIVE_MAINTAINERS = Prefetch("maintainers", queryset=InterfaceMaintainer.objects.filter(is_active=True))


# --- interfaces (PORTAL-7.13) -----------------------------------------------------------------


@dataclass
class Verdict:
    status: str
    reasons: list[str]


def evaluate_interface(*, calls: int, failures: int, avg_latency_ms: int | None, backlog_age_seconds: float | None,
                       previous: str) -> Verdict:
    """Status from the window's metrics and the thresholds in settings (decision 0017). With no calls and
    no backlog there is no evidence: the previous status stands (an idle interface that was down stays down
    until a call succeeds)."""
    reasons: list[str] = []
    status = InterfaceStatus.NORMAL
    if calls >= settings.MONITORING_MIN_CALLS:
        rate = failures / calls
        if rate >= settings.MONITORING_DOWN_FAILURE_RATE:
            status = InterfaceStatus.DOWN
            reasons.append(_("失败率 %(rate).0f%%（%(f)s/%(c)s 次）") % {"rate": rate * 100, "f": failures, "c": calls})
        elif rate >= settings.MONITORING_DEGRADED_FAILURE_RATE:
            status = InterfaceStatus.DEGRADED
            reasons.append(_("失败率 %(rate).0f%%（%(f)s/%(c)s 次）") % {"rate": rate * 100, "f": failures, "c": calls})
    elif calls and failures == calls:
        status = InterfaceStatus.DEGRADED
        reasons.append(_("%(f)s 次调用全部失败") % {"f": failures})
    if avg_latency_ms is not None and calls and avg_latency_ms >= settings.MONITORING_SLOW_LATENCY_MS:
        if status == InterfaceStatus.NORMAL:
            status = InterfaceStatus.DEGRADED
        reasons.append(_("平均耗时 %(ms)s 毫秒") % {"ms": avg_latency_ms})
    if backlog_age_seconds is not None and backlog_age_seconds >= settings.MONITORING_BACKLOG_AGE_SECONDS:
        if status == InterfaceStatus.NORMAL:
            status = InterfaceStatus.DEGRADED
        reasons.append(_("最早待投递消息已积压 %(m)s 分钟") % {"m": int(backlog_age_seconds // 60)})
    if not calls and not reasons and previous != InterfaceStatus.UNKNOWN:
        return Verdict(previous, [])
    return Verdict(status, reasons)


def _outbox_backlog() -> dict[str, dict]:
    """Per peer: undelivered messages, the oldest one's time, dead messages — one aggregate query."""
    rows = (OutboxMessage.objects.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.DELIVERING, OutboxStatus.DEAD])
            .values("peer")
            .annotate(pending=Count("pk", filter=~Q(status=OutboxStatus.DEAD)),
                      oldest=Min("created_at", filter=~Q(status=OutboxStatus.DEAD)),
                      dead=Count("pk", filter=Q(status=OutboxStatus.DEAD))))
    return {row["peer"]: row for row in rows}


def interfaces_check(*, now: float | None = None) -> list[MonitoredInterface]:
    """Fold the last window's counters and the outbox backlog into each interface's row, judge its status,
    and open (with one SMS to its maintainers) or close its incident."""
    from apps.core.monitoring import read_window
    from apps.core.outbox import registered_peers

    try:
        window = read_window(minutes=settings.MONITORING_WINDOW_MINUTES, now=now)
    except Exception as exc:  # noqa: BLE001 — metrics store down: judge on the outbox alone
        logger.warning("Interface metrics unavailable: %s", exc)
        window = {}
    backlog = _outbox_backlog()
    codes = set(window) | set(registered_peers()) | set(backlog)
    MonitoredInterface.objects.bulk_create([MonitoredInterface(code=code) for code in sorted(codes)],
                                           ignore_conflicts=True)
    checked_at = timezone.now()
    interfaces = list(MonitoredInterface.objects.filter(is_enabled=True).prefetch_related(_ACTIVE_MAINTAINERS))
    for interface in interfaces:
        _apply_interface_metrics(interface, window.get(interface.code), backlog.get(interface.code), checked_at)
    return interfaces


def _apply_interface_metrics(interface: MonitoredInterface, metrics: dict | None, backlog: dict | None,
                             checked_at: datetime) -> None:
    metrics = metrics or {}
    calls = metrics.get("calls", 0)
    interface.window_calls, interface.window_failures = calls, metrics.get("failures", 0)
    interface.window_rejected = metrics.get("rejected", 0)
    interface.avg_latency_ms = int(metrics["latency_sum"] / calls) if calls else None
    interface.max_latency_ms = (max(metrics.get("max_latency", 0), interface.avg_latency_ms or 0)) if calls else None
    for field, key in [("last_success_at", "last_ok_at"), ("last_failure_at", "last_fail_at")]:
        if metrics.get(key):
            setattr(interface, field, metrics[key])
    if metrics.get("last_error"):
        interface.last_error = metrics["last_error"]
    interface.outbox_pending = (backlog or {}).get("pending", 0)
    interface.outbox_oldest_pending_at = (backlog or {}).get("oldest")
    interface.outbox_dead = (backlog or {}).get("dead", 0)
    age = (checked_at - interface.outbox_oldest_pending_at).total_seconds() if interface.outbox_oldest_pending_at \
        else None
    verdict = evaluate_interface(calls=calls, failures=interface.window_failures,
                                 avg_latency_ms=interface.avg_latency_ms, backlog_age_seconds=age,
                                 previous=interface.status)
    interface.status = verdict.status
    if verdict.reasons or verdict.status == InterfaceStatus.NORMAL:
        interface.status_reason = "；".join(verdict.reasons)[:255]
    interface.checked_at = checked_at
    interface.save()
    key = interface_target_key(interface)
    if interface.status in {InterfaceStatus.DEGRADED, InterfaceStatus.DOWN}:
        summary = f"{interface.get_status_display()}：{interface.status_reason}"
        incident_raise(kind=IncidentKind.INTERFACE, target_key=key, target_label=_("接口 %(n)s") % {"n": interface.label},
                       summary=summary, recipients=list(interface.maintainers.all()))
    elif interface.status == InterfaceStatus.NORMAL:
        incident_resolve(target_key=key)


# --- front-end processor databases (PORTAL-7.10) ----------------------------------------------


def processor_connect(processor: FrontEndProcessor, *, application_name: str = "hlj-monitoring",
                      statement_timeout_ms: int | None = None):
    """A psycopg2 connection to the processor's database (short connect timeout, bounded statements)."""
    timeout_ms = statement_timeout_ms or processor.connect_timeout_seconds * 1000
    return psycopg2.connect(host=processor.host, port=processor.port, dbname=processor.database,
                            user=processor.username, password=processor.password,
                            connect_timeout=max(2, processor.connect_timeout_seconds),
                            application_name=application_name, options=f"-c statement_timeout={timeout_ms}")


def processor_check(processor: FrontEndProcessor) -> FrontEndProcessor:
    """Really connect (psycopg2, short connect timeout) and run SELECT 1; record normal/failed with the
    error, open or close the processor's incident."""
    started = time.perf_counter()
    error = ""
    try:
        connection = processor_connect(processor)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        finally:
            connection.close()
    except psycopg2.Error as exc:
        error = (str(exc).strip() or type(exc).__name__)[:2000]
    now = timezone.now()
    processor.last_checked_at = now
    processor.last_latency_ms = int((time.perf_counter() - started) * 1000)
    if error:
        processor.status, processor.last_error = ProcessorStatus.FAILED, error
    else:
        processor.status, processor.last_error, processor.last_success_at = ProcessorStatus.NORMAL, "", now
    processor.save(update_fields=["last_checked_at", "last_latency_ms", "status", "last_error", "last_success_at"])
    key = processor_target_key(processor)
    if error:
        first_line = error.splitlines()[0][:200]
        incident_raise(kind=IncidentKind.PROCESSOR, target_key=key,
                       target_label=_("前置机 %(n)s") % {"n": processor.name},
                       summary=_("数据库连接失败：%(e)s") % {"e": first_line},
                       recipients=[m for m in processor.maintainers.all() if m.is_active])
    else:
        incident_resolve(target_key=key)
    return processor


def processors_check() -> dict[str, int]:
    counts = {ProcessorStatus.NORMAL: 0, ProcessorStatus.FAILED: 0}
    for processor in FrontEndProcessor.objects.filter(is_enabled=True).prefetch_related(_ACTIVE_MAINTAINERS):
        counts[processor_check(processor).status] += 1
    return {str(k): v for k, v in counts.items()}


# --- scheduled statistics tasks (PORTAL-7.11) --------------------------------------------------


@dataclass
class ScheduledTaskState:
    task: object                       # django_celery_beat PeriodicTask
    run: ScheduledTaskRun | None
    next_due_at: datetime | None
    overdue: bool
    failed: bool

    @property
    def problem(self) -> str:
        if self.failed:
            return _("最近一次运行失败：%(e)s") % {"e": (self.run.last_error or "")[:200]}
        if self.overdue:
            return _("已超过应运行时间仍未运行（应于 %(t)s 运行）") % {
                "t": timezone.localtime(self.next_due_at).strftime("%Y-%m-%d %H:%M")}
        return ""


def scheduled_task_states(tasks, now: datetime | None = None) -> list[ScheduledTaskState]:
    """The state of each PeriodicTask given: its last run result (one query for all) and whether its
    next run is overdue by more than MONITORING_TASK_OVERDUE_GRACE_SECONDS."""
    now = now or timezone.now()
    tasks = list(tasks)
    runs = {r.periodic_task_name: r for r in ScheduledTaskRun.objects.filter(
        periodic_task_name__in=[t.name for t in tasks])}
    grace = timedelta(seconds=settings.MONITORING_TASK_OVERDUE_GRACE_SECONDS)
    states = []
    for task in tasks:
        run = runs.get(task.name)
        next_due = _next_due(task, now)
        overdue = bool(task.enabled and next_due is not None and now > next_due + grace)
        failed = bool(run and run.last_status == "failure")
        states.append(ScheduledTaskState(task=task, run=run, next_due_at=next_due, overdue=overdue, failed=failed))
    return states


def _next_due(task, now: datetime) -> datetime | None:
    if task.one_off or task.last_run_at is None:
        return None
    try:
        return now + task.schedule.remaining_estimate(task.last_run_at)
    except Exception:  # noqa: BLE001 — an odd schedule (solar, clocked) is shown, not judged
        return None


def scheduled_tasks_check(now: datetime | None = None) -> int:
    """Open an incident for each enabled beat entry whose last run failed or that is overdue; close it
    once the entry runs successfully again. Returns the number of entries with a problem."""
    from django_celery_beat.models import PeriodicTask

    tasks = PeriodicTask.objects.filter(enabled=True).select_related("interval", "crontab", "solar", "clocked")
    problems = 0
    for state in scheduled_task_states(tasks, now):
        key = f"task:{state.task.name}"
        if state.problem:
            problems += 1
            incident_raise(kind=IncidentKind.TASK, target_key=key,
                           target_label=_("定时任务 %(n)s") % {"n": state.task.name}, summary=state.problem)
        else:
            incident_resolve(target_key=key)
    return problems
