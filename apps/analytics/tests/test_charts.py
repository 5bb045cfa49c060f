"""ANA-2.1 … 2.10: the ten charts as an analyst meets them (page, Excel, API), computed from the seeded data
(factories.Province) through the refresh job; region scope and fixed query counts."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.analytics.tests.factories import analyst, login, refresh_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(province, ana_admin, django_capture_on_commit_callbacks):
    refresh_all(ana_admin, django_capture_on_commit_callbacks)
    return province


@pytest.fixture
def province_analyst(orgs):
    return analyst(orgs["province"], username="prov_analyst")


def chart(http, code, **params):
    response = http.get(f"/portal/analytics/charts/{code}/", params)
    assert response.status_code == 200, response.content[:300]
    return response.context["chart"]


def rows(data, index=0):
    return {row[0]: row[1:] for row in data["tables"][index]["rows"]}


@pytest.mark.spec("ANA-2.1")
def test_claims_chart_shows_the_four_series_per_city(seeded, province_analyst):
    data = chart(login(province_analyst), "2.1")
    assert data["tables"][0]["columns"] == ["区划", "国家下放事项", "省领国家事项", "省报国家事项", "省下放事项"]
    table = rows(data)
    assert table["黑龙江省本级"] == [2, 0, 0, 0]
    assert table["哈尔滨市"] == [0, 2, 2, 1]
    assert table["齐齐哈尔市"] == [0, 0, 1, 0]
    assert table["合计"] == [2, 2, 3, 1]
    series = {s["name"]: s["data"] for s in data["panels"][0]["option"]["series"]}
    assert series["省报国家事项"] == [0, 2, 1]


@pytest.mark.spec("ANA-2.2")
def test_matter_anomaly_chart_shows_national_feedback(seeded, province_analyst):
    data = chart(login(province_analyst), "2.2")
    assert rows(data)["齐齐哈尔市"] == [1] and rows(data)["合计"] == [1]
    assert data["tables"][1]["rows"] == [["事项编码不符合规范", 1]]


@pytest.mark.spec("ANA-2.3")
def test_online_rate_chart(seeded, province_analyst):
    data = chart(login(province_analyst), "2.3")
    assert rows(data)["哈尔滨市"] == [2, 1, 50.0, 5, 2, 40.0]


@pytest.mark.spec("ANA-2.4")
def test_review_chart_shows_three_datasets(seeded, province_analyst):
    data = chart(login(province_analyst), "2.4")
    assert rows(data)["哈尔滨市"] == [2, 0, 1, 66.67, 1, 0, 1, 1]
    titles = [p["title"] for p in data["panels"]]
    assert titles == ["全省好差评数据（按区划）", "省报国家好差评质检反馈", "全省好差评异常反馈"]
    national = data["panels"][1]["option"]
    assert dict(zip(national["yAxis"]["data"], national["series"][0]["data"])) == {"未通过国家质检": 1, "未质检": 2}


@pytest.mark.spec("ANA-2.5")
def test_case_chart_shows_case_data_and_matter_anomaly_situation(seeded, province_analyst):
    data = chart(login(province_analyst), "2.5")
    assert rows(data)["哈尔滨市"] == [5, 1, 3, 1, 0, 0]
    assert rows(data)["齐齐哈尔市"] == [0, 0, 1, 0, 0, 1]
    anomaly = data["panels"][1]["option"]
    assert anomaly["yAxis"]["data"] == ["已受理缺少承诺办结日期"] and anomaly["series"][0]["data"] == [1]


@pytest.mark.spec("ANA-2.6")
def test_overdue_chart(seeded, province_analyst):
    data = chart(login(province_analyst), "2.6")
    assert rows(data)["哈尔滨市"] == [4, 1, 1, 50.0]
    assert rows(data)["齐齐哈尔市"] == [0, 0, 0, 0.0]


@pytest.mark.spec("ANA-2.7")
def test_licence_reporting_chart(seeded, province_analyst):
    data = chart(login(province_analyst), "2.7")
    assert rows(data)["哈尔滨市"] == [2, 1, 1, 0, 1]
    reasons = data["panels"][2]["option"]
    assert reasons["yAxis"]["data"] == ["持证主体代码格式错误"]


@pytest.mark.spec("ANA-2.8")
def test_seal_chart_marks_only_seals_inside_the_window_as_expiring(seeded, province_analyst):
    data = chart(login(province_analyst), "2.8")
    assert rows(data)["哈尔滨市"] == [2, 1, 0, 1]


@pytest.mark.spec("ANA-2.9")
def test_licence_type_and_quality_chart(seeded, province_analyst):
    data = chart(login(province_analyst), "2.9")
    assert data["tables"][0]["rows"] == [["食品经营许可证", 2]]
    assert rows(data, 1)["哈尔滨市"] == [2, 1, 66.67]


@pytest.mark.spec("ANA-2.10")
def test_organisation_statistics_table(seeded, province_analyst):
    data = chart(login(province_analyst), "2.10")
    assert data["tables"][0]["columns"] == ["区划", "部门", "营商环境建设监督局", "合计"]
    table = rows(data)
    assert table["黑龙江省本级"] == [0, 1, 1]
    assert table["哈尔滨市"] == [2, 1, 3]
    assert table["齐齐哈尔市"] == [0, 1, 1]


@pytest.mark.spec("ANA-2.1", "ANA-1.2")
def test_a_city_analyst_sees_their_city_only(seeded, orgs):
    http = login(analyst(orgs["harbin"], username="hrb_analyst"))
    data = chart(http, "2.1")
    table = rows(data)
    assert table == {"哈尔滨市本级": [0, 1, 2, 1], "道里区": [0, 1, 0, 0], "南岗区": [0, 0, 0, 0],
                     "合计": [0, 2, 2, 1]}
    assert http.get("/portal/analytics/charts/2.1/", {"region": "230200000000"}).status_code == 404
    assert http.get("/api/v1/analytics/charts/2.1/", {"region": "230200000000"}).status_code == 404


@pytest.mark.spec("ANA-2.8", "ANA-1.2")
def test_a_department_analyst_sees_their_department_only(seeded, orgs):
    http = login(analyst(orgs["harbin_dept"], username="dept_analyst"))
    assert rows(chart(http, "2.8"))["哈尔滨市本级"] == [2, 1, 0, 1]
    assert rows(chart(http, "2.1"))["合计"] == [0, 0, 0, 0]             # region-level facts are not the department's


@pytest.mark.spec("ANA-2.1", "ANA-2.3")
def test_province_drill_down_to_a_city(seeded, province_analyst):
    data = chart(login(province_analyst), "2.3", region="230100000000")
    assert rows(data)["哈尔滨市本级"] == [2, 1, 50.0, 5, 2, 40.0]
    assert data["region"]["name"] == "哈尔滨市"


@pytest.mark.spec("ANA-2.1", "ANA-2.6")
def test_chart_excel_export_has_the_page_rows(seeded, province_analyst):
    response = login(province_analyst).get("/portal/analytics/charts/2.6/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else
                                      response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[0] == ["区划", "已受理办件", "在办超期", "超期办结", "超期率（%）"]
    assert ["哈尔滨市", 4, 1, 1, 50] in values


@pytest.mark.spec("ANA-2.1", "ANA-2.2", "ANA-2.3", "ANA-2.4", "ANA-2.5", "ANA-2.6", "ANA-2.7", "ANA-2.8", "ANA-2.9",
                  "ANA-2.10")
def test_dashboard_and_charts_read_a_fixed_number_of_queries(province, ana_admin, province_analyst,
                                                            django_capture_on_commit_callbacks):
    http = login(province_analyst)
    http.get("/portal/analytics/")                      # warm the session and permission caches

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert http.get(path).status_code == 200
        return len(queries)

    before = {path: count(path) for path in ("/portal/analytics/", "/portal/analytics/charts/2.4/",
                                             "/api/v1/analytics/charts/2.7/")}
    refresh_all(ana_admin, django_capture_on_commit_callbacks)       # hundreds of snapshot rows now
    after = {path: count(path) for path in before}
    assert after == before
    response = http.get("/portal/analytics/")
    assert [c["code"] for c in response.context["charts"]] == [f"2.{n}" for n in range(1, 11)]
