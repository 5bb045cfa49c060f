"""One slot listing and one booking over the API, profiled: what each costs in queries and time.

Run with `-s` to see the cProfile top of each request. The query counts are asserted so that a
regression (a query per day shown, a lookup moved into the locked part of the booking) fails here."""
from __future__ import annotations

import cProfile
import io
import pstats
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.acceptance.models import CalendarLabel, CalendarLabelKind, Slot
from apps.acceptance.services.calendar import calendar_label_apply
from apps.acceptance.tests import factories as f
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

PERIODS = (8, 9, 10, 14)


def _profiled(call):
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        response = call()
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())
    return response, [q["sql"] for q in queries]


@pytest.fixture
def fortnight(orgs):
    """A matter with 4 periods on each of the next 14 days (56 slots)."""
    hall = f.hall(orgs["harbin_dept"])
    matter = f.bookable(hall)
    first = timezone.localdate() + timedelta(days=1)
    slots = [f.slot(matter, first + timedelta(days=d), start=time(h), end=time(h + 1))
             for d in range(14) for h in PERIODS]
    return matter, slots


def _listing(client, matter):
    return client.get(f"/api/v1/acceptance/bookable-matters/{matter.pk}/slots/")


@pytest.mark.spec("ACC-1.2", "ACC-4.1")
@pytest.mark.django_db
def test_slot_listing_reads_the_calendar_once_and_then_serves_from_the_cache(fortnight, staff):
    matter, slots = fortnight
    client = APIClient()
    with CaptureQueriesContext(connection) as cold:
        first = _listing(client, matter)
    assert first.status_code == 200
    # matter + labels + builtin labels + the kernel calendar for the whole range + slots: 5, whatever the span
    assert len(cold) == 5, [q["sql"][:120] for q in cold]
    assert sum("core_calendarday" in q["sql"] for q in cold) == 1
    response, queries = _profiled(lambda: _listing(client, matter))
    assert response.json() == first.json() and queries == []          # warm: no query at all

    # a booking is visible on the next listing (the booking drops its matter's listing)
    user = UserFactory(username="booker", kind=UserKind.NATURAL_PERSON)
    client.force_authenticate(user)
    assert client.post("/api/v1/acceptance/appointments/",
                       {"slot": slots[0].pk, "channel": "app", **f.booker(1)}, format="json").status_code == 201
    row = next(r for r in _listing(client, matter).json() if r["id"] == slots[0].pk)
    assert row["booked_count"] == 1

    # a "no booking" label on a day takes that day out of the listing at once
    label = CalendarLabel.objects.create(name="系统维护", kind=CalendarLabelKind.NO_BOOKING)
    calendar_label_apply(label=label, dates=[slots[4].date], actor=f.manager(matter.hall.organisation, "mgr"))
    dates = {r["date"] for r in _listing(client, matter).json()}
    assert f"{slots[4].date:%Y-%m-%d}" not in dates and f"{slots[0].date:%Y-%m-%d}" in dates


@pytest.mark.spec("ACC-4.1", "ACC-4.2")
@pytest.mark.django_db
def test_one_booking_takes_the_counter_rows_last_in_a_short_transaction(fortnight, sms_simulator):
    _matter, slots = fortnight
    user = UserFactory(username="booker", kind=UserKind.NATURAL_PERSON)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    warm = client.post("/api/v1/acceptance/appointments/", {"slot": slots[4].pk, "channel": "app", **f.booker(2)},
                       format="json")
    assert warm.status_code == 201
    body = {"slot": slots[5].pk, "channel": "app", **f.booker(1)}
    response, queries = _profiled(lambda: client.post("/api/v1/acceptance/appointments/", body, format="json"))
    assert response.status_code == 201, response.json()
    statements = [q for q in queries if not q.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(statements) <= 16, statements
    # the day rules come from the cache (the warm-up booking read them): no calendar query
    assert not any("acceptance_calendarlabel" in q or "core_calendarday" in q for q in statements)
    take = next(i for i, q in enumerate(statements) if q.startswith("UPDATE acceptance_slot"))
    # after the slot counter only the commit follows: appointment, history and SMS were written before
    assert take == len(statements) - 1, statements[take:]
    assert Slot.objects.get(pk=slots[5].pk).booked_count == 1


@pytest.mark.spec("ACC-4.1", "ACC-4.2")
def test_a_queued_booking_request_costs_the_token_lookup_and_nothing_else(fortnight, gate, no_kick):
    """The public booking path (decision 0405): after the first request seeded the gate, an admitted
    request and a refused one run no SQL at all — the token comes from the shared cache (decision
    0009) and the database work happens in the persister, off the request path."""
    _matter, slots = fortnight
    Slot.objects.filter(pk=slots[6].pk).update(capacity=2)
    Slot.objects.get(pk=slots[6].pk).save()                       # configuration generation: re-seed
    user = UserFactory(username="booker", kind=UserKind.NATURAL_PERSON)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = "/api/v1/acceptance/booking-requests/"
    assert client.post(url, {"slot": slots[6].pk, **f.booker(1)}, format="json").status_code == 202
    response, queries = _profiled(lambda: client.post(url, {"slot": slots[6].pk, **f.booker(2)}, format="json"))
    assert response.status_code == 202 and queries == [], queries
    response, queries = _profiled(lambda: client.post(url, {"slot": slots[6].pk, **f.booker(3)}, format="json"))
    assert response.status_code == 409 and queries == [], queries
