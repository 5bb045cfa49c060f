"""Collection of interface metrics and scheduled-task outcomes (PORTAL-7.11, 7.13; decision 0017).

Interface calls: `apps.core.adapters.http.request` calls `record_call()` after every call that
has an interface name — the outbox peer being delivered (set by `outbox.deliver` through
`current_interface`) or the adapter's explicit `interface=` argument. One pipelined Redis round
trip per call, never a database write, never an exception: monitoring must not slow or break
the call it watches, and a failure recorded in Redis survives the rollback of the caller's
transaction. Per interface and minute a hash counts calls (c), failures (f: network errors,
timeouts, 5xx/408/425/429 — the interface's fault), rejections (r: other 4xx — usually our
data), latency sum (l) and maximum (x); a second hash keeps the last success/failure.

Scheduled tasks: the `task_postrun` signal writes one upsert per run of a beat entry (a task
carrying django-celery-beat's `periodic_task_name` header) into `ScheduledTaskRun`.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone as dt_timezone

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

current_interface: ContextVar[str | None] = ContextVar("current_interface", default=None)

NAMES_KEY = "mon:names"
BUCKET_TTL_SECONDS = 2 * 3600
PAUSE_AFTER_ERROR_SECONDS = 30       # metrics store unreachable: stop trying for a while (no timeout per call)
_clients: dict[str, redis.Redis] = {}
_paused_until = 0.0


def metrics_redis() -> redis.Redis:
    url = settings.MONITORING_REDIS_URL
    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25,
                                                      decode_responses=True)
    return client


@contextmanager
def interface_context(name: str):
    """Calls made inside are counted against interface `name` (used by the outbox around a sender)."""
    token = current_interface.set(name)
    try:
        yield
    finally:
        current_interface.reset(token)


def _bucket_key(name: str, minute: int) -> str:
    return f"mon:m:{name}:{minute}"


def _last_key(name: str) -> str:
    return f"mon:i:{name}"


def record_call(name: str, *, outcome: str, latency_ms: int, error: str = "", now: float | None = None) -> None:
    """Count one call: outcome "ok", "failure" (interface fault) or "rejected" (4xx). Never raises."""
    global _paused_until
    now = time.time() if now is None else now
    if time.monotonic() < _paused_until:
        return
    key = _bucket_key(name, int(now // 60))
    try:
        pipe = metrics_redis().pipeline(transaction=False)
        pipe.sadd(NAMES_KEY, name)
        pipe.hincrby(key, "c", 1)
        if outcome == "failure":
            pipe.hincrby(key, "f", 1)
        elif outcome == "rejected":
            pipe.hincrby(key, "r", 1)
        pipe.hincrby(key, "l", latency_ms)
        pipe.expire(key, BUCKET_TTL_SECONDS)
        if outcome == "failure":
            pipe.hset(_last_key(name), mapping={"fail_at": f"{now:.3f}", "error": error[:500]})
        else:
            pipe.hset(_last_key(name), "ok_at", f"{now:.3f}")
        pipe.execute()
        # the maximum needs the current value; a second command only when this call is slow enough to matter
        if latency_ms >= settings.MONITORING_SLOW_LATENCY_MS:
            _raise_max(key, latency_ms)
    except Exception as exc:  # noqa: BLE001 — Redis down or slow: lose the metric, keep the call
        _paused_until = time.monotonic() + PAUSE_AFTER_ERROR_SECONDS
        logger.warning("Interface metrics paused for %ss (%s not recorded): %s", PAUSE_AFTER_ERROR_SECONDS, name, exc)


_RAISE_MAX = "local v = tonumber(redis.call('HGET', KEYS[1], 'x') or '0'); " \
             "if tonumber(ARGV[1]) > v then redis.call('HSET', KEYS[1], 'x', ARGV[1]) end; return 1"


def _raise_max(key: str, latency_ms: int) -> None:
    metrics_redis().eval(_RAISE_MAX, 1, key, latency_ms)


def _ts(value: str | None) -> datetime | None:
    return datetime.fromtimestamp(float(value), tz=dt_timezone.utc) if value else None


def read_window(*, minutes: int, now: float | None = None) -> dict[str, dict]:
    """Totals of the last `minutes` minutes (the current one included) for every interface seen,
    in two Redis round trips: {name: {calls, failures, rejected, latency_sum, max_latency, last_ok_at, ...}}."""
    now = time.time() if now is None else now
    client = metrics_redis()
    names = sorted(client.smembers(NAMES_KEY))
    current = int(now // 60)
    pipe = client.pipeline(transaction=False)
    for name in names:
        for minute in range(current - minutes + 1, current + 1):
            pipe.hgetall(_bucket_key(name, minute))
        pipe.hgetall(_last_key(name))
    replies = pipe.execute()
    result: dict[str, dict] = {}
    per_name = minutes + 1
    for index, name in enumerate(names):
        chunk = replies[index * per_name:(index + 1) * per_name]
        buckets, last = chunk[:-1], chunk[-1]
        result[name] = {
            "calls": sum(int(b.get("c", 0)) for b in buckets),
            "failures": sum(int(b.get("f", 0)) for b in buckets),
            "rejected": sum(int(b.get("r", 0)) for b in buckets),
            "latency_sum": sum(int(b.get("l", 0)) for b in buckets),
            "max_latency": max([int(b.get("x", 0)) for b in buckets] or [0]),
            "last_ok_at": _ts(last.get("ok_at")),
            "last_fail_at": _ts(last.get("fail_at")),
            "last_error": last.get("error", ""),
        }
    return result


# --- scheduled task outcomes (PORTAL-7.11) ------------------------------------------------

_UPSERT = """
INSERT INTO core_scheduledtaskrun (periodic_task_name, task, last_started_at, last_finished_at, last_status,
    last_error, last_duration_ms, last_succeeded_at, last_failed_at, run_count, failure_count)
