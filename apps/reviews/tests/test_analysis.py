"""Analysis pages: cockpit (REV-13.1, 13.2.1, 13.2.5, 23.11.1), channels (REV-23.11.2–23.11.4), items
and comparisons (REV-23.11.5, 11.5.2–11.5.4), indicator query (REV-11.6), common problems (REV-9.3),
aggregation monitoring (REV-9.5), and the public region/department/hall pages (REV-23.7, 12.7, 12.11)."""
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.matters.models import ApplicationMaterial, ImplementationItem
from apps.reviews.models import CommonProblemOpinion, Evaluation
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import (
    HARBIN,
    QIQIHAR,
    World,
    evaluate,
    handler,
    login,
    rate,
)

pytestmark = pytest.mark.django_db


def chart(page: str, script_id: str) -> dict:
    return json.loads(page.split(f'id="{script_id}" type="application/json">')[1].split("</script>")[0])


@pytest.mark.spec("REV-13.1", "REV-13.2.1", "REV-13.2.5", "REV-23.11", "REV-23.11.1")
def test_cockpit_navigates_regions_with_overall_figures_and_rankings(province, orgs, staff, citizen):
    http = login(handler(orgs["province"], "cockpit"))
    page = http.get(reverse("reviews:cockpit")).content.decode()
    assert f"?region={HARBIN}" in page and f"?region={QIQIHAR}" in page  # region navigation
    overall = page.split('data-testid="cockpit-overall"')[1].split("</section>")[0]
    assert "<strong>9</strong>" in overall and 'data-testid="connected">2<' in overall
    regions = page.split('data-testid="cockpit-regions"')[1].split("</table>")[0]
    assert regions.index("哈尔滨市") < regions.index("齐齐哈尔市")
    assert chart(page, "ch-levels")["series"][0]["data"] == [3, 1, 2, 2, 1]
    assert chart(page, "ch-channels")["series"][0]["type"] == "radar"
    city = http.get(reverse("reviews:cockpit"), {"region": HARBIN}).content.decode()
    assert "哈尔滨市市场监督管理局" in city.split('data-testid="cockpit-departments"')[1]
    assert "<strong>5</strong>" in city.split('data-testid="cockpit-overall"')[1].split("</section>")[0]
    assert Client().get(reverse("reviews:cockpit")).status_code == 302
    assert login(citizen).get(reverse("reviews:cockpit")).status_code == 403
    assert login(staff["province"]).get(reverse("reviews:cockpit")).status_code == 403


@pytest.mark.spec("REV-23.11.2", "REV-23.11.3", "REV-23.11.4")
def test_channel_trend_totals_and_department_score_changes(world, orgs):
    now = timezone.now()
    evaluate(world.case(1), level=3, channel="pc")
    Evaluation.objects.update(evaluated_at=now - timedelta(days=40))  # the previous 30-day period
    evaluate(world.case(2), level=1, channel="pc")
    evaluate(world.case(3), level=2, channel="app")
    aggregate_pending()
    page = login(handler(orgs["harbin"], "channels")).get(reverse("reviews:analysis-channels"),
                                                          {"channel": "pc", "days": 30}).content.decode()
    trend = chart(page, "ch-trend")
    assert {s["name"] for s in trend["series"]} == {"政务服务网", "移动端"} and len(trend["xAxis"]["data"]) == 30
    assert trend["series"][0]["data"][-1] in (100.0, 80.0)
    totals = page.split('data-testid="channel-totals"')[1].split("</table>")[0]
    assert "<td>政务服务网</td><td>1</td><td>100.0</td>" in totals  # only the recent period counts
    changes = page.split('data-testid="channel-changes"')[1].split("</table>")[0]
    assert "哈尔滨市市场监督管理局" in changes and "+40.0" in changes and "60.0" in changes


@pytest.mark.spec("REV-23.11.5", "REV-11.5.2")
def test_item_satisfaction_by_level_and_horizontal_comparison(province, orgs):
    http = login(handler(orgs["province"], "items"))
    page = http.get(reverse("reviews:analysis-items")).content.decode()
    ranked = page.split('data-testid="item-satisfaction"')[1].split("</table>")[0]
    assert ranked.count("食品经营许可") == 2 and "100.0" in ranked
    bad = http.get(reverse("reviews:analysis-items"), {"level": 5}).content.decode()
    ranked = bad.split('data-testid="item-satisfaction"')[1].split("</table>")[0]
    assert ranked.count("食品经营许可") == 1 and "该等级评价数" in bad
    comparison = page.split('data-testid="item-comparison"')[1].split("</table>")[0]
    assert "哈尔滨市市场监督管理局" in comparison and "<td>2</td>" in comparison  # 2 cases, 2 evaluations
    dept = http.get(reverse("reviews:analysis-items"), {"department": orgs["qiqihar"].pk}).content.decode()
    assert dept.split('data-testid="item-satisfaction"')[1].split("</table>")[0].count("食品经营许可") == 1


