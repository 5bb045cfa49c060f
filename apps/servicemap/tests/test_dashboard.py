"""Map operation control (MAP-5.1 – 5.8) in the portal: figures by region, scoped, fixed query count, export."""
from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from apps.acceptance.models import HallStaff, HallStaffKind, Window, WindowMatter
from apps.acceptance.tests import factories as af
from apps.identity.tests.factories import RoleFactory, StaffFactory
from apps.servicemap.tests.conftest import make_hall

pytestmark = pytest.mark.django_db


def viewer(organisation, username):
    user = StaffFactory(username=username, organisation=organisation)
    role = RoleFactory(code=f"map-{username}")
    role.permissions.add(Permission.objects.get(codename="view_mapdashboard"))
    user.roles.add(role)
    return user


@pytest.fixture
def populated(halls, window_setup, orgs):
    hall = halls["nangang"]
    window = Window.objects.create(hall=hall, window_number="1", name="综合窗口")
    WindowMatter.objects.create(window=window, matter=window_setup["matter"])
    HallStaff.objects.create(hall=hall, staff_number="N1", name="李强", kind=HallStaffKind.GOVERNMENT_EMPLOYEE,
                             id_number="230103199502021234")        # male (3), born 1995
    HallStaff.objects.create(hall=hall, staff_number="N2", name="陈静", id_number="230103197001011245")  # female
    return halls


@pytest.mark.spec("MAP-5.1", "MAP-5.2", "MAP-5.3", "MAP-5.4", "MAP-5.5")
def test_dashboard_counts_by_region_with_types_categories_ages_and_genders(client, populated, orgs):
    client.force_login(viewer(orgs["province"], "prov_viewer"))
    province = client.get("/portal/servicemap/")
    assert province.status_code == 200
    rows = {row.label: row.counts for row in province.context["rows"]}
    assert rows["黑龙江省（本级）"]["halls"] == 1
    assert rows["哈尔滨市"]["halls"] == 5 and rows["哈尔滨市"]["windows"] == 2 and rows["哈尔滨市"]["staff"] == 3
    assert rows["齐齐哈尔市"]["halls"] == 1 and rows["牡丹江市"]["halls"] == 1
    assert province.context["totals"]["matters"] == 1
    assert dict(province.context["hall_types"]) == {"综合性大厅": 8, "专业大厅": 0}
    assert dict(province.context["categories"]) == {"行政许可": 1}
    ages, genders = dict(province.context["ages"]), dict(province.context["genders"])
    # from the ID numbers: 1995 male, 1970 female, 1990 female (the window fixture's staff)
    assert genders == {"男": 1, "女": 2}
    assert ages == {"30岁以下": 0, "30-39岁": 2, "40-49岁": 0, "50岁及以上": 1}
    # region navigation down to Nangang and its street (five levels)
    nangang = client.get("/portal/servicemap/", {"region": "230103000000"})
    counts = {row.label: row.counts for row in nangang.context["rows"]}
    assert counts["南岗区（本级）"]["halls"] == 2 and counts["南岗区（本级）"]["windows"] == 1
    assert counts["花园街道"]["halls"] == 2       # the street and its community
    assert "data-chart-option=\"chart-map\"" in nangang.content.decode()


@pytest.mark.spec("MAP-5.6", "MAP-5.7", "MAP-5.8")
def test_bookings_consultations_and_evaluations_appear_at_once(client, populated, orgs, applicant, window_setup,
                                                               send_code):
    from apps.servicemap import services

    services.booking_submit(actor=applicant, data=services.BookingInput(
        window=window_setup["window"], matter=window_setup["matter"], booker_name="张晓明",
        mobile_number="13900001111", id_number=af.id_number(7), slot=window_setup["slot"],
        code=send_code("13900001111", "booking", applicant)))
    services.consultation_submit(actor=applicant, window=window_setup["window"], matter=window_setup["matter"],
                                 title="问题", question="详细问题", consultant_name="", mobile_number="13900001111",
                                 code=send_code("13900001111", "consultation", applicant))
    clerk = af.clerk(orgs["harbin_dept"], "dash_clerk")
    case = af.concluded_case(window_setup["matter"], clerk, n=7)
    case.applicant = applicant
    case.save(update_fields=["applicant"])
    services.evaluation_submit(actor=applicant, window=window_setup["window"], application_number=case.case_number,
                               level=1, code=send_code("13900001111", "evaluation", applicant))
    client.force_login(viewer(orgs["harbin"], "harbin_viewer"))
    page = client.get("/portal/servicemap/")
    assert page.context["region"].name == "哈尔滨市"
    city = {row.label: row.counts for row in page.context["rows"]}["哈尔滨市（本级）"]
    assert (city["bookings"], city["consultations"], city["evaluations"]) == (1, 1, 1)


