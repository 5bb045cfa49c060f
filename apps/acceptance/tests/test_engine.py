"""Appointment engine rules R1 – R18, R21 as bookers and admins meet them."""
from __future__ import annotations

from datetime import date, time, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.acceptance.models import (
    Appointment, AppointmentStatus, BlacklistEntry, BlacklistRule, BlacklistStatus, CalendarLabel,
    CalendarLabelKind, MatterGroup, MatterGroupQuota, Slot, SlotKind, SlotPlan,
)
from apps.acceptance.services.booking import (
    appointment_book, appointment_cancel, appointments_close_day, blacklist_release_expired, blacklist_revoke,
)
from apps.acceptance.services.calendar import calendar_label_apply, slot_create, slots_generate
from apps.acceptance.tests import factories as f
from apps.core import calendar
from apps.core.models import CalendarDay, SmsMessage


def next_weekday(weekday: int, after: date | None = None) -> date:
    day = (after or timezone.localdate()) + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@pytest.fixture
def monday():
    return next_weekday(0)


@pytest.fixture
def food(hall):
    return f.bookable(hall)


@pytest.mark.spec("ACC-5.7", "ACC-1.2")
def test_booking_counts_and_the_full_flag(food, citizens, monday):
    slot = f.slot(food, monday, capacity=2)
    appointment_book(slot=slot, actor=citizens[0], **f.booker(1))
    slot.refresh_from_db()
    assert (slot.booked_count, slot.is_full) == (1, False)
    appointment_book(slot=slot, actor=citizens[1], **f.booker(2))
    slot.refresh_from_db()
    assert (slot.booked_count, slot.is_full) == (2, True)
    with pytest.raises(ValidationError, match="约满"):
        appointment_book(slot=slot, actor=citizens[2], **f.booker(3))
    assert Appointment.objects.count() == 2


@pytest.mark.spec("ACC-1.2")
@pytest.mark.parametrize("missing", ["booker_name", "mobile_number", "id_number"])
def test_required_booker_data_is_refused_and_nothing_written(food, citizens, monday, missing):
    slot = f.slot(food, monday)
    data = f.booker(1) | {missing: ""}
    with pytest.raises(ValidationError) as error:
        appointment_book(slot=slot, actor=citizens[0], **data)
    assert missing in error.value.message_dict
    slot.refresh_from_db()
    assert slot.booked_count == 0 and not Appointment.objects.exists()


def test_same_applicant_cannot_book_the_same_slot_twice(food, citizens, monday):
    slot = f.slot(food, monday)
    appointment_book(slot=slot, actor=citizens[0], **f.booker(1))
    with pytest.raises(ValidationError, match="重复"):
        appointment_book(slot=slot, actor=citizens[0], **f.booker(1))
    slot.refresh_from_db()
    assert slot.booked_count == 1


def test_hall_with_booking_switched_off_takes_no_bookings(food, citizens, monday):
    slot = f.slot(food, monday)
    food.hall.booking_enabled = False
    food.hall.save()
    with pytest.raises(ValidationError, match="未开放预约"):
        appointment_book(slot=slot, actor=citizens[0], **f.booker(1))


@pytest.mark.spec("ACC-5.8")
def test_matter_group_quota_and_per_matter_cap_are_checked_together(hall, citizens, monday):
    """Tender example: A, B, C at 08:00-09:00, 20 each, group quota 40."""
    a, b, c = (f.bookable(hall, name) for name in ("事项A", "事项B", "事项C"))
    slots = {key: f.slot(m, monday, capacity=20) for key, m in zip("abc", (a, b, c))}
    group = MatterGroup.objects.create(hall=hall, name="1号窗口")
    group.members.add(a, b, c)
    MatterGroupQuota.objects.create(group=group, period_start=time(8), period_end=time(9), quota=40)
    n = 0
    for key, count in (("a", 19), ("b", 15), ("c", 5)):
        for _ in range(count):
            n += 1
            appointment_book(slot=slots[key], actor=citizens[0], **f.booker(n), notify=False)
    # 39 in the group: A's 20th place is still free.
    n += 1
    appointment_book(slot=slots["a"], actor=citizens[0], **f.booker(n), notify=False)
    # A is at its own cap although the group has room? No: the group is now full at 40.
    n += 1
    with pytest.raises(ValidationError, match="事项组"):
        appointment_book(slot=slots["c"], actor=citizens[0], **f.booker(n), notify=False)
    slots["c"].refresh_from_db()
    assert slots["c"].booked_count == 5           # the refused booking left no trace
    assert Appointment.objects.count() == 40


