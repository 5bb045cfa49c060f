"""事项信息汇总统计 (PORTAL-6.1 – 6.3): per city, the published items by handling level, by matter type and
matched to a business item, drawn as ECharts charts whose figures the page also gives as tables."""
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.acceptance.tests.factories import matter
from apps.core.models import OrganisationKind
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import BusinessItem, ImplementationItem
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db
URL = "/portal/matters/statistics/summary/"


@pytest.fixture
def landscape(orgs, regions):
    provincial = OrganisationFactory(name="黑龙江省市场监督管理局", region=regions["230000000000"],
                                     kind=OrganisationKind.DEPARTMENT, parent=orgs["province"])
    matter(provincial, "省级事项")                                              # 省本级, 行政许可
    matter(orgs["harbin_dept"], "市级许可")
    service = matter(orgs["harbin_dept"], "市级服务")
    ImplementationItem.objects.filter(pk=service.pk).update(matter_type="20")   # 公共服务事项
    county = matter(orgs["daoli_dept"], "区级许可")                              # Harbin's Daoli district
    business = BusinessItem.objects.create(region=regions["230100000000"], catalogue_item=county.catalogue_item,
                                           code="01", name="首次申请")
    ImplementationItem.objects.filter(pk=county.pk).update(business_item=business)
    penalty = matter(orgs["qiqihar"], "齐市处罚")
    ImplementationItem.objects.filter(pk=penalty.pk).update(matter_type="02")
    draft = matter(orgs["harbin_dept"], "草稿事项")
    ImplementationItem.objects.filter(pk=draft.pk).update(status="draft")       # not counted


def viewer(client, org, username):
    client.force_login(grant(StaffFactory(username=username, organisation=org), "view_implementationitem"))


def option(page: str, name: str) -> dict:
    return json.loads(re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', page, re.S).group(1))


def section_rows(page: str, testid: str) -> list[list[str]]:
    body = page.split(f'data-testid="{testid}"')[1].split("</tbody>")[0].split("<tbody>")[1]
    return [re.findall(r"<td>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


@pytest.mark.spec("PORTAL-6.1")
def test_items_of_each_city_by_handling_level(client, orgs, landscape):
    viewer(client, orgs["province"], "province_viewer")
    page = client.get(URL).content.decode()
    assert section_rows(page, "handling") == [["省本级", "1", "0", "0", "1"], ["哈尔滨市", "2", "1", "0", "3"],
                                              ["齐齐哈尔市", "1", "0", "0", "1"]]
    chart = option(page, "chart-handling")
    assert chart["xAxis"]["data"] == ["省本级", "哈尔滨市", "齐齐哈尔市"]
    assert [s["data"] for s in chart["series"]] == [[1, 2, 1], [0, 1, 0], [0, 0, 0]]
    assert 'data-chart-option="chart-handling"' in page and "echarts.min.js" in page


@pytest.mark.spec("PORTAL-6.2")
def test_matter_types_of_each_place(client, orgs, landscape):
    viewer(client, orgs["province"], "province_viewer")
    page = client.get(URL).content.decode()
    chart = option(page, "chart-types")
    assert [s["name"] for s in chart["series"]] == ["行政许可", "行政处罚", "公共服务事项"]
    assert [s["data"] for s in chart["series"]] == [[1, 2, 0], [0, 0, 1], [0, 1, 0]]
    assert section_rows(page, "types") == [["省本级", "1", "0", "0"], ["哈尔滨市", "2", "0", "1"],
                                           ["齐齐哈尔市", "0", "1", "0"]]


@pytest.mark.spec("PORTAL-6.3")
def test_business_items_and_matching_in_a_citys_scope(client, orgs, landscape):
    viewer(client, orgs["harbin"], "harbin_viewer")                            # the city bureau: its city only
    page = client.get(URL).content.decode()
    assert section_rows(page, "business") == [["哈尔滨市", "1", "1", "2"]]
    assert [s["data"] for s in option(page, "chart-business")["series"]] == [[1], [2]]
    assert option(page, "chart-business-items")["series"][0]["data"] == [1]
    assert "齐齐哈尔" not in page.split('data-testid="handling"')[1]


def test_fixed_queries_and_permission(client, orgs, landscape, regions):
    viewer(client, orgs["province"], "province_viewer")
    client.get(URL)                                                              # per-user caches warm
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(3):
        matter(OrganisationFactory(name=f"新部门{n}", region=regions["230202000000"]), f"新事项{n}")
    with CaptureQueriesContext(connection) as more:
        client.get(URL)
    assert len(more) == len(few)
    client.force_login(StaffFactory(username="no_perm", organisation=orgs["province"]))
    assert client.get(URL).status_code == 403
