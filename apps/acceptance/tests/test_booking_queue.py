"""The queued booking path (decision 0405): Redis admission, 202 + polling, the persister, crashes,
the Redis-down fallback. Real Redis, real PostgreSQL, the persister run for real."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apps.acceptance.models import (
    Appointment,
    BlacklistRule,
    BookingRequest,
    MatterGroup,
    MatterGroupQuota,
    Slot,
)
from apps.acceptance.services import booking_gate, booking_queue
from apps.acceptance.services.booking import (
    appointment_book,
    appointment_cancel,
    blacklist_evaluate,
)
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.booking_queue_support import counter, next_working_day
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory

URL = "/api/v1/acceptance/booking-requests/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs):
    hall = f.hall(orgs["harbin_dept"])
    matter = f.bookable(hall)
    slot = f.slot(matter, next_working_day(), capacity=2)
    citizens = [UserFactory(username=f"citizen{n}", kind=UserKind.NATURAL_PERSON) for n in range(3)]
    return {"hall": hall, "matter": matter, "slot": slot, "citizens": citizens}


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _post(client, slot, n, **extra):
    return client.post(URL, {"slot": slot.pk, "channel": "app", **f.booker(n), **extra}, format="json")


@pytest.mark.spec("ACC-4.1", "ACC-4.2")
def test_a_request_is_queued_at_once_and_confirmed_by_the_persister(world, gate, no_kick, sms_simulator):
    client = _client(world["citizens"][0])
    with CaptureQueriesContext(connection) as queries:
        first = _post(client, world["slot"], 1)          # cold: seeds the counters from PostgreSQL
    assert first.status_code == 202, first.content
    body = first.json()
    assert body["state"] == "queued" and body["state_label"] == "排队确认中" and body["appointment"] is None
    assert queries.captured_queries and not any(q["sql"].startswith(("INSERT", "UPDATE"))
                                                for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        second = _post(client, world["slot"], 2)          # warm: Redis only
    assert second.status_code == 202 and len(queries) == 0, [q["sql"] for q in queries.captured_queries]
    assert Appointment.objects.count() == 0                # nothing written on the request path

    status = client.get(body["status_url"])
    assert status.status_code == 200 and status.json()["state"] == "queued"

    totals = booking_queue.booking_queue_drain()
    assert totals["confirmed"] == 2 and totals["batches"] == 1
    done = client.get(body["status_url"]).json()
    assert done["state"] == "confirmed" and done["state_label"] == "预约成功"
    appointment = Appointment.objects.get(appointment_number=done["appointment"]["appointment_number"])
    assert appointment.user == world["citizens"][0] and appointment.channel == "app"
    assert appointment.id_number == f.booker(1)["id_number"]           # carried encrypted through Redis
    assert Slot.objects.get(pk=world["slot"].pk).booked_count == 2
    assert counter(gate, world["slot"].pk) == {"taken": 2, "pending": 0}
    assert gate.xlen(booking_gate.stream_key()) == 0                   # acked and deleted


@pytest.mark.spec("ACC-4.2", "ACC-4.3")
def test_full_is_answered_by_redis_without_touching_the_database(world, gate, no_kick):
    client = _client(world["citizens"][0])
    assert _post(client, world["slot"], 1).status_code == 202
    assert _post(client, world["slot"], 2).status_code == 202
    with CaptureQueriesContext(connection) as queries:
        full = _post(client, world["slot"], 3)
    assert full.status_code == 409 and "约满" in full.json()["message"] and full.json()["code"] == "full"
    assert len(queries) == 0
    duplicate = _post(client, world["slot"], 1)
    assert duplicate.status_code == 400 and "重复预约" in str(duplicate.json())
    assert gate.xlen(booking_gate.stream_key()) == 2 and BookingRequest.objects.count() == 0


@pytest.mark.spec("ACC-4.2", "ACC-5.8")
def test_the_group_quota_is_taken_together_with_the_slot(orgs, gate, no_kick):
    hall = f.hall(orgs["harbin_dept"])
    matters = [f.bookable(hall, f"事项{n}") for n in range(2)]
    day = next_working_day()
    slots = [f.slot(m, day, capacity=5) for m in matters]
    group = MatterGroup.objects.create(hall=hall, name="综合窗口")
    group.members.add(*matters)
    MatterGroupQuota.objects.create(group=group, period_start=slots[0].period_start,
                                    period_end=slots[0].period_end, quota=3)
    client = _client(UserFactory(username="c", kind=UserKind.NATURAL_PERSON))
    answers = [_post(client, slots[n % 2], n + 1).status_code for n in range(3)]
    refused = _post(client, slots[1], 9)
    assert answers == [202, 202, 202]
    assert refused.status_code == 409 and "事项组" in refused.json()["message"] and refused.json()["code"] == "group_full"
    booking_queue.booking_queue_drain()
    assert Appointment.objects.count() == 3 and sum(Slot.objects.values_list("booked_count", flat=True)) == 3


def test_bad_input_and_unknown_slots_are_refused_with_nothing_queued(world, gate, no_kick):
    client = _client(world["citizens"][0])
    bad = client.post(URL, {"slot": world["slot"].pk, "booker_name": "x", "mobile_number": "123",
                            "id_number": "bad"}, format="json")
    assert bad.status_code == 400
    assert _post(client, Slot(pk=987654), 1).status_code == 404
    assert _client().post(URL, {"slot": world["slot"].pk, **f.booker(1)}, format="json").status_code in (401, 403)
    assert not gate.exists(booking_gate.stream_key()) or gate.xlen(booking_gate.stream_key()) == 0
    assert Appointment.objects.count() == 0 and BookingRequest.objects.count() == 0


def test_only_the_owner_sees_a_request(world, gate, no_kick):
    queued = _post(_client(world["citizens"][0]), world["slot"], 1).json()
    assert _client(world["citizens"][1]).get(queued["status_url"]).status_code == 404
    assert _client().get(queued["status_url"]).status_code in (401, 403)
    booking_queue.booking_queue_drain()
    assert _client(world["citizens"][1]).get(queued["status_url"]).status_code == 404
    assert _client(world["citizens"][0]).get(queued["status_url"]).json()["state"] == "confirmed"


@pytest.mark.spec("ACC-1.5", "ACC-4.2")
def test_a_blacklisted_booker_is_refused_by_the_gate(world, gate, no_kick, django_capture_on_commit_callbacks):
    """The gate's blacklist is seeded at the first request; an entry the nightly rules add later
    reaches it after commit, so the next request of that booker is refused without a database query."""
    client = _client(world["citizens"][0])
    assert _post(client, world["slot"], 1).status_code == 202         # seeds the (empty) blacklist
    missed = appointment_book(slot=world["slot"], actor=world["citizens"][1], **f.booker(2), notify=False)
    Appointment.objects.filter(pk=missed.pk).update(status="no_show", date=timezone.localdate() - timedelta(days=1))
    BlacklistRule.objects.create(name="失约一次", no_show_period="rolling_days", no_show_period_days=30,
                                 no_show_count=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert blacklist_evaluate(id_number_digest=missed.id_number_digest) is not None
    with CaptureQueriesContext(connection) as queries:
        barred = _post(client, world["slot"], 2)
    assert barred.status_code == 400 and "黑名单" in str(barred.json()) and len(queries) == 0
    assert gate.xlen(booking_gate.stream_key()) == 1


def test_the_database_stays_the_final_truth_when_the_gate_is_stale(world, gate, no_kick):
    """The gate admitted a request for a place the database no longer has (its counter was seeded
    before a write that bypassed it): the persister refuses it with the clear reason and gives the
    gate's place back."""
    client = _client(world["citizens"][0])
    assert _post(client, world["slot"], 1).status_code == 202
    Slot.objects.filter(pk=world["slot"].pk).update(booked_count=2)        # bypasses services and the gate
    late = _post(client, world["slot"], 2)
    assert late.status_code == 202
    totals = booking_queue.booking_queue_drain()
    assert totals == {"confirmed": 0, "refused": 2, "already_decided": 0, "reclaimed": 0, "batches": 1}
    refused = client.get(late.json()["status_url"]).json()
    assert refused["state"] == "refused" and "约满" in refused["message"] and refused["code"] == "full"
    assert Appointment.objects.count() == 0
    assert counter(gate, world["slot"].pk) == {"taken": 0, "pending": 0}