def _same_item_elsewhere(item, org):
    other = ImplementationItem.objects.create(
        name=item.name, matter_type="01", region=org.region, handling_department=org, catalogue_item=item.catalogue_item,
        basic_code=item.basic_code, implementation_code=f"{item.implementation_code}Q", implementing_body=org,
        status="published", committed_limit_working_days=5)
    ApplicationMaterial.objects.create(implementation_item=other, name="申请书", order=1)
    ApplicationMaterial.objects.create(implementation_item=item, name="申请书", order=1)
    ApplicationMaterial.objects.create(implementation_item=item, name="营业执照", order=2)
    return other


@pytest.mark.spec("REV-11.5.3", "REV-11.5.4")
def test_item_detail_and_comparison_of_chosen_units(province, orgs):
    item = province.harbin.item
    other = _same_item_elsewhere(item, orgs["qiqihar"])
    rate("matter", other, 1, channel="pc")
    http = login(handler(orgs["province"], "compare"))
    detail = http.get(reverse("reviews:analysis-item", args=[item.pk])).content.decode()
    assert item.implementation_code in detail and "评价数 2" in detail and "齐齐哈尔市营商环境建设监督局" in detail
    page = http.get(reverse("reviews:analysis-compare"), {"items": [item.pk, other.pk]}).content.decode()
    items = page.split('data-testid="compare-items"')[1].split("</table>")[0]
    assert "申请书、营业执照" in items and items.count('data-differs="1"') == 2  # promised limit, materials
    cases = page.split('data-testid="compare-cases"')[1].split("</table>")[0]
    assert 'data-differs="1"' in cases and "<td>2</td><td>0</td>" in cases
    reviews = page.split('data-testid="compare-reviews"')[1].split("</table>")[0]
    assert "100.0%" in reviews and "2/0/0/0/0" in reviews and "1/0/0/0/0" in reviews
    unrelated = province.qiqihar.item
    refused = http.get(reverse("reviews:analysis-compare"), {"items": [item.pk, unrelated.pk]})
    assert refused.status_code == 400 and "同一事项" in refused.content.decode()
    daoli = login(handler(orgs["daoli_dept"], "daoli_items"))
    assert daoli.get(reverse("reviews:analysis-item", args=[item.pk])).status_code == 404


@pytest.mark.spec("REV-11.6", "REV-11.5")
def test_open_indicator_query_and_department_scope(orgs):
    harbin, qiqihar = World(orgs["harbin_dept"]), World(orgs["qiqihar"])
    other = _same_item_elsewhere(harbin.item, orgs["qiqihar"])
    for n, ind in enumerate((["办事效率"], ["办事效率"], ["服务态度"])):
        rate("matter", harbin.item, 1, indicators=ind, when=timezone.now() - timedelta(minutes=n))
    rate("matter", other, 2, indicators=["办事效率"])
    rate("matter", other, 2, indicators=["服务态度"])
    aggregate_pending()
    params = {"catalogue_item": harbin.item.catalogue_item_id, "indicator": "办事效率"}
    page = login(handler(orgs["province"], "ind")).get(reverse("reviews:analysis-indicator"), params).content.decode()
    rows = page.split('data-testid="indicator-rows"')[1].split("</table>")[0]
    assert rows.index("哈尔滨市市场监督管理局") < rows.index("齐齐哈尔市营商环境建设监督局")
    assert "66.7%" in rows and "50.0%" in rows
    # a service department sees only its own data; a competent bureau its whole region
    own = login(handler(orgs["harbin_dept"], "own")).get(reverse("reviews:analysis-indicator"), params).content.decode()
    assert "齐齐哈尔市营商环境建设监督局" not in own.split('data-testid="indicator-rows"')[1]
    assert qiqihar.item.name  # the other catalogue item is not mixed in
    board = Client().get(reverse("reviews-public:board"), {"by": "matter"}).content.decode()
    assert board.count("食品经营许可") == 2  # public ranking of the same item in both units


@pytest.mark.spec("REV-9.3")
def test_common_problems_get_handling_opinions(orgs):
    harbin, qiqihar = World(orgs["harbin_dept"]), World(orgs["qiqihar"])
    for n in range(2):
        evaluate(harbin.case(n + 1), level=4, tags=["办理时间长"])
    evaluate(qiqihar.case(9), level=4, tags=["办理时间长", "多次跑腿"])
    evaluate(qiqihar.case(8), level=5, tags=["推诿扯皮"])
    http = login(handler(orgs["province"], "problems"))
    page = http.get(reverse("reviews:analysis-problems")).content.decode()
    rows = page.split('data-testid="problems"')[1].split("</table>")[0]
    assert "办理时间长" in rows and "<td>3</td>" in rows and "多个部门" in rows and "推诿扯皮" not in rows
    CommonProblemOpinion.objects.create(tag="办理时间长", opinion="压缩承诺时限，推行容缺受理")
    assert "推行容缺受理" in http.get(reverse("reviews:analysis-problems")).content.decode()
    qq = login(handler(orgs["qiqihar"], "qq_problems")).get(reverse("reviews:analysis-problems")).content.decode()
    assert "办理时间长" not in qq.split('data-testid="problems"')[1]  # only 1 in its scope