@pytest.mark.spec("ACC-5.8")
def test_per_matter_cap_holds_while_the_group_has_room(hall, citizens, monday):
    a, b = f.bookable(hall, "事项A"), f.bookable(hall, "事项B")
    slot_a = f.slot(a, monday, capacity=2)
    group = MatterGroup.objects.create(hall=hall, name="组")
    group.members.add(a, b)
    MatterGroupQuota.objects.create(group=group, period_start=time(8), period_end=time(9), quota=40)
    for n in (1, 2):
        appointment_book(slot=slot_a, actor=citizens[0], **f.booker(n), notify=False)
    with pytest.raises(ValidationError, match="约满"):
        appointment_book(slot=slot_a, actor=citizens[0], **f.booker(3), notify=False)
    assert group.usages.get().booked_count == 2


@pytest.mark.spec("ACC-5.3", "ACC-5.7")
def test_regular_slots_come_from_plans_on_bookable_days_only(food, hall_admin, monday):
    SlotPlan.objects.create(bookable_matter=food, kind=SlotKind.PRIORITY_HANDLING,
                            periods=[{"start": "08:00", "end": "09:00", "capacity": 20},
                                     {"start": "09:00", "end": "10:00", "capacity": 10}])
    SlotPlan.objects.create(bookable_matter=food, kind=SlotKind.EXTENDED_SERVICE,
                            periods=[{"start": "10:00", "end": "11:00", "capacity": 2}])
    created = slots_generate(bookable_matter=food, first=monday, last=monday + timedelta(days=6), actor=hall_admin)
    # 5 working days × 2 periods + Saturday and Sunday × 1 extended-service period.
    assert created == 12
    weekend = Slot.objects.filter(date__gte=monday + timedelta(days=5))
    assert set(weekend.values_list("kind", flat=True)) == {SlotKind.EXTENDED_SERVICE}
    assert slots_generate(bookable_matter=food, first=monday, last=monday + timedelta(days=6),
                          actor=hall_admin) == 0      # idempotent


@pytest.mark.spec("ACC-5.6")
def test_calendar_labels_no_booking_and_open_on_weekends(food, hall_admin, citizens, monday):
    assert set(CalendarLabel.objects.filter(is_builtin=True).values_list("kind", flat=True)) == {
        CalendarLabelKind.WEEKEND, CalendarLabelKind.HOLIDAY}
    SlotPlan.objects.create(bookable_matter=food, kind=SlotKind.PRIORITY_HANDLING,
                            periods=[{"start": "08:00", "end": "09:00", "capacity": 5}])
    closed = CalendarLabel.objects.create(name="系统维护", kind=CalendarLabelKind.NO_BOOKING)
    open_weekend = CalendarLabel.objects.create(name="周末不打烊", kind=CalendarLabelKind.OPEN_WEEKEND, hall=food.hall)
    tuesday, wednesday, saturday = (monday + timedelta(days=d) for d in (1, 2, 5))
    assert calendar_label_apply(label=closed, dates=[tuesday, wednesday], actor=hall_admin) == 2
    calendar_label_apply(label=open_weekend, dates=[saturday], actor=hall_admin)
    slots_generate(bookable_matter=food, first=monday, last=monday + timedelta(days=6), actor=hall_admin)
    assert sorted(Slot.objects.values_list("date", flat=True)) == [
        monday, monday + timedelta(days=3), monday + timedelta(days=4), saturday]
    # A slot that existed before the label was applied can no longer be booked.
    existing = Slot.objects.get(date=monday)
    calendar_label_apply(label=closed, dates=[monday], actor=hall_admin)
    with pytest.raises(ValidationError, match="系统维护"):
        appointment_book(slot=existing, actor=citizens[0], **f.booker(1))
    assert not Appointment.objects.exists()