@pytest.mark.spec("ACC-4.2")
def test_an_abandoned_batch_is_reclaimed_and_decided_once(world, gate, no_kick):
    """A persister read a batch and died before deciding it; another one died after committing but
    before acking. Both batches are re-claimed; every request gets exactly one appointment."""
    Slot.objects.filter(pk=world["slot"].pk).update(capacity=10)
    Slot.objects.get(pk=world["slot"].pk).save()                         # re-seed with the new capacity
    client = _client(world["citizens"][0])
    for n in range(1, 7):
        assert _post(client, world["slot"], n).status_code == 202
    booking_queue.ensure_group(gate)
    dead_early, _ = booking_queue.read_batch(gate, consumer="crashed-before-commit", count=3)
    dead_late, _ = booking_queue.read_batch(gate, consumer="crashed-after-commit", count=3)
    assert len(dead_early) == len(dead_late) == 3
    booking_queue.persist_batch([booking_queue._decode(i, fields) for i, fields in dead_late])   # committed, not acked
    assert Appointment.objects.count() == 3

    assert booking_queue.booking_queue_drain()["reclaimed"] == 0          # still within the idle time: left alone
    totals = booking_queue.booking_queue_drain(claim_idle_ms=0)
    assert totals["reclaimed"] == 6 and totals["confirmed"] == 3 and totals["already_decided"] == 3
    assert Appointment.objects.count() == 6 and BookingRequest.objects.count() == 6
    assert Appointment.objects.values("id_number_digest").distinct().count() == 6
    assert Slot.objects.get(pk=world["slot"].pk).booked_count == 6
    assert counter(gate, world["slot"].pk) == {"taken": 6, "pending": 0}
    assert gate.xpending(booking_gate.stream_key(), booking_gate.STREAM_GROUP)["pending"] == 0