@pytest.mark.spec("REV-9.5")
def test_aggregation_monitor_by_day_region_department_and_backlog(province, orgs):
    evaluate(province.harbin.case(7), level=2)  # not aggregated yet
    http = login(handler(orgs["province"], "monitor"))
    page = http.get(reverse("reviews:analysis-monitor")).content.decode()
    assert 'data-testid="backlog">1<' in page
    assert chart(page, "ch-days")["series"][0]["data"] == [9]
    rows = page.split('data-testid="monitor-rows"')[1].split("</table>")[0]
    assert rows.index("哈尔滨市") < rows.index("齐齐哈尔市")
    by_dept = http.get(reverse("reviews:analysis-monitor"), {"by": "department"}).content.decode()
    assert "哈尔滨市市场监督管理局" in by_dept.split('data-testid="monitor-rows"')[1]
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    empty = http.get(reverse("reviews:analysis-monitor"), {"last": yesterday}).content.decode()
    assert "暂无数据" in empty.split('data-testid="monitor-rows"')[1]


@pytest.mark.spec("REV-23.7")
def test_region_and_department_home_pages(province, orgs):
    http = Client()
    region = http.get(reverse("reviews-public:region-home", args=[HARBIN])).content.decode()
    assert "哈尔滨市市场监督管理局" in region.split('data-testid="level-departments"')[1].split("</table>")[0]
    assert "食品经营许可" in region.split('data-testid="level-items"')[1].split("</table>")[0]
    assert "<td>二维码</td><td>1</td>" in region.split('data-testid="channel-overview"')[1]
    hotline = http.get(reverse("reviews-public:region-home", args=["230000000000"]), {"view": "hotline"}).content.decode()
    totals = hotline.split('data-testid="region-totals"')[1].split("</section>")[0]
    assert "<strong>1</strong>" in totals
    home = reverse("reviews-public:department-home", args=[orgs["harbin_dept"].pk])
    dept = http.get(home).content.decode()
    assert "服务态度差" in dept.split('data-testid="weaknesses"')[1].split("</ol>")[0]
    assert "<strong>5</strong>" in dept.split('data-testid="department-totals"')[1].split("</section>")[0]
    handling = http.get(home, {"view": "handling"}).content.decode()
    assert "<strong>2</strong>" in handling.split('data-testid="department-totals"')[1].split("</section>")[0]
    assert http.get(home, {"view": "bogus"}).status_code == 404


@pytest.mark.spec("REV-12.11", "REV-12.7")
def test_hall_column_and_satisfaction(province):
    from apps.acceptance.models import WindowMatter, WindowStaff

    h = province.harbin
    WindowMatter.objects.create(window=h.window, matter=h.item)
    WindowStaff.objects.create(window=h.window, staff=h.staff)
    page = Client().get(reverse("reviews-public:hall-column", args=[h.hall.pk])).content.decode()
    windows = page.split('data-testid="hall-windows"')[1].split("</table>")[0]
    assert "食品经营许可" in windows and "李四" in windows and "预约" in windows
    assert f"{h.hall.qr_token}.{h.window.window_number}" in windows
    staff = page.split('data-testid="hall-staff"')[1].split("</ul>")[0]
    assert "李四" in staff and "100.0" in staff
    assert h.hall.address in page
    overview = Client().get(reverse("reviews-public:overview")).content.decode()
    assert "66.7%" in overview.split('data-testid="satisfaction"')[1][:80]  # 6 of 9 at least 基本满意


@pytest.mark.spec("REV-23.1.1")
def test_collection_covers_province_city_county_and_every_department(orgs):
    from apps.core.tests.factories import OrganisationFactory

    police = OrganisationFactory(name="黑龙江省公安厅", region=orgs["province"].region)
    civil = OrganisationFactory(name="道里区民政局", region=orgs["daoli_dept"].region)
    for org in (police, orgs["harbin_dept"], civil):
        rate("hall", World(org).hall, 1)
    aggregate_pending()
    http = login(handler(orgs["province"], "scope_monitor"))
    province = http.get(reverse("reviews:analysis-monitor")).content.decode().split('data-testid="monitor-rows"')[1]
    assert "省直" in province and "<td>哈尔滨市</td><td>2</td>" in province
    city = http.get(reverse("reviews:analysis-monitor"), {"region": HARBIN}).content.decode()
    rows = city.split('data-testid="monitor-rows"')[1]
    assert "道里区" in rows and "哈尔滨市（本级）" in rows
    by_dept = http.get(reverse("reviews:analysis-monitor"), {"by": "department"}).content.decode()
    for name in ("黑龙江省公安厅", "哈尔滨市市场监督管理局", "道里区民政局"):
        assert name in by_dept.split('data-testid="monitor-rows"')[1]
