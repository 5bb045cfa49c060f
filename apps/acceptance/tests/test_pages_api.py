"""Pages and API as users meet them: authorisation matrix, booking flow, scoped orders (R22)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.acceptance.models import Appointment, AppointmentStatus, Hall, Slot, Window
from apps.acceptance.services import booking_queue
from apps.acceptance.services.booking import appointment_book
from apps.acceptance.tests import factories as f
from apps.identity.tests.factories import StaffFactory


def tomorrow_weekday():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def food(hall):
    return f.bookable(hall)


HALL_DATA = {"name": "新大厅", "hall_number": "N001", "hall_type": "comprehensive", "region": "230100000000",
             "address": "哈尔滨市道里区", "opening_hours": "工作日", "queue_code": "A",
             "integration_mode": "platform_queue", "booking_enabled": "on", "is_active": "on"}


@pytest.mark.spec("ACC-5.1")
def test_hall_create_authorisation_matrix(client, orgs, hall_admin, other_region_admin, citizens):
    url = reverse("acceptance:hall-add")
    data = HALL_DATA | {"organisation": orgs["harbin_dept"].pk}
    assert client.post(url, data).status_code == 302 and not Hall.objects.exists()        # anonymous → login
    for user in (citizens[0], StaffFactory(username="no_perm", organisation=orgs["harbin_dept"])):
        client.force_login(user)
        assert client.post(url, data).status_code == 403
    client.force_login(other_region_admin)              # Qiqihar may not create a Harbin department's hall
    response = client.post(url, data)
    assert response.status_code == 200 and not Hall.objects.exists()
    client.force_login(hall_admin)
    response = client.post(url, data)
    assert response.status_code == 302
    hall = Hall.objects.get()
    assert hall.organisation == orgs["harbin_dept"] and hall.qr_token


@pytest.mark.spec("ACC-5.1")
def test_hall_detail_windows_staff_and_qr_codes(client, hall, hall_admin, other_region_admin):
    client.force_login(hall_admin)
    assert client.post(reverse("acceptance:window-add", args=[hall.pk]),
                       {"window_number": "1", "name": "综合窗口", "window_type": "comprehensive",
                        "supports_appointment": "on", "is_active": "on"}).status_code == 302
    assert client.post(reverse("acceptance:staff-add", args=[hall.pk]),
                       {"staff_number": "S01", "name": "李四", "kind": "department_staff",
                        "is_active": "on"}).status_code == 302
    window = Window.objects.get()
    staff = hall.staff.get()
    assert client.post(reverse("acceptance:window-staff-add", args=[hall.pk]),
                       {"window": window.pk, "staff": staff.pk}).status_code == 302
    page = client.get(hall.get_absolute_url()).content.decode()
    assert "综合窗口" in page and "李四" in page
    for url in (reverse("acceptance:hall-qr", args=[hall.pk]), reverse("acceptance:staff-qr", args=[staff.pk])):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
    scan = client.get(reverse("acceptance-public:hall-scan", args=[hall.qr_token]))
    assert scan.status_code == 302 and scan.url == reverse("acceptance-public:hall", args=[hall.pk])
    client.force_login(other_region_admin)
    assert client.get(hall.get_absolute_url()).status_code == 404
    assert client.get(reverse("acceptance:hall-qr", args=[hall.pk])).status_code == 404
    assert client.post(reverse("acceptance:window-add", args=[hall.pk]),
                       {"window_number": "2", "name": "x", "window_type": "comprehensive"}).status_code == 404
    assert Window.objects.count() == 1


@pytest.mark.spec("ACC-1.2", "ACC-1.3")
def test_citizen_books_on_the_public_site_with_prefilled_data(client, food, citizens, sms_simulator, gate, no_kick):
    citizen = citizens[0]
    citizen.full_name, citizen.mobile_number, citizen.id_number = "王五", "13912345678", f.id_number(9)
    citizen.save()
    day = tomorrow_weekday()
    slot = f.slot(food, day, capacity=1)
    hall_page = client.get(reverse("acceptance-public:hall", args=[food.hall.pk]))
    assert "0/1" in hall_page.content.decode()
    book_url = reverse("acceptance-public:book", args=[slot.pk])
    assert client.get(book_url).status_code == 302                     # login first
    client.force_login(citizen)
    form = client.get(book_url).content.decode()
    assert "王五" in form and "13912345678" in form
    response = client.post(book_url, {"booker_name": "王五", "mobile_number": "13912345678",
                                      "id_number": f.id_number(9)})
    assert response.status_code == 302 and "/booking-requests/" in response.url     # queued (decision 0405)
    booking_queue.booking_queue_drain()                                              # the persister, for real
    appointment = Appointment.objects.get()
    assert client.get(response.url)["Location"] == appointment.get_absolute_url()
    page = client.get(reverse("acceptance-public:hall", args=[food.hall.pk])).content.decode()
    assert "1/1" in page and "已约满" in page
    mine = client.get(reverse("acceptance-public:mine")).content.decode()
    assert appointment.appointment_number in mine
    query = client.get(reverse("acceptance-public:query"), {"id_number": f.id_number(9),
                                                            "mobile_number": "13912345678"}).content.decode()
    assert appointment.appointment_number in query and "已预约" in query
    wrong = client.get(reverse("acceptance-public:query"), {"id_number": f.id_number(9),
                                                            "mobile_number": "13900000000"}).content.decode()
    assert appointment.appointment_number not in wrong
    client.force_login(citizens[1])
    assert appointment.appointment_number not in client.get(reverse("acceptance-public:mine")).content.decode()
    assert client.get(appointment.get_absolute_url()).status_code == 404


def test_public_form_refuses_missing_fields(client, food, citizens):
    slot = f.slot(food, tomorrow_weekday())
    client.force_login(citizens[0])
    response = client.post(reverse("acceptance-public:book", args=[slot.pk]),
                           {"booker_name": "", "mobile_number": "", "id_number": ""})
    assert response.status_code == 200 and "请填写预约人姓名" in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.spec("ACC-5.9")
def test_orders_are_scoped_sub_hall_sees_its_own_hall_sees_all(client, hall, sub_hall, hall_admin, sub_hall_admin,
                                                               other_region_admin, citizens):
    day = tomorrow_weekday()
    main = appointment_book(slot=f.slot(f.bookable(hall), day), actor=citizens[0], **f.booker(1), notify=False)
    sub = appointment_book(slot=f.slot(f.bookable(sub_hall, "社保卡补办"), day), actor=citizens[0], **f.booker(2),
                           notify=False)
    url = reverse("acceptance:appointment-list")
    seen = {}
    for name, user in (("hall", hall_admin), ("sub", sub_hall_admin), ("other", other_region_admin)):
        client.force_login(user)
        page = client.get(url).content.decode()
        seen[name] = {n for n in (main.appointment_number, sub.appointment_number) if n in page}
    assert seen == {"hall": {main.appointment_number, sub.appointment_number}, "sub": {sub.appointment_number},
                    "other": set()}
    client.force_login(hall_admin)
    filtered = client.get(url, {"matter": "社保卡"}).content.decode()
    assert sub.appointment_number in filtered and main.appointment_number not in filtered
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]


def test_api_slots_book_full_and_cancel(client, food, citizens):
    day = tomorrow_weekday() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    slot = f.slot(food, day, capacity=1)
    slots = client.get(f"/api/v1/acceptance/bookable-matters/{food.pk}/slots/").json()
    assert slots[0]["booked_count"] == 0 and slots[0]["is_full"] is False
    data = {"slot": slot.pk, **f.booker(1)}
    assert client.post("/api/v1/acceptance/appointments/", data, content_type="application/json").status_code in (
        401, 403)
    client.force_login(citizens[0])
    created = client.post("/api/v1/acceptance/appointments/", data, content_type="application/json")
    assert created.status_code == 201
    client.force_login(citizens[1])
    full = client.post("/api/v1/acceptance/appointments/", {"slot": slot.pk, **f.booker(2)},
                       content_type="application/json")
    assert full.status_code == 409 and "约满" in full.json()["message"]
    bad = client.post("/api/v1/acceptance/appointments/", {"slot": slot.pk, "booker_name": "x"},
                      content_type="application/json")
    assert bad.status_code in (400, 409)
    number = created.json()["appointment_number"]
    assert client.post(f"/api/v1/acceptance/appointments/{number}/cancel/").status_code == 404   # not hers
    client.force_login(citizens[0])
    mine = client.get("/api/v1/acceptance/appointments/").json()
    assert [a["appointment_number"] for a in mine["results"]] == [number]
    cancelled = client.post(f"/api/v1/acceptance/appointments/{number}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == AppointmentStatus.CANCELLED
    assert Slot.objects.get(pk=slot.pk).booked_count == 0


def test_portal_engine_pages_render_for_the_manager(client, food, hall_admin, citizens):
    client.force_login(hall_admin)
    matter_url = reverse("acceptance:bookable-matter", args=[food.pk])
    response = client.post(matter_url, {"action": "plan", "kind": "priority_handling",
                                        "periods": "08:00-09:00 20\n09:00-10:00 10"})
    assert response.status_code == 302
    day = tomorrow_weekday()
    client.post(matter_url, {"action": "generate", "first": day, "last": day})
    assert Slot.objects.filter(bookable_matter=food).count() == 2
    bad = client.post(matter_url, {"action": "plan", "kind": "priority_handling", "periods": "nonsense"})
    assert bad.status_code == 200 and "无法识别" in bad.content.decode()
    for url in (reverse("acceptance:label-list"), reverse("acceptance:blacklist"),
                reverse("acceptance:group-list", args=[food.hall.pk]),
                reverse("acceptance:check-in-qr-list", args=[food.hall.pk]),
                reverse("acceptance:queue-console", args=[food.hall.pk]), reverse("acceptance:hall-list")):
        assert client.get(url).status_code == 200, url
    client.force_login(citizens[0])
    assert client.get(matter_url).status_code == 403


@pytest.mark.spec("ACC-5.6", "ACC-5.10")
def test_label_batch_and_blacklist_revocation_through_the_pages(client, food, hall_admin, citizens):
    from apps.acceptance.models import BlacklistEntry, BlacklistRule, BlacklistStatus, CalendarLabel
    from apps.core.crypto import keyed_digest

    client.force_login(hall_admin)
    url = reverse("acceptance:label-list")
    client.post(url, {"action": "create", "name": "系统升级", "kind": "no_booking", "colour": "#d9534f"})
    label = CalendarLabel.objects.get(name="系统升级")
    response = client.post(url, {"action": "apply", "label": label.pk, "dates": "2026-12-01~2026-12-03, 2026-12-08"})
    assert response.status_code == 302 and label.dates.count() == 4
    bad = client.post(url, {"action": "apply", "label": label.pk, "dates": "明天"})
    assert bad.status_code == 200 and label.dates.count() == 4
    entry = BlacklistEntry.objects.create(id_number_digest=keyed_digest(f.id_number(1)), booker_name="张三",
                                          rule=BlacklistRule.objects.get(), no_show_count=4,
                                          starts_at=timezone.now(), ends_at=timezone.now() + timedelta(days=30))
    blacklist = reverse("acceptance:blacklist")
    assert "张三" in client.get(blacklist).content.decode()
    assert client.post(blacklist, {"action": "revoke", "entry": entry.pk, "reason": ""}).status_code == 200
    assert BlacklistEntry.objects.get().status == BlacklistStatus.ACTIVE
    client.force_login(citizens[0])
    assert client.post(blacklist, {"action": "revoke", "entry": entry.pk, "reason": "x"}).status_code == 403
    client.force_login(hall_admin)
    assert client.post(blacklist, {"action": "revoke", "entry": entry.pk, "reason": "病假证明"}).status_code == 302
    assert BlacklistEntry.objects.get().status == BlacklistStatus.REVOKED


@pytest.mark.spec("ACC-0.5")
def test_every_channel_books_through_one_appointment_management(client, food, citizens, hall_admin):
    """PC page, APP, mini-program and self-service terminal book the same slot under the same rules;
    the hall's one order list shows every booking with its channel, and the slot's count is shared."""
    slot = f.slot(food, tomorrow_weekday(), capacity=4)
    client.force_login(citizens[0])
    client.post(reverse("acceptance-public:book", args=[slot.pk]), f.booker(1))
    for n, channel in ((2, "app"), (3, "mini_program"), (4, "self_service_terminal")):
        client.force_login(citizens[n % 3])
        response = client.post("/api/v1/acceptance/appointments/", {"slot": slot.pk, "channel": channel,
                                                                    **f.booker(n)}, content_type="application/json")
        assert response.status_code == 201, response.content
    client.force_login(citizens[2])
    full = client.post("/api/v1/acceptance/appointments/", {"slot": slot.pk, "channel": "app", **f.booker(5)},
                       content_type="application/json")
    assert full.status_code == 409                                                       # one capacity for all
    assert sorted(Appointment.objects.values_list("channel", flat=True)) == [
        "app", "mini_program", "pc", "self_service_terminal"]
    assert Slot.objects.get(pk=slot.pk).booked_count == 4
    client.force_login(hall_admin)
    orders = client.get(reverse("acceptance:appointment-list")).content.decode()
    assert all(a.appointment_number in orders for a in Appointment.objects.all())


@pytest.mark.spec("ACC-2.9")
def test_hall_page_shows_todays_bookings_and_queue_per_item(client, food, hall):
    from apps.acceptance.models import QueueTicket

    other = f.bookable(hall, "社保卡补办")
    today = timezone.localdate()
    Slot.objects.filter(pk=f.slot(food, today, capacity=10).pk).update(booked_count=3)
    f.slot(other, today, capacity=5)
    for number, matter, status in (("A001", food, "waiting"), ("A002", food, "waiting"), ("A003", other, "waiting"),
                                   ("A004", food, "done")):
        QueueTicket.objects.create(hall=hall, date=today, number=number, bookable_matter=matter, status=status)
    page = client.get(reverse("acceptance-public:hall", args=[hall.pk]))
    live = page.context["live"]
    assert (live["booked"], live["remaining"], live["waiting"]) == (3, 12, 3)
    assert {i["name"]: (i["booked"], i["remaining"], i["waiting"]) for i in live["items"]} == {
        "食品经营许可": (3, 7, 2), "社保卡补办": (0, 5, 1)}
    assert 'data-testid="realtime"' in page.content.decode()
