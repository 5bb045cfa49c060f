"""办件月报 (PORTAL-11.1–11.6) as staff meet it: the three forms, refusals that write nothing,
month locks, scope, the city roll-up on known numbers, the not-yet-filled list and Excel exports."""
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.core.audit import AuditAction, AuditLog
from apps.core.models import OrganisationKind
from apps.core.navigation import menu_for
from apps.core.tests.factories import OrganisationFactory, grant
from apps.identity.tests.factories import StaffFactory
from apps.portal import services
from apps.portal.models import FIGURE_LABELS, MonthlyCaseReport, MonthlyReportLock, ReportVariant

pytestmark = pytest.mark.django_db

FILL = "portal.fill_monthlycasereport"
STATS = "portal.view_monthlycasereport_statistics"
LOCK = "portal.lock_monthlycasereport"
FILL_URL = "/portal/monthly/fill/"
STATS_URL = {ReportVariant.CENTRAL_PROVINCIAL: "/portal/monthly/statistics/central-provincial/",
             ReportVariant.CITY_BUREAU: "/portal/monthly/statistics/city-bureau/",
             ReportVariant.CITY_OTHER: "/portal/monthly/statistics/city-other/"}
CENTRAL = {"service_matter_count": 120, "classified_matter_count": 3, "offline_case_count": 4500,
           "private_network_case_count": 800, "website_case_count": 9100}
BUREAU = {"stationed_matter_count": 900, "already_stationed_matter_count": 850, "one_window_matter_count": 700,
          "offline_comprehensive_hall_case_count": 30000, "offline_other_hall_case_count": 7000,
          "private_network_case_count": 1200, "website_case_count": 15000}
OTHER = {"service_matter_count": 60, "classified_matter_count": 1, "offline_case_count": 900,
         "private_network_case_count": 150}


@pytest.fixture
def current():
    return services.fillable_months()[0]


@pytest.fixture
def previous():
    return services.fillable_months()[1]


@pytest.fixture
def units(orgs, regions):
    """The conftest tree plus a provincial department, two district bureaus and a Qiqihar department."""
    bureau = OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU
    return {**orgs,
            "police": OrganisationFactory(name="黑龙江省公安厅", region=regions["230000000000"], parent=orgs["province"]),
            "daoli_bureau": OrganisationFactory(name="道里区营商环境建设监督局", region=regions["230102000000"],
                                                kind=bureau, parent=orgs["harbin"]),
            "nangang_bureau": OrganisationFactory(name="南岗区营商环境建设监督局", region=regions["230103000000"],
                                                  kind=bureau, parent=orgs["harbin"]),
            "qiqihar_dept": OrganisationFactory(name="齐齐哈尔市市场监督管理局", region=regions["230200000000"])}


@pytest.fixture
def people(units):
    """A filler in every unit; statistics viewers in the province, Harbin and Qiqihar bureaus."""
    fillers = {key: grant(StaffFactory(username=f"fill_{key}", organisation=org), FILL, role_code="m-fill")
               for key, org in units.items()}
    viewers = {key: grant(StaffFactory(username=f"view_{key}", organisation=units[key]), STATS, LOCK,
                          role_code="m-stats") for key in ("province", "harbin", "qiqihar")}
    return {"fill": fillers, "view": viewers}


def login(client, user):
    client.force_login(user)
    return client


def figure_inputs(html: str) -> set[str]:
    return set(re.findall(r'name="([a-z_]+_count)"', html))


def form_data(month, figures: dict, **extra) -> dict:
    return {"month": f"{month:%Y-%m}", **{k: str(v) for k, v in figures.items()}, **extra}


def fill(user, month, figures):
    return services.monthly_report_create(actor=user, month=month, figures=figures)


# --- 11.1–11.3: filling ----------------------------------------------------------------------------

@pytest.mark.spec("PORTAL-11.1")
def test_provincial_department_fills_the_central_provincial_form(client, people, previous):
    http = login(client, people["fill"]["police"])
    page = http.get(FILL_URL)
    assert page.status_code == 200 and "办件数据填报（中省直）" in page.content.decode()
    assert figure_inputs(page.content.decode()) == set(CENTRAL)          # exactly the five 11.1 figures
    response = http.post(FILL_URL, form_data(previous, CENTRAL))
    assert response.status_code == 302
    report = MonthlyCaseReport.objects.get()
    assert (report.variant, report.month, report.organisation.name) == ("central_provincial", previous, "黑龙江省公安厅")
    assert {name: getattr(report, name) for name in CENTRAL} == CENTRAL
    assert report.stationed_matter_count is None and report.city_id is None
    audit = AuditLog.objects.get(action=AuditAction.CREATE, object_id=str(report.pk))
    assert audit.actor == people["fill"]["police"] and audit.changes["website_case_count"] == [None, 9100]


