"""R11: many bookers at once on the last places — never overbooked, each loser told "full"."""
from __future__ import annotations

import contextlib
import threading
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from apps.acceptance.models import Appointment, MatterGroup, MatterGroupQuota, MatterGroupUsage, Slot
from apps.acceptance.services.booking import SlotFull, appointment_book
from apps.acceptance.tests import factories as f
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


def _race(slots, bookers: int, pool: int | None = None) -> list[str]:
    """`bookers` threads released at once by a barrier, booker n on slots[n % len(slots)], each a
    distinct applicant. With `pool`, at most that many hold a database connection at once (the way
    requests queue for an app-server worker). Returns one outcome per booker: "ok", "full:<message>",
    "other:<message>" or "error:<exception>"."""
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
    return results


def _refused_as_full(results: list[str]) -> bool:
    return all(r.startswith("full:") and "约满" in r for r in results if r != "ok")


@pytest.mark.spec("ACC-4.2", "ACC-4.3")
@pytest.mark.django_db(transaction=True)
def test_forty_bookers_race_for_the_last_three_places(rush):
    [slot] = rush([10])
    Slot.objects.filter(pk=slot.pk).update(booked_count=7)
    results = _race([slot], 40)
    assert results.count("ok") == 3
    assert _refused_as_full(results), set(results)
    slot.refresh_from_db()
    assert slot.booked_count == 10 and Appointment.objects.count() == 3


@pytest.mark.spec("ACC-4.2", "ACC-5.8")
@pytest.mark.django_db(transaction=True)
def test_group_quota_holds_under_a_race_across_three_matters(rush):
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
def test_five_hundred_bookers_on_forty_places_with_a_group_quota_get_exactly_forty(rush):
    """500 bookers released at once onto slots of three matters (A: 40 places, B and C: 20 each) whose
    matter group allows 40 per period, queueing for a database connection (pool of
    `_max_parallel_connections()`); the rows settle the contest: exactly 40 bookings, never 41, and
    every one of the 460 others a clear "full"."""
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
