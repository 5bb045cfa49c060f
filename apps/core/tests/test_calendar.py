"""Working-day calendar (PORTAL-7.7): package seeding, admin edits, arithmetic, bad input."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from apps.core import calendar
from apps.core.models import CalendarDay, CalendarDaySource
from apps.core.services.calendar import calendar_day_set, calendar_range_set_holiday
from apps.core.tests.factories_flow import staff_with

pytestmark = [pytest.mark.django_db, pytest.mark.spec("PORTAL-7.7")]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def year_2026():
    call_command("load_holidays", "2026", stdout=open("/dev/null", "w"))


@pytest.fixture
def calendar_admin(orgs):
    return staff_with("core.view_calendarday", "core.change_calendarday", organisation=orgs["province"])


def test_2026_national_day_and_makeup_days_come_from_the_package(year_2026):
    assert not calendar.is_working_day(date(2026, 10, 1))            # Thursday, 国庆节
    assert not calendar.is_working_day(date(2026, 10, 7))            # Wednesday, still holiday
    assert calendar.is_working_day(date(2026, 10, 10))               # Saturday, 调休上班
    assert calendar.is_working_day(date(2026, 9, 20))                # Sunday, 调休上班
    assert calendar.is_working_day(date(2026, 10, 8))                # ordinary Thursday
    row = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert (row.label, row.source) == ("国庆节", CalendarDaySource.PACKAGE)
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).label == "国庆节调休上班"


def test_add_working_days_skips_the_national_day_holiday(year_2026):
    start = datetime(2026, 9, 30, 15, 30, tzinfo=SH)                 # Wednesday afternoon
    # Next working day after 9-30 is 10-08 (holiday 10-01..10-07); the start day never counts.
    assert calendar.add_working_days(start, 1) == datetime(2026, 10, 8, 15, 30, tzinfo=SH)
    assert calendar.add_working_days(start, 3) == datetime(2026, 10, 10, 15, 30, tzinfo=SH)   # Sat make-up day
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_working_days_between_is_the_inverse(year_2026):
    start = datetime(2026, 9, 28, 9, 0, tzinfo=SH)
    for n in (1, 3, 5, 12):
        assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n
    assert calendar.working_days_between(start, start) == 0


def test_end_before_start_is_refused():
    with pytest.raises(ValueError, match="早于开始时间"):
        calendar.working_days_between(datetime(2026, 5, 2, tzinfo=SH), datetime(2026, 5, 1, tzinfo=SH))
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 5, 1), -1)


def test_admin_marks_a_holiday_and_the_deadline_moves(calendar_admin, django_capture_on_commit_callbacks):
    start = date(2026, 11, 2)                                         # Monday; no package holiday in November
    assert calendar.add_working_days(start, 1) == date(2026, 11, 3)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(day=date(2026, 11, 3), kind="holiday", label="冰雪节", by=calendar_admin)
    assert calendar.add_working_days(start, 1) == date(2026, 11, 4)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(day=date(2026, 11, 7), kind="makeup", label="冰雪节调休", by=calendar_admin)
    assert calendar.add_working_days(date(2026, 11, 6), 1) == date(2026, 11, 7)


def test_load_holidays_keeps_manual_edits(calendar_admin, year_2026):
    calendar_day_set(day=date(2026, 10, 1), kind="working", label="值班", by=calendar_admin)
    call_command("load_holidays", "2026", stdout=open("/dev/null", "w"))
    row = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert row.is_working_day and row.source == CalendarDaySource.MANUAL
    assert CalendarDay.objects.filter(date__year=2026, source=CalendarDaySource.PACKAGE).count() > 20


def test_range_ending_before_it_starts_writes_nothing(calendar_admin):
    with pytest.raises(ValidationError) as excinfo:
        calendar_range_set_holiday(start=date(2026, 12, 5), end=date(2026, 12, 1), label="测试", by=calendar_admin)
    assert "早于开始日期" in str(excinfo.value)
    assert not CalendarDay.objects.exists()


def test_staff_without_permission_cannot_edit(staff):
    with pytest.raises(PermissionDenied):
        calendar_day_set(day=date(2026, 12, 1), kind="holiday", by=staff["harbin"])
    assert not CalendarDay.objects.exists()


def test_admin_page_sets_a_range_and_refuses_a_reversed_one(client, calendar_admin):
    client.force_login(calendar_admin)
    url = reverse("core:calendar")
    bad = client.post(url, {"range": "1", "start": "2026-12-10", "end": "2026-12-01", "label": "测试"})
    assert bad.status_code == 400 and "早于开始日期" in bad.content.decode()
    assert not CalendarDay.objects.exists()
    ok = client.post(url, {"range": "1", "start": "2026-12-01", "end": "2026-12-03", "label": "冰雪节"})
    assert ok.status_code == 302
    assert CalendarDay.objects.filter(is_holiday=True, label="冰雪节").count() == 3
    page = client.get(url, {"year": 2026, "month": 12})
    assert page.status_code == 200 and "冰雪节" in page.content.decode()


def test_page_needs_view_permission_and_hides_edit_forms_without_change(client, staff, orgs):
    client.force_login(staff["harbin"])
    assert client.get(reverse("core:calendar")).status_code == 403
    viewer = staff_with("core.view_calendarday", organisation=orgs["harbin"])
    client.force_login(viewer)
    page = client.get(reverse("core:calendar"))
    assert page.status_code == 200 and "批量设置节假日" not in page.content.decode()
    assert client.post(reverse("core:calendar"), {"day": "2026-12-01", "kind": "holiday"}).status_code == 403


def test_api_lists_a_year_and_adds_working_days(client, staff, year_2026, django_assert_max_num_queries):
    client.force_login(staff["qiqihar"])
    with django_assert_max_num_queries(4):
        days = client.get("/api/v1/core/calendar/days/", {"year": 2026}).json()
    assert {"date": "2026-10-10", "kind": "makeup"}.items() <= next(d for d in days if d["date"] == "2026-10-10").items()
    result = client.get("/api/v1/core/calendar/add-working-days/", {"start": "2026-09-30T15:30:00+08:00", "days": 1})
    assert result.status_code == 200 and result.json()["result"].startswith("2026-10-08T15:30:00")
    bad = client.get("/api/v1/core/calendar/working-days-between/",
                     {"start": "2026-10-09T00:00:00+08:00", "end": "2026-10-01T00:00:00+08:00"})
    assert bad.status_code == 400 and "end" in bad.json()["errors"]


def test_a_range_is_read_in_one_query(year_2026, django_assert_num_queries):
    calendar.invalidate()
    with django_assert_num_queries(1):
        calendar.working_days_between(date(2026, 1, 1), date(2027, 12, 31))
    with django_assert_num_queries(0):                  # cached in the process until the next edit
        calendar.add_working_days(date(2026, 3, 1), 30)