@pytest.mark.spec("PORTAL-11.2")
def test_city_bureau_fills_the_bureau_form(client, people, current):
    http = login(client, people["fill"]["harbin"])
    page = http.get(FILL_URL).content.decode()
    assert "办件数据填报（市（地）营商局）" in page and figure_inputs(page) == set(BUREAU)
    assert http.post(FILL_URL, form_data(current, BUREAU)).status_code == 302
    report = MonthlyCaseReport.objects.get()
    assert (report.variant, report.city_id, report.is_own_level) == ("city_bureau", "230100000000", True)
    assert {name: getattr(report, name) for name in BUREAU} == BUREAU and report.service_matter_count is None
    assert AuditLog.objects.filter(action=AuditAction.CREATE, object_id=str(report.pk)).count() == 1


@pytest.mark.spec("PORTAL-11.3")
def test_district_department_fills_the_other_units_form(client, people, previous):
    http = login(client, people["fill"]["daoli_dept"])
    page = http.get(FILL_URL).content.decode()
    assert "办件数据填报（市（地）其他单位）" in page and figure_inputs(page) == set(OTHER)
    assert http.post(FILL_URL, form_data(previous, OTHER)).status_code == 302
    report = MonthlyCaseReport.objects.get()
    assert (report.variant, report.city_id, report.is_own_level) == ("city_other", "230100000000", False)
    assert report.website_case_count is None                           # not an 11.3 figure


@pytest.mark.spec("PORTAL-11.1", "PORTAL-11.2", "PORTAL-11.3")
@pytest.mark.parametrize("change, message", [
    ({"offline_case_count": "-1"}, "“线下政务服务事项办件数量”不能为负数。"),
    ({"offline_case_count": ""}, "请填写“线下政务服务事项办件数量”。"),
    ({"classified_matter_count": "1.5"}, "“涉密事项数量”必须是整数。"),
    ({"month": "2001-01"}, "只能填报本月和上月的月报。"),
])
def test_bad_input_shows_a_chinese_field_error_and_writes_nothing(client, people, previous, change, message):
    http = login(client, people["fill"]["daoli_dept"])
    response = http.post(FILL_URL, {**form_data(previous, OTHER), **change})
    assert response.status_code == 400 and message in response.content.decode()
    assert not MonthlyCaseReport.objects.exists()
    assert not AuditLog.objects.filter(action=AuditAction.CREATE).exists()


@pytest.mark.spec("PORTAL-11.1", "PORTAL-11.2", "PORTAL-11.3")
def test_service_refuses_negative_and_missing_figures_and_foreign_units(people, units, previous):
    police = people["fill"]["police"]
    with pytest.raises(ValidationError) as error:
        fill(police, previous, {**CENTRAL, "website_case_count": -5, "offline_case_count": None})
    assert set(error.value.message_dict) == {"website_case_count", "offline_case_count"}
    with pytest.raises(PermissionDenied):          # filling for another unit
        services.monthly_report_create(actor=police, month=previous, figures=CENTRAL, organisation=units["harbin"])
    with pytest.raises(PermissionDenied):          # no fill permission
        fill(StaffFactory(username="no_perm", organisation=units["police"]), previous, CENTRAL)
    with pytest.raises(PermissionDenied):          # the provincial bureau has no form
        fill(people["fill"]["province"], previous, CENTRAL)
    assert not MonthlyCaseReport.objects.exists() and not AuditLog.objects.exists()


@pytest.mark.spec("PORTAL-11.2")
def test_second_report_for_the_same_month_is_refused_and_correction_is_audited(client, people, previous):
    harbin = people["fill"]["harbin"]
    report = fill(harbin, previous, BUREAU)
    http = login(client, harbin)
    response = http.post(FILL_URL, form_data(previous, {**BUREAU, "website_case_count": 1}))
    assert response.status_code == 400 and "月报已经填报，请修改已有月报" in response.content.decode()
    assert MonthlyCaseReport.objects.get().website_case_count == 15000
    # The page offers the existing report for correction; saving it changes the figures and is audited.
    page = http.get(f"{FILL_URL}?month={previous:%Y-%m}").content.decode()
    assert f'name="report" value="{report.pk}"' in page and 'value="15000"' in page
    assert http.post(FILL_URL, form_data(previous, {**BUREAU, "website_case_count": 16000},
                                         report=report.pk)).status_code == 302
    assert MonthlyCaseReport.objects.get().website_case_count == 16000
    update = AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(report.pk))
    assert update.changes == {"website_case_count": [15000, 16000]}


