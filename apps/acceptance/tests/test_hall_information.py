"""Hall, window and staff information, and who and what may sit at which window (REV-1.1 – REV-1.5).

The rules of comprehensive (综合) and specialised (专业) windows, as hall managers meet them on the
portal: a specialised window belongs to one department, takes only government-department staff and
only that department's items; a comprehensive window takes both kinds of staff and several
departments' items. Every refusal writes nothing."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.acceptance.models import Hall, HallPicture, HallStaff, Window, WindowMatter, WindowStaff
from apps.acceptance.tests import factories as f
from apps.core.crypto import keyed_digest
from apps.identity.tests.factories import StaffFactory


def png(name: str = "p.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _window(client, hall, number, window_type, department=None):
    data = {"window_number": number, "name": f"{number}号窗口", "window_type": window_type, "floor": "2F",
            "zone": "B区", "supports_appointment": "on", "is_active": "on"}
    if department is not None:
        data["department"] = department.pk
    return client.post(reverse("acceptance:window-add", args=[hall.pk]), data)


def _staff(client, hall, number, kind, department):
    return client.post(reverse("acceptance:staff-add", args=[hall.pk]), {
        "staff_number": number, "name": f"人员{number}", "kind": kind, "department": department.pk,
        "id_number": f.id_number(int(number[1:])), "front_identifier": f"0{number}号",
        "back_identifier": f"hrb-{number}", "avatar": png(), "is_active": "on"})


@pytest.mark.spec("REV-1.1")
def test_hall_information_with_publicity_material_is_shown_on_the_hall_page(client, orgs, hall_admin, citizens):
    url = reverse("acceptance:hall-add")

    def data():
        return {"name": "松北区政务服务中心", "hall_number": "SB01", "hall_type": "comprehensive",
                "region": "230100000000", "organisation": orgs["harbin_dept"].pk, "address": "松北区世纪大道1号",
                "telephone": "0451-12345", "opening_hours": "工作日 9:00-17:00", "queue_code": "A",
                "integration_mode": "platform_queue", "booking_enabled": "on", "is_active": "on", "display_order": 3,
                "introduction": "一站式办理企业开办。", "floor_area": "5200.50", "logo": png("logo.png"),
                "floor_guide_map": png("guide.png"),
                "publicity_video": SimpleUploadedFile("intro.mp4", b"\x00\x00\x00\x18ftypmp42",
                                                      content_type="video/mp4")}
    client.force_login(citizens[0])
    assert client.post(url, data()).status_code == 403 and not Hall.objects.exists()
    client.force_login(hall_admin)
    response = client.post(url, data())
    assert response.status_code == 302, response.context["form"].errors
    hall = Hall.objects.get()
    assert (hall.display_order, hall.introduction, str(hall.floor_area)) == (3, "一站式办理企业开办。", "5200.50")
    assert hall.logo.name and hall.floor_guide_map.name and hall.publicity_video.name
    picture = client.post(reverse("acceptance:hall-picture-add", args=[hall.pk]),
                          {"image": png("front.png"), "caption": "大厅正门", "order": 1})
    assert picture.status_code == 302 and HallPicture.objects.get(hall=hall).caption == "大厅正门"
    page = client.get(hall.get_absolute_url()).content.decode()
    for text in ("一站式办理企业开办。", "5200.50", "大厅正门", "楼层导引图", "宣传视频", "0451-12345"):
        assert text in page, text
    # bad input: a non-image logo is refused, nothing written
    bad = client.post(url, data() | {"hall_number": "SB02", "logo": SimpleUploadedFile("x.png", b"not an image")})
    assert bad.status_code == 200 and "logo" in bad.context["form"].errors and Hall.objects.count() == 1


@pytest.mark.spec("REV-1.2")
def test_window_information_specialised_windows_need_their_department(client, orgs, hall, hall_admin,
                                                                       other_region_admin):
    client.force_login(hall_admin)
    refused = _window(client, hall, "9", "specialised")
    assert refused.status_code == 200 and "专业窗口须选择所属部门" in refused.content.decode()
    assert not Window.objects.exists()
    assert _window(client, hall, "1", "comprehensive").status_code == 302
    assert _window(client, hall, "2", "specialised", orgs["harbin_dept"]).status_code == 302
    specialised = Window.objects.get(window_number="2")
    assert (specialised.floor, specialised.zone, specialised.department) == ("2F", "B区", orgs["harbin_dept"])
    page = client.get(hall.get_absolute_url()).content.decode()
    assert "专业窗口" in page and "2F" in page and "B区" in page and orgs["harbin_dept"].name in page
    client.force_login(other_region_admin)
    assert _window(client, hall, "3", "comprehensive").status_code == 404
    assert client.post(reverse("acceptance:window-edit", args=[hall.pk, specialised.pk]),
                       {"window_number": "2", "name": "改名", "window_type": "comprehensive"}).status_code == 404
    assert Window.objects.count() == 2 and Window.objects.get(pk=specialised.pk).name == "2号窗口"


@pytest.mark.spec("REV-1.3")
def test_staff_information_with_encrypted_id_number_and_identifiers(client, orgs, hall, hall_admin, citizens):
    client.force_login(citizens[0])
    assert _staff(client, hall, "S01", "department_staff", orgs["harbin_dept"]).status_code == 403
    client.force_login(hall_admin)
    assert _staff(client, hall, "S01", "department_staff", orgs["harbin_dept"]).status_code == 302
    assert _staff(client, hall, "S02", "government_employee", orgs["daoli_dept"]).status_code == 302
    staff = HallStaff.objects.get(staff_number="S01")
    assert staff.id_number == f.id_number(1) and staff.id_number_digest == keyed_digest(f.id_number(1))
    assert (staff.front_identifier, staff.back_identifier) == ("0S01号", "hrb-S01") and staff.avatar.name
    page = client.get(hall.get_absolute_url()).content.decode()
    assert staff.masked_id_number in page and f.id_number(1) not in page          # masked in the list
    assert "政府雇员" in page and "hrb-S02" in page
    bad = client.post(reverse("acceptance:staff-add", args=[hall.pk]),
                      {"staff_number": "S03", "name": "王五", "kind": "department_staff", "id_number": "123",
                       "is_active": "on"})
    assert bad.status_code == 200 and "id_number" in bad.context["form"].errors
    assert HallStaff.objects.count() == 2
    # the ID number is stored encrypted, not in clear
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM acceptance_hallstaff WHERE id = %s", [staff.pk])
        assert f.id_number(1) not in cursor.fetchone()[0]


@pytest.mark.spec("REV-1.4")
def test_specialised_windows_take_only_department_staff(client, orgs, hall, hall_admin):
    client.force_login(hall_admin)
    _window(client, hall, "1", "comprehensive")
    _window(client, hall, "2", "specialised", orgs["harbin_dept"])
    _staff(client, hall, "S01", "department_staff", orgs["harbin_dept"])
    _staff(client, hall, "S02", "government_employee", orgs["harbin_dept"])
    comprehensive, specialised = Window.objects.get(window_number="1"), Window.objects.get(window_number="2")
    officer, employee = HallStaff.objects.get(staff_number="S01"), HallStaff.objects.get(staff_number="S02")
    url = reverse("acceptance:window-staff-add", args=[hall.pk])
    for window, person in ((comprehensive, officer), (comprehensive, employee), (specialised, officer)):
        assert client.post(url, {"window": window.pk, "staff": person.pk}).status_code == 302
    refused = client.post(url, {"window": specialised.pk, "staff": employee.pk})
    assert refused.status_code == 200 and "专业窗口只能入驻政府组成部门工作人员" in refused.content.decode()
    assert WindowStaff.objects.count() == 3
    assert not WindowStaff.objects.filter(window=specialised, staff=employee).exists()
    # a comprehensive window with a government employee cannot be turned specialised
    turned = client.post(reverse("acceptance:window-edit", args=[hall.pk, comprehensive.pk]),
                         {"window_number": "1", "name": "1号窗口", "window_type": "specialised",
                          "department": orgs["harbin_dept"].pk, "is_active": "on"})
    assert turned.status_code == 200 and "政府雇员" in turned.content.decode()
    assert Window.objects.get(pk=comprehensive.pk).window_type == "comprehensive"
    # the assigned staff member's evaluation QR code
    qr = client.get(reverse("acceptance:staff-qr", args=[officer.pk]))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    # no permission → 403, nothing written
    client.force_login(StaffFactory(username="plain", organisation=orgs["harbin_dept"]))
    assert client.post(url, {"window": specialised.pk, "staff": officer.pk}).status_code == 403


@pytest.mark.spec("REV-1.5")
def test_specialised_windows_take_only_their_departments_items(client, orgs, hall, hall_admin):
    client.force_login(hall_admin)
    _window(client, hall, "1", "comprehensive")
    _window(client, hall, "2", "specialised", orgs["harbin_dept"])
    comprehensive, specialised = Window.objects.get(window_number="1"), Window.objects.get(window_number="2")
    own = f.matter(orgs["harbin_dept"], "食品经营许可")
    other = f.matter(orgs["daoli_dept"], "个体工商户登记")
    url = reverse("acceptance:window-matter-add", args=[hall.pk])
    for window, matter in ((comprehensive, own), (comprehensive, other), (specialised, own)):
        assert client.post(url, {"window": window.pk, "matter": matter.pk}).status_code == 302
    refused = client.post(url, {"window": specialised.pk, "matter": other.pk})
    assert refused.status_code == 200 and "专业窗口只能入驻所属部门" in refused.content.decode()
    assert WindowMatter.objects.count() == 3
    turned = client.post(reverse("acceptance:window-edit", args=[hall.pk, comprehensive.pk]),
                         {"window_number": "1", "name": "1号窗口", "window_type": "specialised",
                          "department": orgs["harbin_dept"].pk, "is_active": "on"})
    assert turned.status_code == 200 and "个体工商户登记" in turned.content.decode()
    page = client.get(hall.get_absolute_url()).content.decode()
    assert "食品经营许可" in page and "个体工商户登记" in page
