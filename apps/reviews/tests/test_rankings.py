"""The ranking engine and its pages: portal boards (REV-6.1–6.5, 8.2, 8.3, 11.1.2), the public board,
sections and star lists (REV-12.4, 20.1–20.5, 23.5, 23.6). Rankings read only the pre-aggregated table;
each page's query count does not grow with the number of rows."""
import pytest
from django.test import Client
from django.urls import reverse

from apps.reviews import rankings
from apps.reviews.rankings import RankingFilter
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import HARBIN, QIQIHAR, client, handler, login, rate

pytestmark = pytest.mark.django_db


def board(http, name, **params):
    return http.get(reverse("reviews:rankings"), {"board": name, **params})


@pytest.mark.spec("REV-6.1", "REV-6.2", "REV-11.1.2")
def test_composite_good_and_bad_rankings(province, orgs, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        good = rankings.composite(RankingFilter())
    assert [r["code"] for r in good] == [HARBIN, QIQIHAR]
    assert good[0]["composite"] == 80.0 and good[0]["types"] == {
        "case": 100.0, "hall": 80.0, "matter": None, "staff": 100.0, "window": 40.0}
    assert good[1]["composite"] == 50.0  # cases (20+40+60)/3 = 40 (the hotline case counts), hall 60
    bad = rankings.composite(RankingFilter(), worst_first=True)
    assert [r["code"] for r in bad] == [QIQIHAR, HARBIN] and bad[0]["bad"] == 2
    http = login(handler(orgs["province"], "prov_rank"))
    page = board(http, "good").content.decode()
    assert page.index("哈尔滨市") < page.index("齐齐哈尔市") and "80.0" in page
    page = board(http, "bad").content.decode()
    assert page.index("齐齐哈尔市") < page.index("哈尔滨市")
    # vertical: drill from the province into Harbin (its own level and districts)
    drilled = board(http, "good", region=HARBIN).content.decode()
    assert "哈尔滨市（本级）" in drilled and "齐齐哈尔市" not in drilled
    # horizontal: departments of one level; by theme: one table per object type
    horizontal = board(http, "horizontal", region=HARBIN).content.decode()
    assert "哈尔滨市市场监督管理局" in horizontal and "齐齐哈尔市营商环境建设监督局" not in horizontal
    theme = board(http, "theme").content.decode()
    assert theme.count('data-testid="theme"') == 5


@pytest.mark.spec("REV-6.3", "REV-6.5")
def test_count_and_case_satisfaction_rankings(province, orgs):
    http = login(handler(orgs["province"], "prov_count"))
    count = board(http, "count").content.decode()
    assert count.index("哈尔滨市") < count.index("齐齐哈尔市")  # 5 evaluations against 4
    rows = rankings.rank(RankingFilter(object_kinds=("case",)), by="unit", order="satisfaction")
    assert [(r["code"], r["total"], r["score"]) for r in rows] == [(HARBIN, 2, 100.0), (QIQIHAR, 3, 40.0)]
    case = board(http, "case").content.decode()
    assert case.index("哈尔滨市") < case.index("齐齐哈尔市") and "100.0" in case


@pytest.mark.spec("REV-6.4")
def test_rectification_ranking_per_region_and_type(province, orgs):
    from apps.reviews.models import BadReviewDisposal
    from apps.reviews.services import disposals as svc

    bureau = handler(orgs["qiqihar"], "qq_bureau")
    d = BadReviewDisposal.objects.get(evaluation=province.q_bad)
    svc.disposal_accept(disposal=d, actor=bureau)
    svc.disposal_verify(disposal=d, actor=bureau, verified_true=True, responsibility="窗口", notes="属实")
    svc.disposal_start_rectification(disposal=d, actor=bureau, content="培训", responsible_person=bureau)
    svc.disposal_feedback(disposal=d, actor=bureau, feedback="已整改")
    svc.disposal_review(disposal=d, actor=bureau, passed=True, comment="通过")
    rows = {r["code"]: r for r in rankings.rectification(RankingFilter())}
    assert rows[QIQIHAR]["bad"] == 2 and rows[QIQIHAR]["rectified"] == 1
    assert rows[QIQIHAR]["rectification_rate"] == 50.0 and rows[QIQIHAR]["types"]["case"] == 50.0
    assert rows[HARBIN]["rectification_rate"] == 0.0 and rows[HARBIN]["types"]["window"] == 0.0
    page = board(login(handler(orgs["province"], "prov_rect")), "rectification").content.decode()
    assert page.index("齐齐哈尔市") < page.index("哈尔滨市") and "50.0%" in page


@pytest.mark.spec("REV-8.2", "REV-8.3")
def test_integrator_counts_ranking_and_total(world, orgs):
    admin = handler(orgs["harbin"], "client_admin")
    first, _secret = client(orgs["harbin"], admin)
    second, _secret = client(orgs["harbin"], admin, channel="self_service_terminal")
    second.name = "道里区自助终端"
    second.save()
    for n in range(3):
        rate("hall", world.hall, 1, client=first, external_id=f"A{n}")
    rate("hall", world.hall, 2, client=second, external_id="B1")
    page = board(login(admin), "integrators").content.decode()
    assert 'data-testid="total">0<' in page  # counted from the roll-up: nothing until aggregated
    aggregate_pending()
    page = board(login(admin), "integrators").content.decode()
    assert page.index("哈尔滨市大厅评价系统") < page.index("道里区自助终端")
    assert 'data-testid="total">4<' in page
    # another city's administrator sees neither application
    other = board(login(handler(orgs["qiqihar"], "qq_clients")), "integrators").content.decode()
    assert "哈尔滨市大厅评价系统" not in other and 'data-testid="total">0<' in other


def test_ranking_board_authorisation_and_scope(province, orgs, staff, citizen):
    url = reverse("reviews:rankings")
    assert Client().get(url).status_code == 302
    assert login(citizen).get(url).status_code == 403
    assert login(staff["harbin"]).get(url).status_code == 403
    qq = board(login(handler(orgs["qiqihar"], "qq_scope")), "good", region=HARBIN).content.decode()
    assert "哈尔滨市" not in qq.split('data-testid="ranking"')[1]  # region outside home falls back to home
    assert board(login(handler(orgs["province"], "p_404")), "nope").status_code == 404


@pytest.mark.spec("REV-20.3", "REV-20.3.2", "REV-20.5")
def test_public_board_handled_items_by_department_city_and_detail_levels(province, orgs, staff):
    http = Client()
    url = reverse("reviews-public:board")
    cities = http.get(url, {"section": "website", "target": "case", "by": "unit"}).content.decode()
    assert cities.index("哈尔滨市") < cities.index("齐齐哈尔市")
    harbin = http.get(url, {"target": "case", "by": "unit", "region": HARBIN}).content.decode()
    assert "哈尔滨市（本级）" in harbin
    departments = http.get(url, {"section": "website", "target": "case", "by": "department"}).content.decode()
    dept = orgs["harbin_dept"]
    link = f"by=matter&region=230000000000&department={dept.pk}"
    assert "哈尔滨市市场监督管理局" in departments and link in departments
    items = http.get(url, {"target": "case", "by": "matter", "department": dept.pk}).content.decode()
    assert "食品经营许可" in items and items.count("ranking-detail") == 0
    detail = reverse("reviews-public:ranking-detail", args=["matter", province.harbin.item.pk])
    assert 'data-testid="level2"' in http.get(detail).content.decode()
    assert 'data-testid="level3"' not in http.get(detail).content.decode()
    assert 'data-testid="level3"' in login(staff["harbin"]).get(detail).content.decode()
    assert http.get(url, {"by": "nope"}).status_code == 404


@pytest.mark.spec("REV-23.5", "REV-23.6")
def test_window_and_staff_rankings_with_filters_and_booking(province, orgs):
    from datetime import timedelta

    from django.utils import timezone

    http = Client()
    url = reverse("reviews-public:board")
    staff = http.get(url, {"by": "staff", "region": HARBIN, "department": orgs["harbin_dept"].pk}).content.decode()
    assert "李四" in staff and 'data-testid="book"' in staff
    assert reverse("acceptance-public:hall", args=[province.harbin.hall.pk]) in staff
    windows = http.get(url, {"by": "window"}).content.decode()
    assert windows.count("综合窗口1") == 2  # Harbin's (case, window ratings) and Qiqihar's (case ratings)
    assert "综合窗口1" not in http.get(url, {"by": "window", "region": "230202000000"}).content.decode()
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "李四" not in http.get(url, {"by": "staff", "first": future}).content.decode()


@pytest.mark.spec("REV-20.1", "REV-20.2")
def test_sections_rank_website_halls_mobile_and_hotline(province):
    page = Client().get(reverse("reviews-public:sections")).content.decode()
    website = page.split('data-testid="section-website"')[1].split("</section>")[0]
    assert website.index("哈尔滨市") < website.index("齐齐哈尔市")
    hotline = page.split('data-testid="section-hotline"')[1].split("</section>")[0]
    assert "齐齐哈尔市" in hotline and "哈尔滨市" not in hotline
    mobile = page.split('data-testid="section-mobile"')[1].split("</section>")[0]
    assert "暂无数据" in mobile
    hall_depts = page.split('data-testid="section-dept-hall"')[1].split("</section>")[0]
    assert "哈尔滨市市场监督管理局" in hall_depts


@pytest.mark.spec("REV-12.4")
def test_column_ranks_subordinate_regions_and_this_levels_departments(province):
    page = Client().get(reverse("reviews-public:overview"), {"region": HARBIN}).content.decode()
    departments = page.split('data-testid="departments"')[1].split("</table>")[0]
    assert "哈尔滨市市场监督管理局" in departments and "<td>1</td>" in departments  # 1 bad review
    regions = page.split('data-testid="regions"')[1].split("</table>")[0]
    assert "哈尔滨市（本级）" in regions


def test_public_board_query_count_does_not_grow_with_rows(orgs, django_assert_max_num_queries):
    from apps.reviews.tests.factories import World

    worlds = [World(orgs["harbin_dept"]) for _ in range(3)]
    for w in worlds:
        rate("staff", w.staff, 1)
    aggregate_pending()
    with django_assert_max_num_queries(6):
        page = Client().get(reverse("reviews-public:board"), {"by": "staff"})
    assert page.content.decode().count('data-testid="book"') == 3