@pytest.mark.spec("PORTAL-11.3", "PORTAL-11.6")
def test_another_units_report_cannot_be_corrected(client, people, previous):
    report = fill(people["fill"]["qiqihar_dept"], previous, OTHER)
    http = login(client, people["fill"]["daoli_dept"])
    response = http.post(FILL_URL, form_data(previous, {**OTHER, "offline_case_count": 1}, report=report.pk))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.monthly_report_correct(actor=people["fill"]["daoli_dept"], report=report, figures=OTHER)
    report.refresh_from_db()
    assert report.offline_case_count == 900 and not AuditLog.objects.filter(action=AuditAction.UPDATE).exists()


@pytest.mark.spec("PORTAL-11.1", "PORTAL-11.4")
def test_locked_month_refuses_filling_and_correction(client, people, previous, current):
    police, dept = people["fill"]["police"], people["fill"]["daoli_dept"]
    report = fill(dept, previous, OTHER)
    http = login(client, people["view"]["province"])
    assert http.post("/portal/monthly/locks/", {"month": f"{previous:%Y-%m}", "action": "lock"}).status_code == 302
    assert MonthlyReportLock.objects.filter(month=previous).exists()
    with pytest.raises(ValidationError, match="锁定"):
        fill(police, previous, CENTRAL)
    with pytest.raises(ValidationError, match="锁定"):
        services.monthly_report_correct(actor=dept, report=report, figures={**OTHER, "offline_case_count": 1})
    page = login(client, police).post(FILL_URL, form_data(previous, CENTRAL))
    assert page.status_code == 400 and "已由统计人员锁定" in page.content.decode()
    assert MonthlyCaseReport.objects.count() == 1 and MonthlyCaseReport.objects.get().offline_case_count == 900
    fill(police, current, CENTRAL)                                   # the current month stays open
    assert AuditLog.objects.filter(action=AuditAction.CREATE, detail__startswith="锁定办件月报月份").count() == 1
    # Unlocking reopens the month for correction (audited as well).
    login(client, people["view"]["province"]).post("/portal/monthly/locks/", {"month": f"{previous:%Y-%m}",
                                                                              "action": "unlock"})
    assert not MonthlyReportLock.objects.exists()
    assert AuditLog.objects.filter(action=AuditAction.DELETE, detail__startswith="解锁办件月报月份").count() == 1
    services.monthly_report_correct(actor=dept, report=report, figures={**OTHER, "offline_case_count": 1})
    assert MonthlyCaseReport.objects.get(pk=report.pk).offline_case_count == 1


@pytest.mark.spec("PORTAL-11.5")
def test_only_provincial_statistics_staff_lock_months(client, people, previous):
    page = login(client, people["view"]["harbin"]).get("/portal/monthly/locks/").content.decode()
    assert "仅省级统计人员可操作" in page and 'value="lock"' not in page
    assert 'value="lock"' in login(client, people["view"]["province"]).get("/portal/monthly/locks/").content.decode()
    response = login(client, people["view"]["harbin"]).post("/portal/monthly/locks/",
                                                            {"month": f"{previous:%Y-%m}", "action": "lock"})
    assert response.status_code == 403 and not MonthlyReportLock.objects.exists()
    assert login(client, people["fill"]["police"]).get("/portal/monthly/locks/").status_code == 403


# --- 11.4–11.6: statistics -------------------------------------------------------------------------

@pytest.fixture
def filed(people, previous, current):
    """Known numbers: Harbin bureau (市本级) + Daoli and Nangang bureaus (区县) + Qiqihar bureau, and
    the other units of both cities, for the previous month; Harbin's bureau also the current month."""
    f = people["fill"]
    fill(f["harbin"], previous, BUREAU)
    fill(f["daoli_bureau"], previous, {**BUREAU, "website_case_count": 100, "private_network_case_count": 10})
    fill(f["nangang_bureau"], previous, {**BUREAU, "website_case_count": 200, "private_network_case_count": 20})
    fill(f["qiqihar"], previous, {**BUREAU, "website_case_count": 5})
    fill(f["harbin"], current, {**BUREAU, "website_case_count": 1})
    fill(f["harbin_dept"], previous, OTHER)
    fill(f["daoli_dept"], previous, {**OTHER, "offline_case_count": 100})
    fill(f["qiqihar_dept"], previous, {**OTHER, "offline_case_count": 7})
    fill(f["police"], previous, CENTRAL)


