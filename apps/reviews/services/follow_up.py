"""Queue the heavy work after an intake commit: ONE Celery message per batch (decision 0609).

The message runs `reviews.aggregate_pending`, which claims every unaggregated evaluation, counts
it, runs the on-event quality rules on the claimed rows and refreshes the overview snapshots that
are due. The beat entry runs the same task every minute, so an evaluation whose message was never
sent (broker down) is counted and checked by the next sweep — it is committed before we try.

Sending fails fast: no kombu connection retries (the broker's connect and socket timeouts bound a
single attempt), and after a failure this process does not try the same broker again for `PAUSE_SECONDS` — uploads
during a Redis outage cost no broker round trip at all.
"""
from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)
PAUSE_SECONDS = 10.0
_broker: dict = {"url": None, "down_until": 0.0}


def follow_up_enqueue(count: int) -> bool:
    """Queue the sweep for `count` committed evaluations; False when the broker is (known) down."""
    from apps.reviews.tasks import aggregate_pending

    url = aggregate_pending.app.conf.broker_url
    if _broker["url"] == url and time.monotonic() < _broker["down_until"]:
        return False
    options = {"queue": "sync", "retry": False}
    try:
        if aggregate_pending.app.conf.task_always_eager:
            aggregate_pending.apply_async(**options)
            return True
        with aggregate_pending.app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=0)
            aggregate_pending.apply_async(producer=producer, **options)
    except Exception as exc:  # noqa: BLE001 — any broker error: the beat sweep catches up
        _broker.update(url=url, down_until=time.monotonic() + PAUSE_SECONDS)
        logger.warning("reviews: follow-up for %s evaluations not queued (%s); the beat sweep catches up.",
                       count, exc)
        return False
    return True


def follow_up_reset() -> None:
    """Forget a remembered broker failure (tests, or an operator after a fix)."""
    _broker.update(url=None, down_until=0.0)