@pytest.mark.spec("MAP-5.1")
def test_dashboard_is_scoped_to_the_staff_members_region(client, populated, orgs, citizen):
    client.force_login(viewer(orgs["qiqihar"], "qqh_viewer"))
    own = client.get("/portal/servicemap/")
    assert own.context["region"].name == "齐齐哈尔市" and own.context["totals"]["halls"] == 1
    assert client.get("/portal/servicemap/", {"region": "230100000000"}).status_code == 403
    client.force_login(StaffFactory(username="no_perm", organisation=orgs["province"]))
    assert client.get("/portal/servicemap/").status_code == 403
    client.force_login(citizen)
    assert client.get("/portal/servicemap/").status_code == 403


@pytest.mark.spec("MAP-5.1")
def test_dashboard_query_count_is_fixed_whatever_the_number_of_regions(client, populated, orgs, map_regions):
    client.force_login(viewer(orgs["province"], "count_viewer"))
    client.get("/portal/servicemap/")
    with CaptureQueriesContext(connection) as before:
        client.get("/portal/servicemap/")
    for n, code in enumerate(["230102000000", "230200000000", "231003000000"]):
        hall = make_hall(orgs["harbin_dept"], f"新增大厅{n}", map_regions[code], "126.1", "45.1")
        Window.objects.create(hall=hall, window_number="1", name="窗口")
        HallStaff.objects.create(hall=hall, staff_number="X", name="新人", id_number=af.id_number(90 + n))
    with CaptureQueriesContext(connection) as after:
        response = client.get("/portal/servicemap/")
    assert response.context["totals"]["halls"] == 11
    assert len(after) == len(before)


@pytest.mark.spec("MAP-5.1")
def test_dashboard_exports_the_region_table_to_excel(client, populated, orgs):
    client.force_login(viewer(orgs["province"], "export_viewer"))
    response = client.get("/portal/servicemap/", {"region": "230100000000", "export": "xlsx"})
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("区划", "大厅数", "窗口数")
    assert ("哈尔滨市（本级）", 1, 1) == rows[1][:3]
    assert any(r[0] == "南岗区" and r[1] == 4 for r in rows)


@pytest.mark.spec("MAP-6.4", "MAP-5.6")
def test_booking_list_in_the_portal_is_scoped(client, applicant, window_setup, send_code, orgs):
    from apps.servicemap import services

    services.booking_submit(actor=applicant, data=services.BookingInput(
        window=window_setup["window"], matter=window_setup["matter"], booker_name="张晓明",
        mobile_number="13900001111", id_number=af.id_number(7), slot=window_setup["slot"],
        code=send_code("13900001111", "booking", applicant)))

    def lister(organisation, username):
        user = StaffFactory(username=username, organisation=organisation)
        role = RoleFactory(code=f"bk-{username}")
        role.permissions.add(Permission.objects.get(codename="view_windowbooking"))
        user.roles.add(role)
        return user

    client.force_login(lister(orgs["harbin"], "bk_harbin"))
    page = client.get("/portal/servicemap/bookings/")
    assert page.status_code == 200 and "张晓明" in page.content.decode() and "139****1111" in page.content.decode()
    client.force_login(lister(orgs["qiqihar"], "bk_qqh"))
    assert "张晓明" not in client.get("/portal/servicemap/bookings/").content.decode()