@pytest.mark.spec("ACC-5.5")
def test_extended_service_slot_on_a_holiday_needs_no_ticket(food, hall_admin, citizens, monday):
    holiday = monday + timedelta(days=1)
    CalendarDay.objects.create(date=holiday, is_working_day=False, is_holiday=True, label="测试节日")
    calendar.invalidate()
    with pytest.raises(ValidationError, match="不可预约"):
        appointment_book(slot=f.slot(food, holiday, start=time(14), end=time(15)), actor=citizens[0],
                         **f.booker(1))
    slot = slot_create(bookable_matter=food, day=holiday, period_start=time(9), period_end=time(10), capacity=2,
                       kind=SlotKind.EXTENDED_SERVICE, actor=hall_admin)
    appointment = appointment_book(slot=slot, actor=citizens[0], **f.booker(1))
    assert appointment.is_extended_service
    from apps.acceptance.services.queue import ticket_take

    with mock.patch("django.utils.timezone.localdate", return_value=holiday):
        with pytest.raises(ValidationError, match="无需取号"):
            ticket_take(hall=food.hall, appointment_number=appointment.appointment_number)


@pytest.mark.spec("ACC-1.6")
def test_booking_notification_carries_the_tender_content(food, citizens, monday):
    appointment = appointment_book(slot=f.slot(food, monday), actor=citizens[0], **f.booker(1))
    sms = SmsMessage.objects.get()
    assert sms.mobile_number == f.booker(1)["mobile_number"]
    for part in ("张三1", food.hall.name, "食品经营许可", f"{monday:%Y-%m-%d} 08:00-09:00",
                 "地铁1号线世纪大道站", "请携带身份证原件", appointment.appointment_number):
        assert part in sms.content


@pytest.mark.spec("ACC-1.5")
def test_cancellation_window_and_daily_limit(food, citizens, monday, hall_admin):
    slots = [f.slot(food, monday, start=time(8 + n), end=time(9 + n), capacity=3) for n in range(5)]
    bookings = [appointment_book(slot=s, actor=citizens[0], **f.booker(1), notify=False) for s in slots]
    for appointment in bookings[:3]:
        appointment_cancel(appointment=appointment, actor=citizens[0])
    with pytest.raises(ValidationError, match="每天最多取消 3 次"):
        appointment_cancel(appointment=bookings[3], actor=citizens[0])
    bookings[3].refresh_from_db()
    assert bookings[3].status == AppointmentStatus.BOOKED
    assert [s.booked_count for s in Slot.objects.order_by("period_start")] == [0, 0, 0, 1, 1]
    # The next day the applicant may cancel again.
    tomorrow = timezone.now() + timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        if timezone.localdate(tomorrow) < monday:
            appointment_cancel(appointment=bookings[3], actor=citizens[0])
            bookings[3].refresh_from_db()
            assert bookings[3].status == AppointmentStatus.CANCELLED
    # Another citizen cannot cancel somebody else's booking.
    with pytest.raises(PermissionDenied):
        appointment_cancel(appointment=bookings[4], actor=citizens[1])


@pytest.mark.spec("ACC-1.5")
def test_no_cancellation_on_the_day_or_after_check_in(food, citizens, monday):
    appointment = appointment_book(slot=f.slot(food, monday), actor=citizens[0], **f.booker(1), notify=False)
    on_the_day = timezone.make_aware(timezone.datetime.combine(monday, time(7)))
    with mock.patch("django.utils.timezone.now", return_value=on_the_day):
        with pytest.raises(ValidationError, match="预约当天"):
            appointment_cancel(appointment=appointment, actor=citizens[0])
    Appointment.objects.filter(pk=appointment.pk).update(status=AppointmentStatus.CHECKED_IN)
    with pytest.raises(ValidationError, match="未签到"):
        appointment_cancel(appointment=appointment, actor=citizens[0])


def _no_shows(food, citizen, days: list[date], n: int = 1):
    for day in days:
        slot = f.slot(food, day, start=time(8), end=time(9))
        Appointment.objects.create(appointment_number=f"YYT{day:%Y%m%d}{n}", user=citizen, slot=slot,
                                   hall=food.hall, bookable_matter=food, date=day, period_start=time(8),
                                   period_end=time(9), **f.booker(n))


