"""Provincial platform appointment interface (ACC-0.7): bookings and their later state changes reach the
provincial integrated platform — a simulator on a real socket — through the kernel outbox, so a platform outage
loses nothing; names and ID numbers leave masked; each state is reported once."""
import pytest
from django.db import transaction

from apps.acceptance.adapters.province_booking import ProvinceBookingSimulator
from apps.acceptance.models import ProvinceBookingReport
from apps.acceptance.services.booking import appointment_book, appointment_cancel
from apps.acceptance.services.province_booking import PEER, province_booking_sweep
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.test_engine import next_weekday
from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import OutboxMessage
from apps.core.outbox import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(settings):
    sim = ProvinceBookingSimulator()
    with SimulatorServer(sim) as server:
        settings.ACCEPTANCE_PROVINCE_BOOKING_URL = server.url
        settings.OUTBOX_BACKOFF_SECONDS = 0
        yield sim


def _deliver_all() -> None:
    for _attempt in range(3):
        for message in OutboxMessage.objects.filter(peer=PEER).exclude(status="delivered"):
            deliver(message.pk)


@pytest.mark.spec("ACC-0.7")
def test_bookings_and_state_changes_reach_the_provincial_platform_through_the_outbox(
        hall, citizens, province, settings, django_capture_on_commit_callbacks):
    food = f.bookable(hall)
    slot = f.slot(food, next_weekday(0), capacity=5)
    first = appointment_book(slot=slot, actor=citizens[0], **f.booker(1))
    second = appointment_book(slot=slot, actor=citizens[1], **f.booker(2))

    url, settings.ACCEPTANCE_PROVINCE_BOOKING_URL = settings.ACCEPTANCE_PROVINCE_BOOKING_URL, ""
    assert province_booking_sweep() == 0 and not OutboxMessage.objects.filter(peer=PEER).exists()  # not connected
    settings.ACCEPTANCE_PROVINCE_BOOKING_URL = url

    province.inject_failures(1)                                       # the platform is down for one request
    with django_capture_on_commit_callbacks(execute=True):
        assert province_booking_sweep() == 2
    assert OutboxMessage.objects.filter(peer=PEER).count() == 2
    _deliver_all()
    assert set(OutboxMessage.objects.filter(peer=PEER).values_list("status", flat=True)) == {"delivered"}
    assert province.requests == 3                                     # one failure, then both delivered
    record = province.bookings[first.appointment_number]
    assert record["status"] == "booked" and record["hall_number"] == hall.hall_number
    assert record["item_code"] == food.matter.implementation_code and record["date"] == slot.date.isoformat()
    assert record["booker_name"] == "张**" and f.id_number(1) not in str(province.bookings)
    assert ProvinceBookingReport.objects.get(appointment=first).platform_id == f"HLJ-{first.appointment_number}"

    # nothing new: nothing queued; a cancellation is reported once
    assert province_booking_sweep() == 0
    appointment_cancel(appointment=second, actor=citizens[1])
    with django_capture_on_commit_callbacks(execute=True):
        assert province_booking_sweep() == 1
        assert province_booking_sweep() == 0
    _deliver_all()
    assert province.bookings[second.appointment_number]["status"] == "cancelled"
    assert province.history == [(first.appointment_number, "booked"), (second.appointment_number, "booked"),
                                (second.appointment_number, "cancelled")]


@pytest.mark.spec("ACC-0.7")
def test_a_rolled_back_sweep_queues_nothing_and_a_repeat_is_not_duplicated(hall, citizens, province):
    food = f.bookable(hall)
    slot = f.slot(food, next_weekday(1), capacity=5)
    appointment_book(slot=slot, actor=citizens[0], **f.booker(1))
    with pytest.raises(RuntimeError), transaction.atomic():
        province_booking_sweep()
        raise RuntimeError("rolled back")
    assert not OutboxMessage.objects.filter(peer=PEER).exists() and not ProvinceBookingReport.objects.exists()
    assert province_booking_sweep() == 1
    ProvinceBookingReport.objects.update(reported_status="x")         # as if the mark were lost
    assert province_booking_sweep() == 1
    assert OutboxMessage.objects.filter(peer=PEER).count() == 1       # same (booking, status) key: one message