def rollup(response, figure: str) -> dict:
    index = response.context["labels"].index(str(FIGURE_LABELS[figure]))
    return {city.name: (own[index], counties[index], total[index], own_units, county_units)
            for city, own, counties, total, own_units, county_units in response.context["cities"]}


@pytest.mark.spec("PORTAL-11.5")
def test_city_bureau_rollup_separates_own_level_and_districts(client, people, filed, previous):
    response = login(client, people["view"]["province"]).get(
        STATS_URL[ReportVariant.CITY_BUREAU], {"month_from": f"{previous:%Y-%m}", "month_to": f"{previous:%Y-%m}"})
    assert response.status_code == 200
    website = rollup(response, "website_case_count")
    assert website == {"哈尔滨市": (15000, 300, 15300, 1, 2), "齐齐哈尔市": (5, 0, 5, 1, 0)}
    assert rollup(response, "private_network_case_count")["哈尔滨市"] == (1200, 30, 1230, 1, 2)
    labels = response.context["labels"]
    assert response.context["grand"][labels.index("黑龙江省政务服务网事项办件数量")] == 15305
    # The current month's report is outside the range; a two-month range adds it to Harbin's own level.
    wider = login(client, people["view"]["province"]).get(
        STATS_URL[ReportVariant.CITY_BUREAU], {"month_from": f"{previous:%Y-%m}",
                                                "month_to": f"{services.fillable_months()[0]:%Y-%m}"})
    assert rollup(wider, "website_case_count")["哈尔滨市"] == (15001, 300, 15301, 1, 2)


