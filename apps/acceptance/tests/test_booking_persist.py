"""The persister decides a batch with a fixed number of statements (decision 0412), with the exact
rules of the synchronous path, and falls back to request-by-request when a backstop fires."""
from __future__ import annotations

from datetime import time

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from apps.acceptance.models import (
    Appointment,
    BookingRequest,
    BookingRequestState,
    MatterGroup,
    MatterGroupQuota,
    MatterGroupUsage,
    Slot,
)
from apps.acceptance.services import booking_persist, booking_queue
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.booking_queue_support import counter, next_working_day
from apps.core.models import OutboxMessage, SmsMessage, StateTransition
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory


@pytest.fixture
def grouped(orgs):
    """Two matters in one group limited to 5 per period; slot A has 4 places, slot B 10."""
    hall = f.hall(orgs["harbin_dept"], notify_by_sms=True)
    matters = [f.bookable(hall, f"事项{n}") for n in range(3)]
    day = next_working_day(2)
    a, b = (f.slot(m, day, capacity=c) for m, c in zip(matters, (4, 10)))
    free = f.slot(matters[2], day, capacity=50)
    group = MatterGroup.objects.create(hall=hall, name="综合窗口")
    group.members.add(matters[0], matters[1])
    MatterGroupQuota.objects.create(group=group, period_start=time(8), period_end=time(9), quota=5)
    return a, b, free


def _submit(slot_id: int, n: int, user):
    return booking_queue.booking_request_submit(slot_id=slot_id, actor=user, channel="app", **f.booker(n))


def _statements(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.mark.spec("ACC-4.2", "ACC-4.3")
def test_a_batch_is_decided_with_the_same_few_statements_whatever_its_size(grouped, gate, no_kick):
    _a, _b, free = grouped
    user = UserFactory(username="booker", kind=UserKind.NATURAL_PERSON)
    _submit(free.pk, 100, user)
    booking_queue.booking_queue_drain(consumer="t")         # warm: day rules, content type cached
    for n in range(10):
        _submit(free.pk, n, user)
    with CaptureQueriesContext(connection) as small:
        assert booking_queue.booking_queue_drain(consumer="t")["confirmed"] == 10
    for n in range(10, 49):
        _submit(free.pk, n, user)
    with CaptureQueriesContext(connection) as large:
        assert booking_queue.booking_queue_drain(consumer="t")["confirmed"] == 39
    assert len(_statements(large)) == len(_statements(small)) <= 22, _statements(large)
    assert Slot.objects.get(pk=free.pk).booked_count == 50 == Appointment.objects.filter(slot=free).count()
    # each booking has its history row and its SMS, queued in the outbox like the kernel's sms_send does
    ids = [str(pk) for pk in Appointment.objects.filter(slot=free).values_list("pk", flat=True)]
    assert StateTransition.objects.filter(object_id__in=ids, to_state="booked", action="book").count() == 50
    sms = SmsMessage.objects.filter(purpose="appointment")
    assert sms.count() == 50 and sms.filter(outbox_message__isnull=True).count() == 0
    assert OutboxMessage.objects.filter(peer="sms", kind="appointment").count() == 50
    assert "预约编号" in sms.first().content


@pytest.mark.spec("ACC-4.2", "ACC-4.3")
def test_the_batch_applies_the_slot_and_group_limits_and_refuses_duplicates(grouped, gate, no_kick):
    a, b, _free = grouped
    user = UserFactory(username="booker", kind=UserKind.NATURAL_PERSON)
    # the gate is made stale on purpose: the database raises the group's usage behind its back
    _submit(a.pk, 0, user)
    _submit(b.pk, 1, user)
    quota = MatterGroupQuota.objects.get()             # two places left in the group, the gate doesn't know
    MatterGroupUsage.objects.create(group=quota.group, date=a.date, period_start=a.period_start,
                                    period_end=a.period_end, quota=5, booked_count=3)
    _submit(a.pk, 2, user)
    _submit(b.pk, 3, user)
    totals = booking_queue.booking_queue_drain(consumer="t")
    assert totals["confirmed"] == 2 and totals["refused"] == 2
    refused = BookingRequest.objects.filter(state=BookingRequestState.REFUSED)
    assert set(refused.values_list("code", flat=True)) == {"group_full"}
    assert all("事项组" in r.reason and "约满" in r.reason for r in refused)
    assert MatterGroupUsage.objects.get().booked_count == 5
    assert Slot.objects.get(pk=a.pk).booked_count + Slot.objects.get(pk=b.pk).booked_count == 2
    # refused requests gave their places back in the gate, nothing pending
    assert counter(gate, a.pk)["pending"] == counter(gate, b.pk)["pending"] == 0


@pytest.mark.spec("ACC-4.2")
def test_a_backstop_in_the_bulk_path_falls_back_to_request_by_request(grouped, gate, no_kick, monkeypatch):
    _a, _b, free = grouped
    user = UserFactory(username="booker", kind=UserKind.NATURAL_PERSON)
    for n in range(3):
        _submit(free.pk, n, user)

    def collide(*args, **kwargs):
        Appointment.objects.create(appointment_number="YYX", user=user, slot=free, hall=free.hall,
                                   bookable_matter=free.bookable_matter, date=free.date, period_start=free.period_start,
                                   period_end=free.period_end, channel="app", **f.booker(99))
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(booking_persist, "persist_batch_bulk", collide)
    assert booking_queue.booking_queue_drain(consumer="t")["confirmed"] == 3
    # the savepoint of the failed bulk attempt was rolled back: its row is gone, the counter is exact
    assert not Appointment.objects.filter(appointment_number="YYX").exists()
    assert Slot.objects.get(pk=free.pk).booked_count == 3 == Appointment.objects.filter(slot=free).count()