VALUES (%(name)s, %(task)s, %(started)s, %(finished)s, %(status)s, %(error)s, %(duration)s,
    %(succeeded)s, %(failed)s, 1, %(failure)s)
ON CONFLICT (periodic_task_name) DO UPDATE SET
    task = EXCLUDED.task, last_started_at = EXCLUDED.last_started_at, last_finished_at = EXCLUDED.last_finished_at,
    last_status = EXCLUDED.last_status, last_duration_ms = EXCLUDED.last_duration_ms,
    last_error = CASE WHEN EXCLUDED.last_status = 'failure' THEN EXCLUDED.last_error
                      ELSE core_scheduledtaskrun.last_error END,
    last_succeeded_at = COALESCE(EXCLUDED.last_succeeded_at, core_scheduledtaskrun.last_succeeded_at),
    last_failed_at = COALESCE(EXCLUDED.last_failed_at, core_scheduledtaskrun.last_failed_at),
    run_count = core_scheduledtaskrun.run_count + 1,
    failure_count = core_scheduledtaskrun.failure_count + EXCLUDED.failure_count
"""
_started: dict[str, float] = {}


def periodic_task_name(task) -> str | None:
    request = getattr(task, "request", None)
    if request is None:
        return None
    name = getattr(request, "periodic_task_name", None)
    if not name:
        name = (getattr(request, "headers", None) or {}).get("periodic_task_name")
    return name or None


def on_task_prerun(sender=None, task_id=None, task=None, **kwargs) -> None:
    if task is not None and periodic_task_name(task):
        _started[task_id] = time.time()


def on_task_postrun(sender=None, task_id=None, task=None, retval=None, state=None, **kwargs) -> None:
    """One upsert per run of a beat entry; a monitoring failure is logged, never raised."""
    name = periodic_task_name(task) if task is not None else None
    if not name or state not in {"SUCCESS", "FAILURE"}:
        _started.pop(task_id, None)
        return
    finished = time.time()
    started = _started.pop(task_id, finished)
    failed = state == "FAILURE"
    record_task_run(name=name, task=task.name, started=started, finished=finished, failed=failed,
                    error=f"{type(retval).__name__}: {retval}" if failed else "")


def record_task_run(*, name: str, task: str, started: float, finished: float, failed: bool, error: str = "") -> None:
    from django.db import connection, transaction

    finished_at, started_at = _ts(f"{finished}"), _ts(f"{started}")
    params = {"name": name[:200], "task": task[:200], "started": started_at, "finished": finished_at,
              "status": "failure" if failed else "success", "error": error[:2000],
              "duration": int((finished - started) * 1000), "succeeded": None if failed else finished_at,
              "failed": finished_at if failed else None, "failure": 1 if failed else 0}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_UPSERT, params)
    except Exception:  # noqa: BLE001
        logger.exception("Outcome of scheduled task %s not recorded.", name)