@pytest.mark.spec("PORTAL-11.5")
def test_city_staff_see_only_their_city_and_export_the_rollup(client, people, filed, previous):
    http = login(client, people["view"]["harbin"])
    params = {"month_from": f"{previous:%Y-%m}", "month_to": f"{previous:%Y-%m}"}
    response = http.get(STATS_URL[ReportVariant.CITY_BUREAU], params)
    assert set(rollup(response, "website_case_count")) == {"哈尔滨市"}
    assert "齐齐哈尔" not in response.content.decode()
    export = http.get(STATS_URL[ReportVariant.CITY_BUREAU], {**params, "export": "cities"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["市（地）", "层级", "填报单位数"] and rows[0][-1] == "黑龙江省政务服务网事项办件数量"
    assert [r[:3] + [r[-1]] for r in rows[1:]] == [["哈尔滨市", "市本级", 1, 15000], ["哈尔滨市", "区县", 2, 300],
                                                    ["哈尔滨市", "合计", 3, 15300], ["全部", "总计", 3, 15300]]
    assert AuditLog.objects.filter(action=AuditAction.EXPORT, actor=people["view"]["harbin"]).count() == 1


@pytest.mark.spec("PORTAL-11.6")
def test_other_units_statistics_rollup_scope_and_missing_units(client, people, filed, previous):
    params = {"month_from": f"{previous:%Y-%m}", "month_to": f"{previous:%Y-%m}"}
    province = login(client, people["view"]["province"]).get(STATS_URL[ReportVariant.CITY_OTHER], params)
    assert rollup(province, "offline_case_count") == {"哈尔滨市": (900, 100, 1000, 1, 1), "齐齐哈尔市": (7, 0, 7, 1, 0)}
    qiqihar = login(client, people["view"]["qiqihar"]).get(STATS_URL[ReportVariant.CITY_OTHER], params)
    assert set(rollup(qiqihar, "offline_case_count")) == {"齐齐哈尔市"}
    assert [row["organisation__name"] for row, _v in qiqihar.context["unit_table"]] == ["齐齐哈尔市市场监督管理局"]
    # The current month: nobody of the other units has filled it; Qiqihar sees only its own city's units.
    now = {"month_from": f"{services.fillable_months()[0]:%Y-%m}", "month_to": f"{services.fillable_months()[0]:%Y-%m}"}
    missing = login(client, people["view"]["qiqihar"]).get(STATS_URL[ReportVariant.CITY_OTHER], now)
    assert [org.name for org in missing.context["missing"]] == ["齐齐哈尔市市场监督管理局"]
    export = login(client, people["view"]["province"]).get(STATS_URL[ReportVariant.CITY_OTHER],
                                                           {**now, "export": "missing"})
    names = {row[0].value for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2)}
    assert names == {"哈尔滨市市场监督管理局", "道里区市场监督管理局", "齐齐哈尔市市场监督管理局"}


@pytest.mark.spec("PORTAL-11.4")
def test_central_provincial_statistics_per_unit_month_missing_and_export(client, people, units, filed, previous):
    other = OrganisationFactory(name="黑龙江省税务局", region=units["province"].region)
    http = login(client, people["view"]["province"])
    params = {"month_from": f"{previous:%Y-%m}", "month_to": f"{previous:%Y-%m}"}
    response = http.get(STATS_URL[ReportVariant.CENTRAL_PROVINCIAL], params)
    page = response.content.decode()
    assert response.status_code == 200 and "办件数据统计（中省直）" in page
    assert [(row["organisation__name"], values) for row, values in response.context["unit_table"]] == [
        ("黑龙江省公安厅", list(CENTRAL.values()))]
    assert [org.name for org in response.context["missing"]] == [other.name]   # not the bureau, not city units
    assert response.context["months"] == [(previous, 1, list(CENTRAL.values()))]
    assert 'data-chart-option="monthly-chart"' in page and "monthly-chart" in page
    export = http.get(STATS_URL[ReportVariant.CENTRAL_PROVINCIAL], {**params, "export": "units"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    assert rows == [["填报单位", "区划", "填报月数", "政务服务事项数量", "涉密事项数量", "线下政务服务事项办件数量",
                     "专网政务服务事项办件数量", "黑龙江省政务服务网事项办件数量"],
                    ["黑龙江省公安厅", "黑龙江省", 1, 120, 3, 4500, 800, 9100]]


@pytest.mark.spec("PORTAL-11.4", "PORTAL-11.5", "PORTAL-11.6")
def test_statistics_need_the_permission_and_fillers_cannot_read_them(client, people, filed):
    for url in STATS_URL.values():
        assert login(client, people["fill"]["daoli_dept"]).get(url).status_code == 403


@pytest.mark.spec("PORTAL-11.4", "PORTAL-11.5", "PORTAL-11.6")
def test_statistics_pages_cost_a_fixed_number_of_queries(client, people, units, regions, filed, previous,
                                                         django_assert_max_num_queries):
    http = login(client, people["view"]["province"])
    params = {"month_from": f"{previous:%Y-%m}", "month_to": f"{previous:%Y-%m}"}
    OrganisationFactory(name="黑龙江省税务局", region=regions["230000000000"])   # one missing unit in every list
    http.get(STATS_URL[ReportVariant.CITY_OTHER], params)            # warm the session and permission caches

    def counts():
        result = []
        for url in STATS_URL.values():
            with CaptureQueriesContext(connection) as queries:
                assert http.get(url, params).status_code == 200
            result.append(len(queries))
        return result

    before = counts()
    for index in range(12):              # more units, reports and missing units add no queries
        org = OrganisationFactory(name=f"道里区单位{index}", region=regions["230102000000"])
        OrganisationFactory(name=f"省直单位{index}", region=regions["230000000000"])
        fill(grant(StaffFactory(username=f"many{index}", organisation=org), FILL, role_code="m-fill"), previous, OTHER)
    http.get(STATS_URL[ReportVariant.CITY_OTHER], params)            # new roles reload the cached permissions once
    assert counts() == before
    for url in STATS_URL.values():
        with django_assert_max_num_queries(16):
            http.get(url, params)


def test_menu_entries_follow_the_monthly_permissions(people):
    def entries(user):
        return {entry.url_name for section, items in menu_for(user) for entry in items if section == "办件月报"}

    assert entries(people["fill"]["daoli_dept"]) == {"portal:monthly-fill"}
    assert entries(people["view"]["harbin"]) == {"portal:monthly-statistics-central-provincial",
                                                 "portal:monthly-statistics-city-bureau",
                                                 "portal:monthly-statistics-city-other", "portal:monthly-locks"}


def test_provincial_bureau_sees_no_form(client, people):
    page = login(client, people["fill"]["province"]).get(FILL_URL)
    assert page.status_code == 200 and 'data-testid="no-form"' in page.content.decode()


@pytest.mark.parametrize("model", ["monthlycasereport", "monthlyreportlock"])
def test_admin_changelists_open_with_filters_and_search(admin_client, model, filed, previous):
    from django.contrib import admin

    from apps.portal import models

    model_admin = admin.site._registry[getattr(models, {"monthlycasereport": "MonthlyCaseReport",
                                                        "monthlyreportlock": "MonthlyReportLock"}[model])]
    assert model_admin.list_filter and model_admin.search_fields
    assert admin_client.get(f"/admin/portal/{model}/?q=哈尔滨").status_code == 200
