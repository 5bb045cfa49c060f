"""Hall information management (MAP-3.x) on the ONE shared hall model of apps.acceptance (decision 0901):
what the hall manager changes there is what the map and the App show."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from apps.acceptance.models import HallStaff, HallStaffKind, Window, WindowMatter, WindowStaff, WindowType
from apps.acceptance.services.halls import reference_save
from apps.acceptance.tests import factories as af
from apps.core.models import Organisation
from apps.identity.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall_admin(orgs):
    return af.manager(orgs["harbin_dept"], "map_backoffice")


@pytest.mark.spec("MAP-3.1", "MAP-3.2", "MAP-4.2")
def test_hall_and_window_fields_edited_in_the_back_office_show_on_map_and_app(client, halls, window_setup,
                                                                              hall_admin):
    hall, window = window_setup["hall"], window_setup["window"]
    hall.floor_info, hall.resident_units, hall.introduction = "1F 综合区\n2F 社保区", "哈尔滨市公安局", "新简介"
    reference_save(instance=hall, actor=hall_admin, permission="acceptance.change_hall")
    window.handling_location, window.telephone, window.supports_consultation = "1F 东侧", "0451-12345678", False
    reference_save(instance=window, actor=hall_admin, permission="acceptance.change_window")
    page = client.get(f"/map/halls/{hall.pk}/").content.decode()
    assert "2F 社保区" in page and "哈尔滨市公安局" in page and "新简介" in page
    app = client.get(f"/api/v1/servicemap/halls/{hall.pk}/").json()
    assert app["floors"] == ["1F 综合区", "2F 社保区"] and app["resident_units"] == ["哈尔滨市公安局"]
    app_window = client.get(f"/api/v1/servicemap/windows/{window.pk}/").json()["window"]
    assert app_window["handling_location"] == "1F 东侧" and app_window["telephone"] == "0451-12345678"
    assert app_window["supports_consultation"] is False
    assert "该窗口暂不支持在线咨询" in client.get(f"/map/windows/{window.pk}/").content.decode()


@pytest.mark.spec("MAP-3.1")
def test_hall_edits_outside_the_managers_scope_are_refused(halls, orgs):
    other = af.manager(orgs["qiqihar"], "qqh_backoffice")
    hall = halls["nangang"]
    hall.name = "改名"
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reference_save(instance=hall, actor=other, permission="acceptance.change_hall")
    hall.refresh_from_db()
    assert hall.name == "哈尔滨市南岗区政务服务中心"


@pytest.mark.spec("MAP-3.3", "MAP-3.4")
def test_specialised_window_takes_only_its_departments_matters_and_department_staff(halls, window_setup, orgs,
                                                                                   hall_admin):
    hall = window_setup["hall"]
    other_department = Organisation.objects.create(name="哈尔滨市公安局", region=orgs["harbin_dept"].region,
                                                   credit_code="11230100MB0000001X", tree_path="/")
    specialised = Window.objects.create(hall=hall, window_number="9", name="市场监管专窗",
                                        window_type=WindowType.SPECIALISED, department=orgs["harbin_dept"])
    foreign = af.matter(other_department, "户口迁移")
    with pytest.raises(ValidationError) as matter_refused:
        reference_save(instance=WindowMatter(window=specialised, matter=foreign), actor=hall_admin,
                       permission="acceptance.add_windowmatter")
    assert "专业窗口只能入驻所属部门" in str(matter_refused.value)
    own = af.matter(orgs["harbin_dept"], "食品经营许可")
    reference_save(instance=WindowMatter(window=specialised, matter=own), actor=hall_admin,
                   permission="acceptance.add_windowmatter")
    employee = HallStaff.objects.create(hall=hall, staff_number="E1", name="赵雇员",
                                        kind=HallStaffKind.GOVERNMENT_EMPLOYEE)
    with pytest.raises(ValidationError) as staff_refused:
        reference_save(instance=WindowStaff(window=specialised, staff=employee), actor=hall_admin,
                       permission="acceptance.add_windowstaff")
    assert "政府雇员" in str(staff_refused.value)
    # a comprehensive window takes both
    reference_save(instance=WindowMatter(window=window_setup["window"], matter=foreign), actor=hall_admin,
                   permission="acceptance.add_windowmatter")
    reference_save(instance=WindowStaff(window=window_setup["window"], staff=employee), actor=hall_admin,
                   permission="acceptance.add_windowstaff")
    assert list(WindowMatter.objects.filter(window=specialised).values_list("matter__name", flat=True)) == ["食品经营许可"]
    assert not WindowStaff.objects.filter(window=specialised).exists()


@pytest.mark.spec("MAP-3.4", "MAP-3.6", "MAP-3.7")
def test_staff_and_matter_evaluation_qr_codes_download(client, halls, window_setup, hall_admin):
    role = RoleFactory(code="map-qr")
    role.permissions.add(Permission.objects.get(codename="manage_evaluations", content_type__app_label="reviews"))
    hall_admin.roles.add(role)
    client.force_login(hall_admin)
    staff = client.get(f"/portal/reviews/qr/staff/{window_setup['staff'].pk}.png")
    assert staff.status_code == 200 and staff["Content-Type"] == "image/png"
    assert window_setup["staff"].qr_token in staff["X-Evaluation-Url"]
    matter = client.get(f"/portal/reviews/qr/item/{window_setup['matter'].pk}.png")
    assert matter.status_code == 200 and window_setup["matter"].implementation_code in matter["X-Evaluation-Url"]
    badge = client.get(f"/portal/acceptance/staff/{window_setup['staff'].pk}/qr.png")
    assert badge.status_code == 200 and badge.content[:4] == b"\x89PNG"


@pytest.mark.spec("MAP-3.5", "MAP-5.5")
def test_staff_added_in_the_back_office_appear_on_the_map_without_their_id_number(client, halls, window_setup,
                                                                                 hall_admin, orgs):
    hall = window_setup["hall"]
    client.force_login(hall_admin)
    bad = client.post(f"/portal/acceptance/halls/{hall.pk}/staff/add/", {
        "staff_number": "S09", "name": "周敏", "kind": "government_employee", "id_number": "230103199",
        "front_identifier": "09号", "back_identifier": "zhoumin", "is_active": "on"})
    assert bad.status_code == 200 and not HallStaff.objects.filter(staff_number="S09").exists()
    response = client.post(f"/portal/acceptance/halls/{hall.pk}/staff/add/", {
        "staff_number": "S09", "name": "周敏", "kind": "government_employee", "id_number": af.id_number(61),
        "department": orgs["harbin_dept"].pk, "front_identifier": "09号", "back_identifier": "zhoumin",
        "is_active": "on"})
    assert response.status_code == 302
    staff = HallStaff.objects.get(staff_number="S09")
    assert staff.id_number == af.id_number(61) and staff.kind == HallStaffKind.GOVERNMENT_EMPLOYEE
    client.logout()
    page = client.get(f"/map/halls/{hall.pk}/").content.decode()
    assert "09号" in page and "政府雇员" in page and af.id_number(61) not in page


@pytest.mark.spec("MAP-6.1")
def test_matter_information_comes_from_the_item_library_live(client, halls, window_setup):
    matter = window_setup["matter"]
    matter.name = "居民身份证申领（换领、补领）"
    matter.save(update_fields=["name"])
    assert "居民身份证申领（换领、补领）" in client.get(f"/map/windows/{window_setup['window'].pk}/").content.decode()
    found = client.get("/api/v1/servicemap/search/", {"q": "换领"}).json()
    assert [m["name"] for m in found["matters"]] == ["居民身份证申领（换领、补领）"]
