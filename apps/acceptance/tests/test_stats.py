"""Appointment statistics with a known data set (ACC-2.x)."""
from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from apps.acceptance import stats
from apps.acceptance.models import Appointment, AppointmentStatus, QueueTicket
from apps.acceptance.tests import factories as f


def make(bookable, citizen, day, status, n, start=time(8)):
    slot = f.slot(bookable, day, start=start, end=time(start.hour + 1), capacity=10) \
        if not bookable.slots.filter(date=day, period_start=start).exists() else \
        bookable.slots.get(date=day, period_start=start)
    slot.booked_count += 1
    slot.save()
    return Appointment.objects.create(appointment_number=f"YYS{n:05d}", user=citizen, slot=slot, hall=bookable.hall,
                                      bookable_matter=bookable, date=day, period_start=slot.period_start,
                                      period_end=slot.period_end, status=status, **f.booker(n))


@pytest.fixture
def dataset(hall, sub_hall, citizens):
    main = f.bookable(hall, "食品经营许可")
    main.department_name = "市场监管局"
    main.save()
    sub = f.bookable(sub_hall, "社保卡补办")
    sub.department_name = "人社局"
    sub.save()
    n = iter(range(1, 100))
    for status in (AppointmentStatus.FULFILLED, AppointmentStatus.FULFILLED, AppointmentStatus.NO_SHOW,
                   AppointmentStatus.CANCELLED):
        make(main, citizens[0], date(2026, 3, 2), status, next(n))
    checked = make(sub, citizens[0], date(2026, 4, 1), AppointmentStatus.CHECKED_IN, next(n))
    make(sub, citizens[0], date(2026, 4, 1), AppointmentStatus.NO_SHOW, next(n))
    QueueTicket.objects.create(hall=sub_hall, date=date(2026, 4, 1), number="Y001", appointment=checked,
                               is_priority=True)
    QueueTicket.objects.create(hall=sub_hall, date=date(2026, 4, 1), number="A001")
    return main, sub


@pytest.mark.spec("ACC-2.1", "ACC-2.2", "ACC-2.3", "ACC-2.4", "ACC-2.7")
def test_indicators_trend_and_linkage_match_the_data(dataset, hall_admin, sub_hall_admin):
    first, last = date(2026, 3, 1), date(2026, 4, 30)
    by_hall = {r["name"]: r for r in stats.indicators(user=hall_admin, first=first, last=last, by="hall")}
    assert by_hall["哈尔滨市政务服务中心"] == {"name": "哈尔滨市政务服务中心", "volume": 3, "fulfilled": 2,
                                               "fulfilment_rate": 66.7, "appointment_rate": 30.0}
    assert (by_hall["道里区分厅"]["volume"], by_hall["道里区分厅"]["fulfilled"]) == (2, 1)
    by_region = {r["name"]: r["volume"] for r in stats.indicators(user=hall_admin, first=first, last=last,
                                                                   by="region")}
    assert by_region == {"哈尔滨市": 3, "道里区": 2}
    by_department = {r["name"]: r["fulfilled"] for r in stats.indicators(user=hall_admin, first=first, last=last,
                                                                          by="department")}
    assert by_department == {"市场监管局": 2, "人社局": 1}
    assert stats.trend(user=hall_admin, first=first, last=last, unit="month") == [
        {"bucket": "2026-03", "volume": 3}, {"bucket": "2026-04", "volume": 2}]
    assert [r["volume"] for r in stats.trend(user=hall_admin, first=first, last=last, unit="day")] == [3, 2]
    assert stats.linkage(user=hall_admin, first=first, last=last) == {
        "booked_with_ticket": 1, "booked_without_ticket": 1 + 3, "ticket_without_booking": 1}
    # The sub-hall's administrator sees only the sub-hall.
    assert [r["name"] for r in stats.indicators(user=sub_hall_admin, first=first, last=last, by="hall")] == [
        "道里区分厅"]


@pytest.mark.spec("ACC-2.0")
def test_statistics_page_shows_tables_and_echarts(client, dataset, hall_admin, citizens):
    client.force_login(hall_admin)
    response = client.get(reverse("acceptance:statistics"), {"first": "2026-03-01", "last": "2026-04-30",
                                                             "unit": "month", "chart": "bar"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "vendor/echarts/echarts.min.js" in page and 'id="acc-stats"' in page and '"chart": "bar"' in page
    assert "哈尔滨市政务服务中心" in page and "66.7%" in page
    assert '"maximum": 10' in page
    client.force_login(citizens[0])
    assert client.get(reverse("acceptance:statistics")).status_code == 403


@pytest.mark.spec("ACC-2.5", "ACC-2.8")
def test_hotspots_and_indicators_per_item(client, dataset, hall_admin, hall, sub_hall_admin):
    first, last = date(2026, 3, 1), date(2026, 4, 30)
    hot = stats.hotspots(user=hall_admin, first=first, last=last)
    assert hot == {"items": [{"name": "食品经营许可", "volume": 3}, {"name": "社保卡补办", "volume": 2}],
                   "halls": [{"name": "哈尔滨市政务服务中心", "volume": 3}, {"name": "道里区分厅", "volume": 2}]}
    assert stats.hotspots(user=hall_admin, first=first, last=last, hall=hall.pk)["items"] == [
        {"name": "食品经营许可", "volume": 3}]
    assert stats.hotspots(user=hall_admin, first=first, last=last, matter="社保")["halls"] == [
        {"name": "道里区分厅", "volume": 2}]
    assert stats.hotspots(user=hall_admin, first=date(2026, 4, 1), last=last)["items"] == [
        {"name": "社保卡补办", "volume": 2}]                                              # time filter
    by_item = {r["name"]: r for r in stats.indicators(user=hall_admin, first=first, last=last, by="item")}
    assert (by_item["食品经营许可"]["volume"], by_item["食品经营许可"]["fulfilled"]) == (3, 2)
    assert by_item["社保卡补办"]["fulfilment_rate"] == 50.0
    assert stats.hotspots(user=sub_hall_admin, first=first, last=last)["halls"] == [{"name": "道里区分厅", "volume": 2}]
    client.force_login(hall_admin)
    page = client.get(reverse("acceptance:statistics"), {"first": "2026-03-01", "last": "2026-04-30"}).content.decode()
    assert 'data-testid="hot-items"' in page and 'data-testid="by-item"' in page