def test_a_cancellation_and_a_capacity_change_reach_the_gate(world, gate, no_kick,
                                                             django_capture_on_commit_callbacks):
    client = _client(world["citizens"][0])
    for n in (1, 2):
        assert _post(client, world["slot"], n).status_code == 202
    booking_queue.booking_queue_drain()
    assert _post(client, world["slot"], 3).status_code == 409
    appointment = Appointment.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=world["citizens"][0])
    again = _post(client, world["slot"], 1)                             # the cancelled booker may book again
    assert again.status_code == 202, again.content
    assert _post(client, world["slot"], 3).status_code == 409
    slot = Slot.objects.get(pk=world["slot"].pk)
    slot.capacity = 3
    slot.save()                                                          # configuration generation bumped
    assert _post(client, world["slot"], 3).status_code == 202
    booking_queue.booking_queue_drain()
    assert Slot.objects.get(pk=slot.pk).booked_count == 3


@pytest.mark.spec("ACC-4.2")
@override_settings(ACCEPTANCE_BOOKING_REDIS_URL="redis://127.0.0.1:1/3")
def test_with_redis_down_the_booking_is_made_synchronously(world, sms_simulator):
    booking_gate.reset_outage()
    client = _client(world["citizens"][0])
    try:
        created = _post(client, world["slot"], 1)
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["state"] == "confirmed" and body["request_id"] == "" and body["appointment"]["appointment_number"]
        assert _post(client, world["slot"], 2).status_code == 201
        full = _post(client, world["slot"], 3)
        assert full.status_code == 409 and "约满" in full.json()["message"]
        assert Appointment.objects.count() == 2 and Slot.objects.get(pk=world["slot"].pk).booked_count == 2
        assert booking_queue.booking_queue_drain()["batches"] == 0       # the persister idles, no error
    finally:
        booking_gate.reset_outage()


@pytest.mark.spec("ACC-1.2", "ACC-4.1")
def test_the_citizen_page_queues_then_shows_the_confirmed_appointment(client, world, gate, no_kick):
    from django.urls import reverse

    client.force_login(world["citizens"][0])
    posted = client.post(reverse("acceptance-public:book", args=[world["slot"].pk]), f.booker(1))
    assert posted.status_code == 302 and "/booking-requests/" in posted["Location"]
    waiting = client.get(posted["Location"])
    page = waiting.content.decode()
    assert waiting.status_code == 200 and "排队确认中" in page and "data-status-url" in page
    booking_queue.booking_queue_drain()
    done = client.get(posted["Location"])
    appointment = Appointment.objects.get()
    assert done.status_code == 302 and done["Location"] == appointment.get_absolute_url()
    assert appointment.channel == "pc"
    client.force_login(world["citizens"][1])
    assert client.get(posted["Location"]).status_code == 404
