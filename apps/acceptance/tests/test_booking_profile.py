"""What ONE queued booking admission costs, through the real API URL, real Redis (docs/acceptance-bench.md).

Run with `-s` to see the cProfile top and the per-phase breakdown. Asserted, so that a regression
fails here and not only in the bench: a warm admission (slot counters already seeded) runs NO SQL
statement and a fixed, small number of Redis round trips, and never publishes a Celery message
(the persister kick is debounced in Redis); the first hit on a slot (seeding) costs a fixed number
of statements, and a pre-seeded slot (`booking_gate.seed_slots`, the bench's warm-up) costs none.
"""
from __future__ import annotations

import cProfile
import io
import pstats
import time
from datetime import time as clock

import pytest
import redis.connection
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.acceptance.services import booking_gate, booking_queue
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.booking_queue_support import next_working_day
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

URL = "/api/v1/acceptance/booking-requests/"


class RoundTrips:
    """Counts Redis round trips (one per command, one per pipeline) made by any redis-py client."""

    def __init__(self, monkeypatch):
        self.count = 0
        original = redis.connection.AbstractConnection.send_packed_command

        def counted(conn, command, check_health=True):
            self.count += 1
            return original(conn, command, check_health)

        monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counted)


@pytest.fixture
def slots(orgs):
    hall = f.hall(orgs["harbin_dept"])
    matter = f.bookable(hall)
    day = next_working_day(2)
    return [f.slot(matter, day, start=clock(h), end=clock(h + 1), capacity=1000) for h in (8, 9, 10, 14)]


@pytest.fixture
def api(db):
    user = UserFactory(username="profiled_booker", kind=UserKind.NATURAL_PERSON)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def kicks(monkeypatch):
    """Records every Celery publish of the persister task instead of sending it."""
    from apps.acceptance import tasks

    sent = []
    monkeypatch.setattr(tasks.booking_persist, "apply_async", lambda *a, **k: sent.append(k))
    monkeypatch.setattr(tasks.booking_persist, "delay", lambda *a, **k: sent.append(k))
    return sent


def _post(api, slot_id: int, n: int):
    return api.post(URL, {"slot": slot_id, "channel": "app", **f.booker(n)}, format="json")


def _profile(call, rounds: int, label: str):
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(rounds):
        call(n)
    per_request_ms = (time.perf_counter() - started) * 1000 / rounds
    cpu_ms = (time.process_time() - cpu) * 1000 / rounds
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(rounds):
        call(rounds + n)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"apps/|rest_framework/views|handlers/base|middleware|redis/client", 40)
    stats.sort_stats("tottime").print_stats(20)
    print(f"\n=== {label}: {per_request_ms:.2f} ms wall, {cpu_ms:.2f} ms CPU of this process per request "
          f"(cProfile off) ===\n{out.getvalue()}")
    return per_request_ms


@pytest.mark.spec("ACC-4.1", "ACC-4.2")
def test_a_warm_admission_is_no_sql_a_few_redis_round_trips_and_no_broker_publish(slots, api, gate, kicks,
                                                                                  monkeypatch):
    first = _post(api, slots[0].pk, 0)                                        # seeds the slot + blacklist
    assert first.status_code == 202
    # the status URL is built from the request's path, the same as reverse() gives (no reverse map built)
    assert first.json()["status_url"] == reverse("acceptance-booking-request", args=[first.json()["request_id"]])
    assert len(kicks) == 1                                                    # the idle queue was kicked once
    trips = RoundTrips(monkeypatch)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries:
        answers = [_post(api, slots[0].pk, n).status_code for n in range(1, 41)]
    elapsed = time.monotonic() - started
    assert answers == [202] * 40
    assert queries.captured_queries == []
    # per admission: the token (shared cache) + the generations + EVALSHA — at most 3 round trips
    print(f"\n40 warm admissions: {trips.count} Redis round trips, {elapsed * 1000 / 40:.2f} ms each")
    assert trips.count <= 3 * 40, trips.count
    # the kick is debounced in Redis (one per KICK_MS while busy), not one Celery publish per admission
    assert len(kicks) <= 2 + int(elapsed * 1000 / booking_gate.KICK_MS), (len(kicks), elapsed)
    assert len(kicks) < 20
    # every admission is in the stream, exactly once, for the persister
    assert gate.xlen(booking_gate.stream_key()) == 41

    per_request = _profile(lambda n: _post(api, slots[0].pk, 100 + n), 100, "warm admission")
    assert per_request < 50           # generous: a loaded CI box; the breakdown is in docs/acceptance-bench.md


@pytest.mark.spec("ACC-4.1")
def test_the_first_hit_seeds_a_slot_once_and_a_pre_seeded_slot_costs_no_sql(slots, api, gate, kicks):
    with CaptureQueriesContext(connection) as first:
        assert _post(api, slots[1].pk, 1).status_code == 202
    # blacklist + slot (with hall and matter) + group quotas + snapshot + holders, plus day rules
    assert 0 < len(first) <= 12, [q["sql"][:100] for q in first]
    with CaptureQueriesContext(connection) as second:
        assert _post(api, slots[1].pk, 2).status_code == 202
    assert second.captured_queries == []

    # the warm-up a hall runs when it opens its booking window: every slot seeded in a few statements
    with CaptureQueriesContext(connection) as warm_up:
        seeded = booking_gate.seed_slots([s.pk for s in slots[2:]])
    assert seeded == 2 and len(warm_up) <= 8, [q["sql"][:100] for q in warm_up]
    with CaptureQueriesContext(connection) as after:
        assert _post(api, slots[2].pk, 3).status_code == 202
        assert _post(api, slots[3].pk, 4).status_code == 202
    assert after.captured_queries == []
    # seeding again (a second warm-up) keeps what the queue took
    booking_gate.seed_slots([s.pk for s in slots])
    assert int(gate.hget(booking_gate.prefix() + f"s:{slots[1].pk}", "taken")) == 2
    _profile(lambda n: booking_gate.seed_slot(slots[0].pk) or gate.hset(
        booking_gate.prefix() + f"s:{slots[0].pk}", "gen", "stale"), 10, "first hit: seed_slot")
    assert booking_queue.booking_queue_drain(consumer="t")["confirmed"] == 4


@pytest.mark.spec("ACC-4.1")
def test_the_generations_are_read_once_a_second_and_a_newer_counter_refreshes_them(slots, api, gate, kicks,
                                                                                   monkeypatch):
    from apps.acceptance import caching

    reads = []
    original = caching.generations
    monkeypatch.setattr(caching, "generations", lambda: reads.append(1) or original())
    monkeypatch.setattr(booking_gate, "GENERATION_TTL", 60)
    assert _post(api, slots[0].pk, 1).status_code == 202
    first = len(reads)
    assert [_post(api, slots[0].pk, n).status_code for n in range(2, 7)] == [202] * 5
    assert len(reads) == first                        # memoised: no cache read per admission
    # another process seeded the counter under a newer generation: this process refreshes and re-seeds
    key = booking_gate.prefix() + f"s:{slots[0].pk}"
    gate.hset(key, "gen", "newer")
    assert _post(api, slots[0].pk, 7).status_code == 202
    # the memo was refreshed (and the re-seed read the day rules' generations): the counter carries them now
    assert len(reads) > first and gate.hget(key, "gen") == booking_gate.generation(fresh=True)
    assert int(gate.hget(key, "taken")) == 7
