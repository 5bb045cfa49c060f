"""R11: many bookers at once on the last places — never overbooked, each loser told "full".

The races run through the public path (decision 0405): the Redis gate admits or refuses each
request at once, then the persister (run for real, kicked inline by Celery's eager mode and drained
again at the end) writes the admitted ones with the exact PostgreSQL checks. One race also runs the
synchronous `appointment_book` (staff, hall and Redis-down path)."""
from __future__ import annotations

import contextlib
import threading
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.acceptance.models import (
    Appointment,
    BookingRequest,
    BookingRequestState,
    MatterGroup,
    MatterGroupQuota,
    MatterGroupUsage,
    Slot,
)
from apps.acceptance.services import booking_queue
from apps.acceptance.services.booking import SlotFull, appointment_book
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.booking_queue_support import counter
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory


@pytest.fixture
def rush(orgs):
    """Build the contested slots: `rush(capacities, group_quota=None)` → slots of one matter each,
    tomorrow 08:00-09:00 in one hall; with a quota, the matters form one matter group limited to it."""
    hall = f.hall(orgs["harbin_dept"])
    day = timezone.localdate() + timedelta(days=1)

    def build(capacities: list[int], group_quota: int | None = None) -> list[Slot]:
        matters = [f.bookable(hall, f"事项{n}") for n in range(len(capacities))]
        slots = [f.slot(m, day, capacity=c) for m, c in zip(matters, capacities)]
        if group_quota is not None:
            group = MatterGroup.objects.create(hall=hall, name="综合窗口")
            group.members.add(*matters)
            MatterGroupQuota.objects.create(group=group, period_start=time(8), period_end=time(9), quota=group_quota)
        return slots

    return build


def _race(slots, bookers: int, pool: int | None = None, queued: bool = True) -> list[str]:
    """`bookers` threads released at once by a barrier, booker n on slots[n % len(slots)], each a
    distinct applicant. With `pool`, at most that many hold a database connection at once (the way
    requests queue for an app-server worker). Through the queue (default) the persister is then run
    until the queue is empty and each admitted request's decision replaces its "queued" outcome.
    Returns one outcome per booker: "ok", "full:<message>", "other:<message>" or "error:<exception>"."""
    user = UserFactory(username="racer", kind=UserKind.NATURAL_PERSON)
    barrier = threading.Barrier(bookers)
    gate = threading.BoundedSemaphore(pool) if pool else contextlib.nullcontext()
    results: list[str] = []
    lock = threading.Lock()

    def book(n: int) -> None:
        outcome = "not run"
        try:
            barrier.wait()
            with gate:
                try:
                    if queued:
                        ticket = booking_queue.booking_request_submit(slot_id=slots[n % len(slots)].pk, actor=user,
                                                                      **f.booker(n + 1))
                        outcome = "queued:" + ticket.request_id
                    else:
                        appointment_book(slot=slots[n % len(slots)], actor=user, **f.booker(n + 1), notify=False)
                        outcome = "ok"
                finally:
                    connection.close()
        except SlotFull as exc:
            outcome = "full:" + exc.messages[0]
        except ValidationError as exc:
            outcome = "other:" + "; ".join(exc.messages)
        except Exception as exc:  # noqa: BLE001
            outcome = f"error:{exc!r}"
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=book, args=(n,)) for n in range(bookers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == bookers
    if queued:
        results = _decided(results)
    return results


def _decided(results: list[str]) -> list[str]:
    """Drain the queue with the real persister; every admitted request must be confirmed (the gate
    admitted exactly the places there were)."""
    booking_queue.booking_queue_drain()
    decisions = dict(BookingRequest.objects.values_list("request_id", "state"))
    out = []
    for outcome in results:
        if outcome.startswith("queued:"):
            state = decisions.get(outcome.split(":", 1)[1])
            outcome = "ok" if state == BookingRequestState.CONFIRMED else f"error:persisted as {state}"
        out.append(outcome)
    return out


def _refused_as_full(results: list[str]) -> bool:
    return all(r.startswith("full:") and "约满" in r for r in results if r != "ok")


@pytest.mark.spec("ACC-4.2", "ACC-4.3")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("queued", [True, False], ids=["queue", "synchronous"])
def test_forty_bookers_race_for_the_last_three_places(rush, gate, queued):
    [slot] = rush([10])
    Slot.objects.filter(pk=slot.pk).update(booked_count=7)
    results = _race([slot], 40, queued=queued)
    assert results.count("ok") == 3
    assert _refused_as_full(results), set(results)
    slot.refresh_from_db()
    assert slot.booked_count == 10 and Appointment.objects.count() == 3
    if queued:
        assert counter(gate, slot.pk) == {"taken": 10, "pending": 0}


@pytest.mark.spec("ACC-4.2", "ACC-5.8")
@pytest.mark.django_db(transaction=True)
def test_group_quota_holds_under_a_race_across_three_matters(rush, gate):
    slots = rush([20, 20, 20], group_quota=40)
    results = _race(slots, 60)
    assert results.count("ok") == 40, set(results)
    assert _refused_as_full(results), set(results)
    counts = [Slot.objects.get(pk=s.pk).booked_count for s in slots]
    assert sum(counts) == 40 and max(counts) <= 20
    assert MatterGroupUsage.objects.get().booked_count == 40
    assert Appointment.objects.count() == 40


def _max_parallel_connections() -> int:
    """How many of the race's bookers may hold a database connection at once: what the server
    allows minus a margin for the test's own and the suite's connections."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        allowed = int(cursor.fetchone()[0])
    return max(10, min(200, allowed - 20))


@pytest.mark.spec("ACC-4.2", "ACC-4.3", "ACC-5.8")
@pytest.mark.django_db(transaction=True)
def test_five_hundred_bookers_on_forty_places_with_a_group_quota_get_exactly_forty(rush, gate):
    """500 bookers released at once onto slots of three matters (A: 40 places, B and C: 20 each) whose
    matter group allows 40 per period, queueing for a database connection (pool of
    `_max_parallel_connections()`); the Redis gate admits exactly 40 and tells the 460 others "约满"
    at once, and the persister, re-checking every admitted request against the rows, confirms all 40:
    exactly 40 bookings, never 41."""
    slots = rush([40, 20, 20], group_quota=40)
    results = _race(slots, 500, pool=_max_parallel_connections())
    assert results.count("ok") == 40, sorted(set(results))
    refused = [r for r in results if r != "ok"]
    assert len(refused) == 460 and _refused_as_full(refused), set(refused)
    counts = [Slot.objects.get(pk=s.pk).booked_count for s in slots]
    assert sum(counts) == 40 and counts[0] <= 40 and counts[1] <= 20 and counts[2] <= 20
    assert MatterGroupUsage.objects.get().booked_count == 40
    assert Appointment.objects.count() == 40
    assert Appointment.objects.values("id_number_digest").distinct().count() == 40
    assert BookingRequest.objects.filter(state=BookingRequestState.CONFIRMED).count() == 40
    assert BookingRequest.objects.count() == 40          # the 460 others were refused by the gate alone
