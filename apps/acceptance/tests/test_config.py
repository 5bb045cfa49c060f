"""System configuration (ACC-16.x) as staff meet it: lists with the tender's query fields, add/edit/delete,
Excel, scope and permissions; print templates on the printed documents, message templates in the booking SMS."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.acceptance.documents import _lines
from apps.acceptance.models import (
    Device, DocumentKind, MessageTemplate, MessageType, PrintTemplate, ServiceList, SmsChannel,
)
from apps.acceptance.services.booking import appointment_book
from apps.acceptance.services.cases import case_accept
from apps.acceptance.services import onewindow as ow
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.test_engine import next_weekday
from apps.core.models import AuditLog, SmsMessage
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db
CONFIG_MODELS = ("printtemplate", "servicelist", "regionlink", "device", "itemgroup", "itemremark", "smschannel",
                 "messagetemplate")


def configurator(organisation, username="configurator"):
    codenames = [f"{action}_{model}" for model in CONFIG_MODELS for action in ("view", "add", "change", "delete")]
    return f.grant(StaffFactory(username=username, organisation=organisation), *codenames, "view_case", "change_case")


@pytest.fixture
def admin(orgs):
    return configurator(orgs["harbin"])                    # the Harbin bureau: the whole city


@pytest.mark.spec("ACC-16.1", "ACC-16.2")
def test_print_template_list_query_add_and_it_prints_on_the_notice(client, orgs, admin):
    item, _s = f.with_materials(f.matter(orgs["harbin_dept"]))
    url = reverse("acceptance:config-list", args=["print-templates"])
    client.force_login(admin)
    response = client.post(reverse("acceptance:config-add", args=["print-templates"]), {
        "name": "受理通知书（市场监管）", "kind": DocumentKind.ACCEPTANCE_NOTICE, "organisation": orgs["harbin_dept"].pk,
        "item": item.pk, "is_enabled": "on", "body": "请凭本通知书于{due_date}前领取结果。\n咨询电话：12345"})
    assert response.status_code == 302, response.content.decode()[:2000]
    template = PrintTemplate.objects.get()
    assert AuditLog.objects.filter(action="create", object_id=str(template.pk)).exists()
    page = client.get(url, {"organisation": "市场监督", "name": "受理通知书"}).content.decode()
    for text in ("受理通知书（市场监管）", "哈尔滨市市场监督管理局", "受理通知书", item.name, "是", "创建时间"):
        assert text in page
    assert "受理通知书（市场监管）" not in client.get(url, {"name": "不存在"}).content.decode()
    clerk = f.clerk(orgs["harbin_dept"])
    required = item.materials.get(name="申请书")
    case = ow.case_window_intake(item=item, actor=clerk, applicant_name="张三", applicant_id_number=f.id_number(1),
                                 applicant_mobile="13900000001", received={required.pk})
    case = case_accept(case=case, actor=clerk)
    notice = case.documents.get(kind=DocumentKind.ACCEPTANCE_NOTICE)
    lines = _lines(notice)
    assert f"请凭本通知书于{case.due_date:%Y年%m月%d日}前领取结果。" in lines and "咨询电话：12345" in lines
    PrintTemplate.objects.update(is_enabled=False)
    assert "咨询电话：12345" not in _lines(notice)
    export = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [c.value for c in next(sheet.iter_rows())][:3] == ["模板名称", "模板类型", "单位"]


def test_configuration_authorisation_matrix_and_scope(client, orgs, admin, citizen, staff):
    url = reverse("acceptance:config-list", args=["devices"])
    assert client.get(url).status_code == 302                                       # anonymous → login
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(staff["harbin"])                                             # no permission
    assert client.get(url).status_code == 403
    assert client.post(reverse("acceptance:config-add", args=["devices"]), {}).status_code == 403
    client.force_login(admin)
    assert client.get(reverse("acceptance:config-list", args=["nonsense"])).status_code == 404
    add = reverse("acceptance:config-add", args=["devices"])
    qiqihar = orgs["qiqihar"].region
    response = client.post(add, {"name": "取号机", "code": "QH-01", "device_type": "queue_machine",
                                 "region": qiqihar.pk})                             # another city: not a choice
    assert response.status_code == 200 and not Device.objects.exists()
    assert client.post(add, {"name": "取号机", "code": "HB-01", "device_type": "queue_machine",
                             "region": orgs["harbin"].region.pk}).status_code == 302
    other = configurator(orgs["qiqihar"], "qiqihar_configurator")
    Device.objects.create(name="齐市高拍仪", code="QH-02", device_type="document_camera", region=qiqihar)
    page = client.get(url, {"name": "取号"}).content.decode()
    assert "HB-01" in page and "QH-02" not in page
    device = Device.objects.get(code="QH-02")
    assert client.post(reverse("acceptance:config-delete", args=["devices", device.pk])).status_code == 404
    client.force_login(other)
    assert client.post(reverse("acceptance:config-delete", args=["devices", device.pk])).status_code == 302
    assert list(Device.objects.values_list("code", flat=True)) == ["HB-01"]


@pytest.mark.spec("ACC-16.3")
def test_service_list_query_by_applicant_and_id_number_masks_and_refuses_bad_ids(client, orgs, admin):
    client.force_login(admin)
    add = reverse("acceptance:config-add", args=["service-lists"])
    good_id = f.id_number(7)
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")                     # wrong check character
    data = {"applicant_name": "李四", "applicant_id_number": bad_id, "applicant_mobile": "13912345678",
            "address": "哈尔滨市道里区", "mailing_address": "哈尔滨市南岗区1号", "organisation": orgs["harbin_dept"].pk}
    assert client.post(add, data).status_code == 200 and not ServiceList.objects.exists()   # bad check digit
    good = dict(data, applicant_id_number=f.id_number(7))
    assert client.post(add, good).status_code == 302
    url = reverse("acceptance:config-list", args=["service-lists"])
    page = client.get(url, {"id_number": f.id_number(7)}).content.decode()
    table = page[page.index('data-testid="config-table"'):]
    assert "李四" in table and f.id_number(7) not in table and "139****5678" in table            # masked
    assert "李四" not in client.get(url, {"id_number": f.id_number(8)}).content.decode()
    assert "李四" in client.get(url, {"applicant": "李"}).content.decode()


@pytest.mark.spec("ACC-16.5", "ACC-16.6", "ACC-16.9", "ACC-16.10", "ACC-16.11")
def test_region_links_devices_item_groups_remarks_and_sms_channels(client, orgs, admin):
    client.force_login(admin)
    hall = f.hall(orgs["harbin_dept"])
    first, second = f.matter(orgs["harbin_dept"], "开办餐饮店"), f.matter(orgs["harbin_dept"], "食品经营许可")
    posts = {
        "region-links": {"region": orgs["harbin"].region.pk, "child_region": orgs["daoli_dept"].region.pk},
        "devices": {"name": "一号高拍仪", "code": "GPY-001", "device_type": "document_camera",
                    "region": orgs["harbin"].region.pk, "hall": hall.pk},
        "item-groups": {"name": "我要开餐馆", "organisation": orgs["harbin_dept"].pk, "items": [first.pk, second.pk]},
        "item-remarks": {"item": first.pk, "remark": "需现场核验经营场所"},
        "sms-channels": {"name": "哈尔滨移动通道", "description": "市级短信网关", "region": orgs["harbin"].region.pk,
                         "is_enabled": "on"},
    }
    for key, data in posts.items():
        response = client.post(reverse("acceptance:config-add", args=[key]), data)
        assert response.status_code == 302, (key, response.content.decode()[:1500])
    expected = {"region-links": ("哈尔滨市", "道里区"), "devices": ("一号高拍仪", "GPY-001", "高拍仪", hall.name),
                "item-groups": ("我要开餐馆", "开办餐饮店、食品经营许可"),
                "item-remarks": (first.implementation_code, "需现场核验经营场所", "承诺件"),
                "sms-channels": ("哈尔滨移动通道", "市级短信网关", "是")}
    for key, texts in expected.items():
        page = client.get(reverse("acceptance:config-list", args=[key])).content.decode()
        assert all(text in page for text in texts), (key, texts)
    channel = SmsChannel.objects.get()
    response = client.post(reverse("acceptance:config-edit", args=["sms-channels", channel.pk]),
                           {"name": "哈尔滨移动通道", "description": "停用", "region": orgs["harbin"].region.pk})
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.is_enabled is False and channel.description == "停用"
    index = client.get(reverse("acceptance:config-index")).content.decode()
    assert all(f"config-{key}" in index for key in posts)


@pytest.mark.spec("ACC-16.12")
def test_message_template_drives_the_booking_sms(client, orgs, admin, citizen):
    client.force_login(admin)
    response = client.post(reverse("acceptance:config-add", args=["message-templates"]), {
        "name": "哈尔滨预约成功", "message_type": MessageType.APPOINTMENT_BOOKED, "is_enabled": "on",
        "region": orgs["harbin"].region.pk,
        "content": "【哈尔滨政务】{name}，您已预约{hall}“{matter}”{date} {period}，编号{number}。{transport}"})
    assert response.status_code == 302
    MessageTemplate.objects.create(name="全省共用", message_type=MessageType.APPOINTMENT_BOOKED, is_shared=True,
                                   region=orgs["qiqihar"].region, content="共用模板 {name}")
    page = client.get(reverse("acceptance:config-list", args=["message-templates"]),
                      {"type": MessageType.APPOINTMENT_BOOKED}).content.decode()
    assert "哈尔滨预约成功" in page and "预约成功通知" in page and "全省共用" not in page   # Qiqihar's: not in scope
    hall = f.hall(orgs["harbin_dept"])
    day = next_weekday(0)
    appointment = appointment_book(slot=f.slot(f.bookable(hall), day), actor=citizen, **f.booker(1))
    sms = SmsMessage.objects.get()
    assert sms.content.startswith("【哈尔滨政务】张三1，您已预约") and appointment.appointment_number in sms.content
    MessageTemplate.objects.filter(region=orgs["harbin"].region).update(is_enabled=False)
    appointment_book(slot=f.slot(f.bookable(hall, "另一事项"), day), actor=citizen, **f.booker(2))
    assert SmsMessage.objects.order_by("-pk").first().content == "共用模板 张三2"


def _filled(template_bytes, rows):
    workbook = load_workbook(io.BytesIO(template_bytes))
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "filled.xlsx"
    return buffer


@pytest.mark.spec("ACC-5.2")
def test_departments_template_download_and_import_all_or_nothing(client, orgs, admin):
    from apps.acceptance.models import HallDepartment

    f.grant(admin, "view_halldepartment", "add_halldepartment", "change_halldepartment")
    admin = type(admin).objects.get(pk=admin.pk)
    hall = f.hall(orgs["harbin_dept"])
    qiqihar_hall = f.hall(orgs["qiqihar"], name="齐齐哈尔市政务服务中心")
    client.force_login(admin)
    url = reverse("acceptance:config-import", args=["departments"])
    template = client.get(url)
    assert template.status_code == 200
    headers = [c.value for c in next(load_workbook(io.BytesIO(template.content)).active.iter_rows())]
    assert headers == ["大厅编号", "部门名称", "统一社会信用代码", "联系电话", "办公位置"]
    good = [hall.hall_number, "市场监管窗口", orgs["harbin_dept"].credit_code, "0451-12345", "二楼B区"]
    bad = [[qiqihar_hall.hall_number, "越权", orgs["harbin_dept"].credit_code, "", ""],      # other city's hall
           [hall.hall_number, "未同步", "91230100MA00000000", "", ""]]                      # unknown organisation
    response = client.post(url, {"file": _filled(template.content, [good, *bad])}, follow=True)
    page = response.content.decode()
    assert "第3行" in page and "第4行" in page and not HallDepartment.objects.exists()       # nothing written
    client.post(url, {"file": _filled(template.content, [good])})
    department = HallDepartment.objects.get()
    assert (department.hall, department.organisation, department.location) == (hall, orgs["harbin_dept"], "二楼B区")
    client.post(url, {"file": _filled(template.content, [good[:3] + ["0451-99999", "三楼"]])})      # re-import edits
    assert HallDepartment.objects.get().phone == "0451-99999"
    listing = client.get(reverse("acceptance:config-list", args=["departments"]), {"name": "市场"}).content.decode()
    assert "市场监管窗口" in listing and orgs["harbin_dept"].credit_code in listing
    not_excel = io.BytesIO(b"not a workbook")
    not_excel.name = "x.xlsx"
    assert "Excel" in client.post(url, {"file": not_excel}, follow=True).content.decode()


@pytest.mark.spec("ACC-5.4")
def test_standard_items_import_makes_library_items_bookable(client, orgs, admin):
    from apps.acceptance.models import BookableMatter

    f.grant(admin, "view_bookablematter", "add_bookablematter", "change_bookablematter")
    admin = type(admin).objects.get(pk=admin.pk)
    hall = f.hall(orgs["harbin_dept"])
    item = f.matter(orgs["harbin_dept"], "食品经营许可")
    client.force_login(admin)
    url = reverse("acceptance:config-import", args=["standard-items"])
    template = client.get(url).content
    response = client.post(url, {"file": _filled(template, [[hall.hall_number, "NO-SUCH-CODE", "市场监管局"]])},
                           follow=True)
    assert "NO-SUCH-CODE" in response.content.decode() and not BookableMatter.objects.exists()
    client.post(url, {"file": _filled(template, [[hall.hall_number, item.implementation_code, "市场监管局"]])})
    matter = BookableMatter.objects.get()
    assert (matter.hall, matter.matter, matter.department_name, matter.is_active) == (hall, item, "市场监管局", True)
    page = client.get(reverse("acceptance:config-list", args=["standard-items"])).content.decode()
    assert item.implementation_code in page and "食品经营许可" in page
    add = client.post(reverse("acceptance:config-add", args=["standard-items"]), {
        "hall": hall.pk, "matter": f.matter(orgs["harbin_dept"], "社保卡补办").pk, "department_name": "人社局",
        "is_active": "on"})
    assert add.status_code == 302 and BookableMatter.objects.count() == 2
