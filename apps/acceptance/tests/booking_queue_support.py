"""Fixtures and helpers for the tests of the queued booking path (real Redis from bin/devstack.py)."""
from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from apps.acceptance.services import booking_gate
from apps.core.calendar import is_working_day


def next_working_day(after: int = 1):
    day = timezone.localdate() + timedelta(days=after)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _flush(c) -> None:
    for key in c.scan_iter(match=booking_gate.prefix() + "*", count=500):
        c.delete(key)


@pytest.fixture
def gate(db, monkeypatch):
    """The gate's Redis, emptied of this test database's keys before and after the test."""
    try:
        redis.Redis.from_url(booking_gate.redis_url(), socket_connect_timeout=2).ping()
    except redis.RedisError as exc:  # pragma: no cover - devstack always provides Redis
        pytest.fail(f"the booking queue tests need Redis at {settings.REDIS_URL}: {exc}")
    booking_gate.reset_outage()
    # tests change the configuration and book at once in one process: no generation memo (decision 0411)
    monkeypatch.setattr(booking_gate, "GENERATION_TTL", 0)
    booking_gate.forget_generation()
    c = booking_gate.client()
    _flush(c)
    yield c
    _flush(c)
    booking_gate.reset_outage()


@pytest.fixture
def no_kick(monkeypatch):
    """Admissions don't start the persister (the test drains the queue itself, for real)."""
    from apps.acceptance.services import booking_queue

    monkeypatch.setattr(booking_queue, "kick_persister", lambda: None)


def counter(c, slot_id: int) -> dict:
    key = booking_gate.prefix() + f"s:{slot_id}"
    return {"taken": int(c.hget(key, "taken") or 0), "pending": c.scard(key + ":p")}