@pytest.mark.spec("ACC-1.5", "ACC-5.10")
def test_fourth_no_show_in_a_month_blacklists_and_release_is_automatic(food, citizens, monday):
    month = date(2026, 3, 2)
    _no_shows(food, citizens[0], [month + timedelta(days=d) for d in range(3)])
    appointments_close_day(today=date(2026, 3, 10))
    assert Appointment.objects.filter(status=AppointmentStatus.NO_SHOW).count() == 3
    assert not BlacklistEntry.objects.exists()                       # 3 no-shows: not yet
    _no_shows(food, citizens[0], [date(2026, 3, 12)])
    result = appointments_close_day(today=date(2026, 3, 13))
    assert result == {"fulfilled": 0, "no_show": 1, "blacklisted": 1}
    entry = BlacklistEntry.objects.get()
    assert entry.no_show_count == 4
    barred_slot = f.slot(food, monday, start=time(10), end=time(11))
    with pytest.raises(ValidationError, match="黑名单"):
        appointment_book(slot=barred_slot, actor=citizens[0], **f.booker(1))
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()      # nothing written
    assert Slot.objects.get(pk=barred_slot.pk).booked_count == 0
    # After the restriction period the applicant books again without any admin action.
    BlacklistEntry.objects.filter(pk=entry.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    appointment_book(slot=Slot.objects.get(date=monday), actor=citizens[0], **f.booker(1))
    assert blacklist_release_expired() == 1
    assert BlacklistEntry.objects.get().status == BlacklistStatus.RELEASED


@pytest.mark.spec("ACC-5.10")
def test_a_changed_rule_drives_blacklisting(food, citizens):
    BlacklistRule.objects.update(no_show_period="rolling_days", no_show_period_days=7, no_show_count=2,
                                 restriction_days=3)
    _no_shows(food, citizens[0], [date(2026, 3, 2), date(2026, 3, 20)])
    appointments_close_day(today=date(2026, 3, 21))
    assert not BlacklistEntry.objects.exists()          # the two are 18 days apart: outside 7 days
    _no_shows(food, citizens[0], [date(2026, 3, 21)])
    appointments_close_day(today=date(2026, 3, 22))
    entry = BlacklistEntry.objects.get()
    assert (entry.ends_at - entry.starts_at).days == 3


@pytest.mark.spec("ACC-1.5", "ACC-5.10")
def test_manual_revocation_needs_a_reason_and_lets_the_applicant_book(food, citizens, hall_admin, monday):
    _no_shows(food, citizens[0], [date(2026, 3, d) for d in (2, 3, 4, 5)])
    appointments_close_day(today=date(2026, 3, 6))
    entry = BlacklistEntry.objects.get()
    with pytest.raises(ValidationError):
        blacklist_revoke(entry=entry, actor=hall_admin, reason=" ")
    with pytest.raises(PermissionDenied):
        blacklist_revoke(entry=entry, actor=citizens[1], reason="特殊情况")
    assert BlacklistEntry.objects.get().status == BlacklistStatus.ACTIVE
    blacklist_revoke(entry=entry, actor=hall_admin, reason="住院证明，已核实")
    entry.refresh_from_db()
    assert (entry.status, entry.revoked_by, entry.revoke_reason) == (BlacklistStatus.REVOKED, hall_admin,
                                                                      "住院证明，已核实")
    appointment_book(slot=f.slot(food, monday, start=time(10), end=time(11)), actor=citizens[0], **f.booker(1))


def test_label_and_slot_management_need_permission_and_scope(food, citizens, other_region_admin, monday):
    label = CalendarLabel.objects.create(name="禁约", kind=CalendarLabelKind.NO_BOOKING, hall=food.hall)
    with pytest.raises(PermissionDenied):
        calendar_label_apply(label=label, dates=[monday], actor=citizens[0])
    with pytest.raises(PermissionDenied):
        calendar_label_apply(label=label, dates=[monday], actor=other_region_admin)
    with pytest.raises(PermissionDenied):
        slot_create(bookable_matter=food, day=monday, period_start=time(8), period_end=time(9), capacity=3,
                    actor=other_region_admin)
    assert not label.dates.exists() and not Slot.objects.exists()
