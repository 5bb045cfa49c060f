"""按日统计办件数 (PORTAL-7.6): per day and department, the cases submitted, accepted and concluded that day,
by date range and department name, inside the user's scope, paginated and exported to Excel."""
import io
import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from apps.acceptance.models import Case
from apps.acceptance.services.cases import case_accept, case_register
from apps.acceptance.tests import factories as f
from apps.acceptance.views.case_stats import DailyCaseCountView
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
URL = "/portal/acceptance/case-statistics/daily/"
HARBIN, DAOLI = "哈尔滨市市场监督管理局", "道里区市场监督管理局"


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def _case(item, actor, n, *, submitted, accepted=None, concluded=None):
    case = case_register(item=item, applicant_name=f"申请人{n}", applicant_id_number=f.id_number(n),
                         applicant_mobile=f"139{n:08d}", actor=actor)
    if accepted:
        case_accept(case=case, actor=actor)
    Case.objects.filter(pk=case.pk).update(submitted_at=at(submitted), accepted_at=at(accepted) if accepted else None,
                                           concluded_at=at(concluded) if concluded else None)


@pytest.fixture
def cases(orgs):
    harbin = f.dispatch_admin(orgs["harbin_dept"])
    daoli = f.dispatch_admin(orgs["daoli_dept"], "daoli_clerk")
    qiqihar = f.dispatch_admin(orgs["qiqihar"], "qiqihar_clerk")
    licence = f.matter(orgs["harbin_dept"], "食品经营许可")
    # 23:50 local time is still the 10th; accepted the next morning, concluded the day after
    _case(licence, harbin, 1, submitted="2026-05-10 23:50", accepted="2026-05-11 08:00", concluded="2026-05-12 10:00")
    _case(licence, harbin, 2, submitted="2026-05-11 09:00", accepted="2026-05-11 09:30")
    _case(f.matter(orgs["daoli_dept"], "社会保障卡申领"), daoli, 3, submitted="2026-05-11 10:00")
    _case(f.matter(orgs["qiqihar"], "道路运输经营许可"), qiqihar, 4, submitted="2026-05-11 11:00",
          accepted="2026-05-11 11:30")


def viewer(org, username):
    return f.grant(StaffFactory(username=username, organisation=org), "view_case")


def table(page: str) -> list[tuple]:
    body = page.split('data-testid="daily-cases"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [tuple(int(c) if c.isdigit() else c for c in re.findall(r"<td>([^<]*)</td>", row))
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def totals(page: str) -> tuple:
    row = page.split('data-testid="totals"')[1].split("</tr>")[0]
    return tuple(int(c) for c in re.findall(r"<td>(\d+)</td>", row))


@pytest.mark.spec("PORTAL-7.6")
def test_cases_per_day_and_department_in_the_city(client, orgs, cases):
    client.force_login(viewer(orgs["harbin"], "harbin_viewer"))
    page = client.get(URL, {"start": "2026-05-10", "end": "2026-05-12"}).content.decode()
    # date, department, submitted, accepted, concluded — Qiqihar's case is outside Harbin's scope
    assert table(page) == [("2026-05-10", HARBIN, 1, 0, 0), ("2026-05-11", HARBIN, 1, 2, 0),
                           ("2026-05-11", DAOLI, 1, 0, 0), ("2026-05-12", HARBIN, 0, 0, 1)]
    assert totals(page) == (3, 2, 1)
    daoli = client.get(URL, {"start": "2026-05-10", "end": "2026-05-12", "department": "道里"}).content.decode()
    assert table(daoli) == [("2026-05-11", DAOLI, 1, 0, 0)]
    client.force_login(viewer(orgs["province"], "province_viewer"))
    province = client.get(URL, {"start": "2026-05-11", "end": "2026-05-11"}).content.decode()
    assert ("2026-05-11", "齐齐哈尔市营商环境建设监督局", 1, 1, 0) in table(province)
    empty = client.get(URL, {"start": "2026-04-01", "end": "2026-04-02"}).content.decode()
    assert 'data-testid="no-cases"' in empty


@pytest.mark.spec("PORTAL-7.6")
def test_export_and_pages_keep_the_conditions(client, orgs, cases, monkeypatch):
    client.force_login(viewer(orgs["harbin"], "harbin_viewer"))
    monkeypatch.setattr(DailyCaseCountView, "per_page", 3)
    query = {"start": "2026-05-10", "end": "2026-05-12"}
    first = client.get(URL, query).content.decode()
    second_link = re.search(r'href="\?([^"]+page=2)"', first).group(1).replace("&amp;", "&")
    second = client.get(f"{URL}?{second_link}").content.decode()
    assert table(first) + table(second) == [("2026-05-10", HARBIN, 1, 0, 0), ("2026-05-11", HARBIN, 1, 2, 0),
                                            ("2026-05-11", DAOLI, 1, 0, 0), ("2026-05-12", HARBIN, 0, 0, 1)]
    link = re.search(r'href="\?([^"]+)" data-testid="export"', first).group(1).replace("&amp;", "&")
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}?{link}").content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("统计日期", "部门名称", "申报办件数", "受理办件数", "办结办件数")
    assert [(r[0].strftime("%Y-%m-%d"), *r[1:]) for r in rows[1:]] == table(first) + table(second)


@pytest.mark.spec("PORTAL-7.6")
def test_bad_conditions_and_missing_permission_are_refused(client, orgs):
    client.force_login(viewer(orgs["harbin"], "harbin_viewer"))
    page = client.get(URL, {"start": "2026-05-12", "end": "2026-05-10"}).content.decode()
    assert "结束日期不能早于开始日期。" in page and 'data-testid="daily-cases"' not in page
    client.force_login(StaffFactory(username="no_perm", organisation=orgs["harbin"]))
    assert client.get(URL).status_code == 403


def test_three_grouped_queries_whatever_the_range(client, orgs, cases):
    client.force_login(viewer(orgs["harbin"], "harbin_viewer"))
    counts = []
    for start in ("2026-05-10", "2025-12-01"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"start": start, "end": "2026-05-31"}).status_code == 200
        counts.append(sum('FROM "acceptance_case"' in q["sql"] for q in queries.captured_queries))
    assert counts == [3, 3]
