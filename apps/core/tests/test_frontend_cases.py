"""PORTAL-7.3 前置机办件统计: case records that business systems pushed to their front-end processor databases
are counted and looked up live, per processor, over real PostgreSQL connections (the exchange table is created
in the test database's own server through a separate connection, as a business system would fill it)."""
from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import psycopg2
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.services.monitoring import frontend_processor_create
from apps.core.tests.factories import grant
from apps.core.tests.test_monitoring_processors import closed_port, data_source, this_database  # noqa: F401

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")
URL = "/portal/core/monitoring/processors/cases/"


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=ZONE)


CASES = [  # case number, matter, department, channel, status, accepted, due, concluded
    ("C001", "食品经营许可", "哈尔滨市市场监督管理局", "online", "concluded", at(2), at(9), at(5)),
    ("C002", "食品经营许可", "哈尔滨市市场监督管理局", "window", "concluded", at(3), at(4), at(6)),   # overdue
    ("C003", "建设工程规划许可", "哈尔滨市自然资源和规划局", "online", "handling", at(3, 23),
     datetime(2099, 1, 1, tzinfo=ZONE), None),                                                       # still in time
    ("C004", "建设工程规划许可", "哈尔滨市自然资源和规划局", "window", "accepted", at(20), at(27), None),  # outside
]


@pytest.fixture
def exchange_table():
    """gov_exchange.case_record in the test database, filled through its own connection (committed)."""
    info = this_database()
    connection = psycopg2.connect(host=info["host"], port=info["port"], dbname=info["database"], user=info["username"],
                                  password=None if info["password"] == "unused" else info["password"])
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS gov_exchange CASCADE; CREATE SCHEMA gov_exchange;"
                       "CREATE TABLE gov_exchange.case_record (case_number text, matter_code text, matter_name text,"
                       " department_name text, region_code text, channel text, status text, accepted_at timestamptz,"
                       " due_at timestamptz, concluded_at timestamptz, pushed_at timestamptz DEFAULT now())")
        cursor.executemany("INSERT INTO gov_exchange.case_record (case_number, matter_name, department_name, channel,"
                           " status, accepted_at, due_at, concluded_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", CASES)
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA gov_exchange CASCADE")
    connection.close()


@pytest.fixture
def viewer(staff):
    return grant(staff["province"], "core.view_monitoring", "core.manage_monitoring")


def rows_of(page: str) -> list[list[str]]:
    import re

    body = page.split('data-testid="processor-cases"', 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in body.split("<tr>")[2:]]


@pytest.mark.spec("PORTAL-7.3")
def test_cases_on_a_processor_are_counted_by_department_status_and_day_and_exported(
        client, viewer, data_source, exchange_table, settings):  # noqa: F811
    settings.TIME_ZONE = "Asia/Shanghai"
    frontend_processor_create(data=this_database(), actor=viewer)
    client.force_login(viewer)
    window = {"start": "2026-11-01", "end": "2026-11-10"}
    by_department = client.get(URL, {**window, "group": "department"}).content.decode()
    assert rows_of(by_department) == [["哈尔滨市市场监督管理局", "2", "2", "1", "1"],
                                      ["哈尔滨市自然资源和规划局", "1", "0", "0", "1"]]
    assert 'data-testid="processor-total">3<' in by_department
    by_status = rows_of(client.get(URL, {**window, "group": "status"}).content.decode())
    assert [r[:2] for r in by_status] == [["已办结", "2"], ["办理中", "1"]]
    by_day = rows_of(client.get(URL, {**window, "group": "day"}).content.decode())
    assert [r[:2] for r in by_day] == [["2026-11-02", "1"], ["2026-11-03", "2"]]      # 23:00 local is still the 3rd

    export = client.get(URL, {**window, "group": "channel", "export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert ["哈尔滨市前置机", "网上办理", 2, 1, 0, 2] in values and ["哈尔滨市前置机", "窗口办理", 1, 1, 1, 0] in values


@pytest.mark.spec("PORTAL-7.3")
def test_a_processor_that_cannot_be_read_is_reported_and_the_others_still_count(
        client, viewer, data_source, exchange_table, django_assert_max_num_queries):  # noqa: F811
    frontend_processor_create(data=this_database(), actor=viewer)
    frontend_processor_create(data=this_database(name="齐齐哈尔市前置机", host="127.0.0.1", port=closed_port()),
                              actor=viewer)
    client.force_login(viewer)
    with django_assert_max_num_queries(12):      # session, user, permissions, menus, processors: no per-row queries
        page = client.get(URL, {"start": "2026-11-01", "end": "2026-11-30"}).content.decode()
    assert page.count('data-testid="processor-cases"') == 2
    assert 'data-testid="processor-total">4<' in page
    assert page.count('data-testid="processor-error"') == 1 and "读取失败" in page


@pytest.mark.spec("PORTAL-7.3")
def test_single_cases_are_found_by_number_or_matter_and_bad_conditions_are_refused(
        client, viewer, data_source, exchange_table):  # noqa: F811
    processor = frontend_processor_create(data=this_database(), actor=viewer)
    client.force_login(viewer)
    by_number = client.get(URL, {"search_processor": processor.pk, "case_number": "C002"}).content.decode()
    found = by_number.split('data-testid="case-search"', 1)[1]
    assert "C002" in found and "C001" not in found and "窗口办理" in found and "已办结" in found
    by_matter = client.get(URL, {"search_processor": processor.pk, "matter": "规划"}).content.decode()
    assert "C003" in by_matter and "C004" in by_matter and "C001" not in by_matter.split("case-search", 1)[1]
    empty = client.get(URL, {"search_processor": processor.pk}).content.decode()
    assert "请填写办件编号或事项名称" in empty
    backwards = client.get(URL, {"start": "2026-11-10", "end": "2026-11-01"}).content.decode()
    assert "结束日期不能早于开始日期" in backwards and 'data-testid="processor-cases"' not in backwards


@pytest.mark.spec("PORTAL-7.3")
def test_the_page_needs_the_monitoring_permission(client, staff):
    client.force_login(staff["province"])
    assert client.get(URL).status_code == 403
    assert reverse("core:monitoring-processor-cases") == URL
