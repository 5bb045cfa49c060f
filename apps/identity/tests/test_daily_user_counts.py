"""按日统计用户数 (PORTAL-7.8): per day, public accounts to date (all, legal persons, natural persons) and the
day's registrations, by date range and home region, in the staff member's region, exported to Excel."""
import io
import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from apps.identity.models import User, UserKind
from apps.identity.tests.conftest import give
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/portal/identity/statistics/daily-users/"


def at(text: str) -> datetime:
    """A platform-local (Asia/Shanghai) time."""
    return timezone.make_aware(datetime.fromisoformat(text))


@pytest.fixture
def accounts(regions):
    daoli, harbin, qiqihar = regions["230102000000"], regions["230100000000"], regions["230202000000"]
    natural, legal = UserKind.NATURAL_PERSON, UserKind.LEGAL_PERSON
    made = {
        "n0": UserFactory(username="n0", kind=natural, home_region=daoli, date_joined=at("2026-02-20 09:00")),
        "l0": UserFactory(username="l0", kind=legal, home_region=harbin, date_joined=at("2026-02-25 09:00")),
        "gone_before": UserFactory(username="gb", kind=natural, home_region=daoli, date_joined=at("2026-02-10 09:00")),
        "n3": UserFactory(username="n3", kind=natural, home_region=daoli, date_joined=at("2026-03-01 09:00")),
        "n1": UserFactory(username="n1", kind=natural, home_region=daoli, date_joined=at("2026-03-02 23:30")),
        "l1": UserFactory(username="l1", kind=legal, home_region=harbin, date_joined=at("2026-03-03 00:10")),
        "n2": UserFactory(username="n2", kind=natural, home_region=qiqihar, date_joined=at("2026-03-03 10:00")),
    }
    StaffFactory(username="new_staff", date_joined=at("2026-03-02 10:00"))          # staff are not counted
    User.objects.filter(username="gb").update(deleted_at=at("2026-02-28 10:00"))
    User.objects.filter(username="n3").update(deleted_at=at("2026-03-04 12:00"))
    return made


def table(page: str) -> list[tuple]:
    body = page.split('data-testid="daily-users"')[1].split("</tbody>")[0]
    return [tuple(int(c) if c.isdigit() else c for c in re.findall(r"<td>([^<]*)</td>", row))
            for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1])]


@pytest.mark.spec("PORTAL-7.8")
def test_daily_totals_and_new_users_by_kind(client, staff, accounts):
    admin = staff["province"]
    give(admin, "identity.view_user", code="stats_viewer")
    client.force_login(admin)
    page = client.get(URL, {"start": "2026-03-01", "end": "2026-03-05"}).content.decode()
    # date, total, total legal, total natural, new, new legal, new natural — 23:30 and 00:10 local time
    # fall on their local days; a deletion lowers the totals from its day on
    assert table(page) == [
        ("2026-03-01", 3, 1, 2, 1, 0, 1),
        ("2026-03-02", 4, 1, 3, 1, 0, 1),
        ("2026-03-03", 6, 2, 4, 2, 1, 1),
        ("2026-03-04", 5, 2, 3, 0, 0, 0),
        ("2026-03-05", 5, 2, 3, 0, 0, 0),
    ]
    qiqihar = client.get(URL, {"start": "2026-03-02", "end": "2026-03-03", "region": "230200000000"})
    assert table(qiqihar.content.decode()) == [("2026-03-02", 0, 0, 0, 0, 0, 0), ("2026-03-03", 1, 0, 1, 1, 0, 1)]


@pytest.mark.spec("PORTAL-7.8")
def test_a_city_counts_only_its_own_users(client, staff, accounts):
    city = staff["harbin"]
    give(city, "identity.view_user", code="stats_viewer")
    client.force_login(city)
    own = table(client.get(URL, {"start": "2026-03-03", "end": "2026-03-03"}).content.decode())
    assert own == [("2026-03-03", 5, 2, 3, 1, 1, 0)]        # Harbin: n0, n3, n1, l0 + l1; not Qiqihar's n2
    other = client.get(URL, {"start": "2026-03-03", "end": "2026-03-03", "region": "230200000000"}).content.decode()
    assert 'data-testid="error-region"' in other and 'data-testid="daily-users"' not in other
    assert 'data-testid="export"' not in other
    client.force_login(staff["qiqihar"])                     # no permission
    assert client.get(URL).status_code == 403


@pytest.mark.spec("PORTAL-7.8")
@pytest.mark.parametrize("query, field, message", [
    ({"start": "2026-03-05", "end": "2026-03-01"}, "end", "结束日期不能早于开始日期。"),
    ({"start": "2025-01-01", "end": "2026-03-01"}, "end", "一次最多统计 366 天。"),
    ({"start": "2026-03-01", "end": "2099-01-01"}, "end", "结束日期不能晚于今天。"),
    ({"start": "yesterday", "end": "2026-03-01"}, "start", "输入一个有效的日期。"),
])
def test_bad_conditions_are_refused_clearly(client, staff, query, field, message):
    admin = staff["province"]
    give(admin, "identity.view_user", code="stats_viewer")
    client.force_login(admin)
    page = client.get(URL, query).content.decode()
    error = page.split(f'data-testid="error-{field}"')[1].split("</ul>")[0]
    assert message in error and 'data-testid="daily-users"' not in page


@pytest.mark.spec("PORTAL-7.8")
def test_export_holds_the_rows_on_the_page(client, staff, accounts):
    admin = staff["province"]
    give(admin, "identity.view_user", code="stats_viewer")
    client.force_login(admin)
    page = client.get(URL, {"start": "2026-03-02", "end": "2026-03-04"}).content.decode()
    link = re.search(r'href="\?([^"]+)" data-testid="export"', page).group(1).replace("&amp;", "&")
    response = client.get(f"{URL}?{link}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("统计日期", "截至当日用户总数", "截至当日法人用户总数", "截至当日自然人用户总数", "当日新增用户数",
                       "当日新增法人用户数", "当日新增自然人用户数")
    assert [(r[0].date().isoformat() if hasattr(r[0], "date") else str(r[0]), *r[1:]) for r in rows[1:]] \
        == table(page)


def test_the_page_is_four_aggregate_queries_whatever_the_range(client, staff, accounts):
    admin = staff["province"]
    give(admin, "identity.view_user", code="stats_viewer")
    client.force_login(admin)
    counts = []
    for start in ("2026-03-01", "2025-12-01"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"start": start, "end": "2026-11-01"}).status_code == 200
        counts.append(sum("identity_user" in q["sql"] and "COUNT(" in q["sql"] for q in queries.captured_queries))
    assert counts == [4, 4]
