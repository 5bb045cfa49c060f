"""省直单位事项统计: PORTAL-7.4 (a day's items of every provincial-direct unit, by date type, department name and
code, applicant type and running status) and PORTAL-7.5 (each unit's items up to a day), with Excel export."""
import io
import re
from datetime import datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from apps.acceptance.tests.factories import matter
from apps.core.models import DataSourceCode, OrganisationKind
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import ImplementationItem
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db
URL = "/portal/matters/statistics/provincial-units/"


def at(text: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(text))


def _item(unit, *, created, published=None, targets="自然人、法人", status="published"):
    item = matter(unit, "事项")
    ImplementationItem.objects.filter(pk=item.pk).update(
        created_at=at(created), published_at=at(published) if published else None, service_targets=targets,
        status=status)


@pytest.fixture
def units(orgs, regions):
    province = regions["230000000000"]
    dept = OrganisationKind.DEPARTMENT
    market = OrganisationFactory(name="黑龙江省市场监督管理局", region=province, kind=dept, parent=orgs["province"])
    health = OrganisationFactory(name="黑龙江省卫生健康委员会", region=province, kind=dept, parent=orgs["province"])
    OrganisationFactory(name="黑龙江省体育局", region=province, kind=dept, parent=orgs["province"])   # no items
    DataSourceCode.objects.create(code="SZ001", name="省市场监管局", organisation=market, scope_region=province)
    DataSourceCode.objects.create(code="SZ002", name="省卫健委", organisation=health, scope_region=province)
    _item(market, created="2026-04-01 09:00", published="2026-04-10 10:00", targets="法人")
    _item(market, created="2026-04-10 08:00", published="2026-04-10 23:30", targets="自然人")
    _item(market, created="2026-04-11 00:10", published="2026-04-11 09:00", targets="法人")       # the next day
    _item(health, created="2026-04-10 11:00", status="suspended", targets="自然人、法人")
    _item(orgs["harbin_dept"], created="2026-04-10 09:00", published="2026-04-10 10:00")           # a city's item
    return {"market": market, "health": health}


def table(page: str) -> list[tuple]:
    body = page.split('data-testid="provincial-items"')[1].split("<tbody>")[1].split("</tbody>")[0]
    return [tuple(int(c) if c.isdigit() else c for c in re.findall(r"<td>([^<]*)</td>", row))
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


@pytest.fixture
def province_viewer(client, orgs):
    client.force_login(grant(StaffFactory(username="province_viewer", organisation=orgs["province"]),
                             "view_implementationitem"))
    return client


@pytest.mark.spec("PORTAL-7.4", "PORTAL-7.5")
def test_every_provincial_unit_with_the_days_items_and_the_items_up_to_the_day(province_viewer, units):
    page = province_viewer.get(URL, {"day": "2026-04-10", "date_type": "published"}).content.decode()
    # code, unit, items published that day, items created by the end of the day — a city department is no
    # provincial-direct unit; a unit without a code or items is still listed
    assert table(page) == [("SZ001", "黑龙江省市场监督管理局", 2, 2), ("SZ002", "黑龙江省卫生健康委员会", 0, 1),
                           ("—", "黑龙江省体育局", 0, 0)]
    created = province_viewer.get(URL, {"day": "2026-04-10", "date_type": "created"}).content.decode()
    assert table(created)[:2] == [("SZ001", "黑龙江省市场监督管理局", 1, 2), ("SZ002", "黑龙江省卫生健康委员会", 1, 1)]


@pytest.mark.spec("PORTAL-7.4")
@pytest.mark.parametrize("conditions, expected", [
    ({"name": "卫生"}, [("SZ002", "黑龙江省卫生健康委员会", 0, 1)]),
    ({"code": "SZ001"}, [("SZ001", "黑龙江省市场监督管理局", 2, 2)]),
    ({"applicant_type": "legal_person", "code": "SZ"}, [("SZ001", "黑龙江省市场监督管理局", 1, 1),
                                                        ("SZ002", "黑龙江省卫生健康委员会", 0, 1)]),
    ({"status": "suspended", "code": "SZ"}, [("SZ001", "黑龙江省市场监督管理局", 0, 0),
                                             ("SZ002", "黑龙江省卫生健康委员会", 0, 1)]),
])
def test_conditions(province_viewer, units, conditions, expected):
    page = province_viewer.get(URL, {"day": "2026-04-10", "date_type": "published", **conditions}).content.decode()
    assert table(page) == expected


@pytest.mark.spec("PORTAL-7.5")
def test_export_and_refusals(province_viewer, units, client, orgs):
    page = province_viewer.get(URL, {"day": "2026-04-11", "date_type": "published", "code": "SZ"}).content.decode()
    link = re.search(r'href="\?([^"]+)" data-testid="export"', page).group(1).replace("&amp;", "&")
    rows = list(load_workbook(io.BytesIO(province_viewer.get(f"{URL}?{link}").content)).active.iter_rows(
        values_only=True))
    assert rows == [("部门编码", "部门名称", "当日事项数", "截至当日事项数"), ("SZ001", "黑龙江省市场监督管理局", 1, 3),
                    ("SZ002", "黑龙江省卫生健康委员会", 0, 1)]
    future = province_viewer.get(URL, {"day": "2099-01-01", "date_type": "published"}).content.decode()
    assert "统计日期不能晚于今天。" in future and 'data-testid="provincial-items"' not in future
    bad = province_viewer.get(URL, {"day": "2026-04-10", "date_type": "tomorrow"}).content.decode()
    assert 'data-testid="error-date_type"' in bad
    client.force_login(StaffFactory(username="no_perm", organisation=orgs["province"]))
    assert client.get(URL).status_code == 403


def test_a_provincial_unit_sees_only_itself(client, units):
    client.force_login(grant(StaffFactory(username="market_clerk", organisation=units["market"]),
                             "view_implementationitem"))
    page = client.get(URL, {"day": "2026-04-10", "date_type": "published"}).content.decode()
    assert table(page) == [("SZ001", "黑龙江省市场监督管理局", 2, 2)]
