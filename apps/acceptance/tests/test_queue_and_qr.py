"""Queue numbers (R19), hall check-in QR (R20) and the waiting-room display."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.acceptance.models import Appointment, AppointmentStatus, HallCheckInQr, QrValidity, TicketStatus
from apps.acceptance.services.halls import check_in_qr_create, check_in_qr_open, check_in_qr_verify
from apps.acceptance.services.queue import (
    ticket_call_next, ticket_recall, ticket_skip, ticket_take, ticket_transfer,
)
from apps.acceptance.tests import factories as f


def todays_appointment(food, citizen, n=1, start=time(23, 58)):
    """An appointment for later today (booked through the service yesterday, in effect)."""
    slot = f.slot(food, timezone.localdate(), start=start, end=time(23, 59))
    return Appointment.objects.create(appointment_number=f"YY{timezone.localdate():%Y%m%d}TEST{n:02d}",
                                      user=citizen, slot=slot, hall=food.hall, bookable_matter=food,
                                      date=slot.date, period_start=slot.period_start, period_end=slot.period_end,
                                      **f.booker(n))


@pytest.fixture
def food(hall):
    return f.bookable(hall)


@pytest.mark.spec("ACC-1.4", "ACC-0.6")
def test_booked_ticket_is_linked_and_called_before_walk_ins(food, citizens, hall_admin):
    window = f.window(food.hall, "1")
    walk_in = ticket_take(hall=food.hall, bookable_matter=food)
    appointment = todays_appointment(food, citizens[0])
    booked = ticket_take(hall=food.hall, appointment_number=appointment.appointment_number.lower())
    assert (walk_in.number, booked.number) == ("A001", "Y001")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN and booked.appointment == appointment
    with pytest.raises(ValidationError, match="已取号"):
        ticket_take(hall=food.hall, appointment_number=appointment.appointment_number)
    assert ticket_call_next(window=window, actor=hall_admin) == booked       # booking first
    assert ticket_call_next(window=window, actor=hall_admin) == walk_in
    booked.refresh_from_db()
    assert booked.status == TicketStatus.DONE


@pytest.mark.spec("ACC-0.6")
def test_card_swipe_links_the_ticket_to_the_booking(food, citizens):
    appointment = todays_appointment(food, citizens[0], n=3)
    ticket = ticket_take(hall=food.hall, id_number=f.booker(3)["id_number"])
    assert ticket.appointment == appointment and ticket.is_priority
    with pytest.raises(ValidationError, match="未找到"):
        ticket_take(hall=food.hall, id_number=f.booker(4)["id_number"])


def test_recall_skip_transfer(food, hall_admin, other_region_admin):
    one, two = f.window(food.hall, "1"), f.window(food.hall, "2")
    ticket_take(hall=food.hall)
    ticket = ticket_call_next(window=one, actor=hall_admin)
    with pytest.raises(PermissionDenied):
        ticket_call_next(window=two, actor=other_region_admin)
    assert ticket_recall(ticket=ticket, actor=hall_admin).call_count == 2
    ticket_transfer(ticket=ticket, target_window=two, actor=hall_admin)
    assert ticket_call_next(window=one, actor=hall_admin) is None          # reserved for window 2
    moved = ticket_call_next(window=two, actor=hall_admin)
    assert moved == ticket and moved.window == two
    assert ticket_skip(ticket=moved, actor=hall_admin).status == TicketStatus.SKIPPED
    with pytest.raises(ValidationError):
        ticket_recall(ticket=moved, actor=hall_admin)


def test_display_page_and_json_show_the_latest_call(client, food, hall_admin):
    window = f.window(food.hall, "3")
    ticket_take(hall=food.hall)
    ticket_take(hall=food.hall)
    ticket_call_next(window=window, actor=hall_admin)
    data = client.get(reverse("acceptance-public:display-json", args=[food.hall.pk])).json()
    assert data["waiting"] == 1 and data["calls"][0]["number"] == "A001" and data["calls"][0]["window"] == "3"
    page = client.get(reverse("acceptance-public:display", args=[food.hall.pk]))
    assert "A001" in page.content.decode() and "acceptance.js" in page.content.decode()


@pytest.mark.spec("ACC-3.0", "ACC-3.1", "ACC-3.2", "ACC-3.3", "ACC-3.4")
def test_week_qr_verifies_during_the_week_and_refuses_after(food, citizens, hall_admin):
    week = check_in_qr_create(hall=food.hall, validity=QrValidity.WEEK, actor=hall_admin)
    permanent = check_in_qr_create(hall=food.hall, validity=QrValidity.PERMANENT, actor=hall_admin)
    assert permanent.expires_at is None and (week.expires_at - timezone.now()).days in (6, 7)
    by_id, by_mobile, by_number = (todays_appointment(food, citizens[0], n=n, start=time(23, 50 + n))
                                   for n in (1, 2, 3))
    qr = check_in_qr_open(token=week.token)
    check_in_qr_verify(qr=qr, value=f.booker(1)["id_number"])
    check_in_qr_verify(qr=qr, value=f.booker(2)["mobile_number"])
    confirmed = check_in_qr_verify(qr=qr, value=by_number.appointment_number)
    assert confirmed.status == AppointmentStatus.CONFIRMED
    assert set(Appointment.objects.values_list("status", flat=True)) == {AppointmentStatus.CONFIRMED}
    with pytest.raises(ValidationError, match="未找到"):
        check_in_qr_verify(qr=qr, value="13900000000")
    week.refresh_from_db()
    assert (week.request_count, week.verification_count) == (1, 3)
    HallCheckInQr.objects.filter(pk=week.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="过期"):
        check_in_qr_open(token=week.token)
    week.refresh_from_db()
    assert (week.request_count, week.verification_count) == (2, 3)
    assert check_in_qr_open(token=permanent.token) is not None


def test_check_in_page_verifies_and_expired_page_says_so(client, food, citizens, hall_admin):
    qr = check_in_qr_create(hall=food.hall, validity=QrValidity.MONTH, actor=hall_admin)
    appointment = todays_appointment(food, citizens[0])
    url = reverse("acceptance-public:check-in", args=[qr.token])
    assert client.get(url).status_code == 200
    response = client.post(url, {"value": appointment.appointment_number})
    assert "核验成功" in response.content.decode()
    HallCheckInQr.objects.filter(pk=qr.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = client.get(url)
    assert response.status_code == 410 and "过期" in response.content.decode()


def test_custom_validity_in_the_past_is_refused(food, hall_admin, citizens):
    with pytest.raises(ValidationError):
        check_in_qr_create(hall=food.hall, validity=QrValidity.CUSTOM, actor=hall_admin,
                           expires_at=timezone.make_aware(datetime(2020, 1, 1)))
    with pytest.raises(PermissionDenied):
        check_in_qr_create(hall=food.hall, validity=QrValidity.WEEK, actor=citizens[0])
    assert not HallCheckInQr.objects.exists()
