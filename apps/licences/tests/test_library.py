"""The licence library: archive (LIC-1.16), statistics (LIC-1.19–1.21, 1.24), expiring (LIC-1.22),
downloads (LIC-1.26, 1.28), batch import (LIC-1.29), purge (LIC-1.27)."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from apps.core.models import AuditLog
from apps.identity.tests.factories import StaffFactory
from apps.licences.models import Licence, LicenceCategory, LicenceImportBatch, LicenceSource, LicenceStatus
from apps.licences.services.licences import licence_end, licence_enter, licence_review, licence_seal, licence_submit
from apps.licences.services.management import mapping_create

from .factories import LICENCE_PERMS, demo_pki, grant, licence_data, licence_template, seal_admin, valid_seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs):
    admin = seal_admin(orgs["province"])
    pki = demo_pki(admin, orgs["province"])
    dept = orgs["harbin_dept"]
    clerk = grant(StaffFactory(username="lib_clerk", organisation=dept), *LICENCE_PERMS, "delete_licence")
    seal = valid_seal(admin, dept, pki, "证照专用章")
    seal.grants.create(user=clerk, granted_by=admin)
    return {"admin": admin, "pki": pki, "dept": dept, "clerk": clerk, "seal": seal,
            "template": licence_template(orgs["province"])}


def issued(world, n, **overrides):
    clerk = world["clerk"]
    licence = licence_enter(actor=clerk, template=world["template"], issuer=world["dept"],
                            data=licence_data(n, **overrides))
    licence_submit(actor=clerk, licences=[licence])
    licence_review(actor=clerk, licence=licence, approve=True)
    return licence_seal(actor=clerk, licence=licence, seal=world["seal"], certificate=world["pki"]["signer"])


def sheet(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.spec("LIC-1.16", "LIC-1.28")
def test_archive_by_operation_type_and_valid_download_columns(client, world):
    a, b, c = (issued(world, i) for i in range(3))
    licence_end(actor=world["clerk"], licence=b, action="cancel")
    licence_end(actor=world["clerk"], licence=c, action="report_lost")
    client.force_login(world["clerk"])
    page = client.get("/portal/licences/archive/?operation=cancel").content.decode()
    assert b.licence_number in page and a.licence_number not in page and c.licence_number not in page
    assert c.licence_number in client.get("/portal/licences/archive/?operation=report_lost").content.decode()
    assert a.licence_number in client.get("/portal/licences/archive/?operation=valid").content.decode()
    rows = sheet(client.get("/portal/licences/download/?export=xlsx&template=食品"))
    assert rows[0][:7] == ["证照名称", "证照编号", "模板名称", "颁发机构代码", "持证人名称", "颁发时间", "有效期"]
    assert [r[1] for r in rows[1:]] == [a.licence_number]      # cancelled and lost are not valid
    assert rows[1][3] == world["dept"].credit_code and rows[1][6] == "2026-01-01 至 2030-12-31"
    assert sheet(client.get("/portal/licences/download/?export=xlsx&organisation=齐齐哈尔"))[1:] == []


@pytest.mark.spec("LIC-1.22")
def test_expiring_list_returns_exactly_the_window(client, world):
    today = timezone.localdate()
    soon = issued(world, 1, valid_until=today + dt.timedelta(days=10))
    later = issued(world, 2, valid_until=today + dt.timedelta(days=40))
    issued(world, 3, valid_until=None)
    client.force_login(world["clerk"])
    page = client.get("/portal/licences/expiring/").content.decode()   # default 30 days
    assert soon.licence_number in page and later.licence_number not in page
    rows = sheet(client.get("/portal/licences/expiring/?warning_days=45&export=xlsx"))
    assert rows[0][:6] == ["证照名称", "证照编号", "颁发机构代码", "模板名称", "颁发时间", "有效期"]
    assert sorted(r[1] for r in rows[1:]) == sorted([soon.licence_number, later.licence_number])
    assert client.get("/portal/licences/expiring/?warning_days=-3").status_code == 200
    from apps.licences.menus import expiring_inbox

    assert "1 个证照将在 30 天内到期" in expiring_inbox(world["clerk"])[0].title


@pytest.mark.spec("LIC-1.19", "LIC-1.20", "LIC-1.21", "LIC-1.24")
def test_statistics_by_department_theme_item_and_source(client, world, orgs):
    issued(world, 1)
    issued(world, 2)
    other = licence_template(orgs["province"], name="食品生产许可证")
    other.category = LicenceCategory.objects.create(name="工业生产", category_type="主题")
    other.save()
    clerk = world["clerk"]
    licence_enter(actor=clerk, template=world["template"], issuer=world["dept"], data=licence_data(5),
                  source=LicenceSource.INTERFACE)
    licence_enter(actor=clerk, template=world["template"], issuer=world["dept"], data=licence_data(6),
                  source=LicenceSource.FILE_IMPORT)
    mapping_create(actor=world["admin"] if world["admin"].has_perm("licences.add_templatemapping")
                   else grant(StaffFactory(username="map", organisation=orgs["province"]), "add_templatemapping"),
                   template=world["template"], issuer=world["dept"], item_code="I-001", item_name="食品经营许可")
    viewer = grant(StaffFactory(username="stat", organisation=orgs["province"]), "view_licence")
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/portal/licences/statistics/?by=department").content.decode()
    assert len(queries) < 15
    assert "<td>哈尔滨市市场监督管理局</td><td>0</td><td>2</td>" in page
    assert "<td>黑龙江省营商环境建设监督局</td><td>2</td><td>0</td>" in page
    page = client.get("/portal/licences/statistics/?by=theme&name=市场").content.decode()
    assert "<td>市场监管</td><td>1</td><td>2</td>" in page and "工业生产" not in page
    page = client.get("/portal/licences/statistics/?by=item&name=食品经营").content.decode()
    assert "<td>食品经营许可</td><td>1</td><td>2</td>" in page
    page = client.get("/portal/licences/statistics/?by=source").content.decode()
    assert "<td>哈尔滨市市场监督管理局</td><td>4</td><td>2</td><td>1</td><td>0</td><td>1</td>" in page
    qq = grant(StaffFactory(username="qq_stat", organisation=orgs["qiqihar"]), "view_licence")
    client.force_login(qq)
    assert "哈尔滨市市场监督管理局" not in client.get("/portal/licences/statistics/?by=source").content.decode()


@pytest.mark.spec("LIC-1.26")
def test_template_download_has_the_listed_columns(client, world, orgs):
    licence_template(orgs["province"], name="食品生产许可证")
    viewer = grant(StaffFactory(username="tplv", organisation=orgs["province"]), "view_licencetemplate")
    client.force_login(viewer)
    rows = sheet(client.get("/portal/licences/templates/?export=xlsx&name=生产&is_valid=true"))
    assert rows[0][:7] == ["模板名称", "证照类型", "证照分类", "定义机构", "持证主体类型", "主体", "有效期"]
    assert [r[0] for r in rows[1:]] == ["食品生产许可证"] and rows[1][4] == "法人" and rows[1][6] == "5年"


def _workbook(rows, header=None):
    wb = Workbook()
    ws = wb.active
    ws.append(header or ["证照名称", "证照编号", "持证主体名称", "持证主体代码", "有效期起（YYYY-MM-DD）",
                         "有效期至（YYYY-MM-DD，长期留空）", "经营场所", "经营项目"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "import.xlsx"
    return buf


ROW = ["食品经营许可证", "JY0001", "冰城餐饮", "91230100MA1B2C3D4E", "2026-01-01", "2030-12-31", "中央大街1号", "热食"]


@pytest.mark.spec("LIC-1.29")
def test_import_shows_rows_then_confirm_enters_all_or_cancel_leaves_none(client, world):
    client.force_login(world["clerk"])
    template, dept = world["template"], world["dept"]
    page = client.get("/portal/licences/import/").content.decode()
    assert "操作说明" in page and "下载导入模板" in page
    blank = sheet(client.get(f"/portal/licences/import/?workbook={template.pk}"))
    assert blank[0] == ["证照名称", "证照编号", "持证主体名称", "持证主体代码", "有效期起（YYYY-MM-DD）",
                        "有效期至（YYYY-MM-DD，长期留空）", "经营场所", "经营项目"]
    response = client.post("/portal/licences/import/", {"template": template.pk, "issuer": dept.pk,
                                                        "file": _workbook([ROW, ROW[:1] + ["JY0002"] + ROW[2:]])})
    batch = LicenceImportBatch.objects.get()
    detail = client.get(response.url).content.decode()
    assert "JY0001" in detail and "JY0002" in detail and not Licence.objects.exists()
    client.post(response.url, {"action": "confirm"})
    entered = Licence.objects.order_by("licence_number")
    assert [x.licence_number for x in entered] == ["JY0001", "JY0002"]
    assert {x.status for x in entered} == {LicenceStatus.ENTERED} and {x.source for x in entered} == {"file_import"}
    assert client.post(response.url, {"action": "cancel"}).status_code == 302 and Licence.objects.count() == 2

    bad = ROW[:4] + ["2026/13/01", "", "", "热食"]
    response = client.post("/portal/licences/import/", {"template": template.pk, "issuer": dept.pk,
                                                        "file": _workbook([ROW[:1] + ["JY0003"] + ROW[2:], bad])})
    detail = client.get(response.url).content.decode()
    assert "第 3 行" in detail and "确认导入" not in detail
    client.post(response.url, {"action": "confirm"})
    client.post(response.url, {"action": "cancel"})
    assert Licence.objects.count() == 2 and LicenceImportBatch.objects.exclude(pk=batch.pk).get().status == "cancelled"
    response = client.post("/portal/licences/import/", {"template": template.pk, "issuer": dept.pk,
                                                        "file": _workbook([ROW], header=["名称", "编号"])})
    assert response.status_code == 400 and "表头" in response.content.decode()
    assert LicenceImportBatch.objects.count() == 2


def test_import_batch_of_someone_else_is_not_reachable(client, world, orgs):
    client.force_login(world["clerk"])
    client.post("/portal/licences/import/", {"template": world["template"].pk, "issuer": world["dept"].pk,
                                             "file": _workbook([ROW])})
    batch = LicenceImportBatch.objects.get()
    colleague = grant(StaffFactory(username="colleague", organisation=world["dept"]), "add_licence")
    client.force_login(colleague)
    assert client.post(f"/portal/licences/import/{batch.pk}/", {"action": "confirm"}).status_code == 404
    assert not Licence.objects.exists()


@pytest.mark.spec("LIC-1.27")
def test_purge_page_admin_only_deletes_history_and_is_audited(client, world, orgs):
    v1 = issued(world, 1)
    licence_end(actor=world["clerk"], licence=v1, action="abolish")
    client.force_login(world["clerk"])                      # has delete_licence but is not a system admin
    assert client.get("/portal/licences/purge/").status_code == 403
    assert client.post("/portal/licences/purge/", {"licence_code": v1.licence_code, "reason": "x"}).status_code == 403
    root = StaffFactory(username="root_purge", organisation=orgs["province"], is_superuser=True)
    client.force_login(root)
    page = client.get(f"/portal/licences/purge/?licence_number={v1.licence_number}").content.decode()
    assert v1.licence_number in page
    client.post("/portal/licences/purge/", {"licence_code": v1.licence_code, "reason": ""})
    assert Licence.objects.filter(licence_code=v1.licence_code).exists()
    client.post("/portal/licences/purge/", {"licence_code": v1.licence_code, "reason": "重复录入"})
    assert not Licence.objects.filter(licence_code=v1.licence_code).exists()
    assert v1.licence_number not in client.get("/portal/licences/archive/").content.decode()
    entry = AuditLog.objects.filter(action="delete").latest("pk")
    assert v1.licence_code in entry.detail and "重复录入" in entry.detail


@pytest.mark.spec("LIC-1.5")
def test_sharing_interface_refuses_licences_without_mapping_until_it_is_added(client, world, orgs):
    from apps.licences.services.grants import business_system_connect, business_system_register

    licence = issued(world, 1)
    sysadmin = grant(StaffFactory(username="bs_admin", organisation=orgs["province"]), "add_businesssystem",
                     "change_businesssystem", "add_templatemapping")
    system, token = business_system_register(actor=sysadmin, code="city-hrb", name="哈尔滨市政务平台",
                                             organisation=orgs["province"])
    url = f"/api/v1/licences/shared/{licence.licence_code}/"
    assert client.get(url, HTTP_X_BUSINESS_TOKEN=token).status_code == 403           # not connected
    business_system_connect(actor=sysadmin, system=system, connected=True)
    response = client.get(url, HTTP_X_BUSINESS_TOKEN=token)
    assert response.status_code == 403 and "映射" in response.json()["detail"]
    mapping_create(actor=sysadmin, template=world["template"], issuer=world["dept"], item_code="I-1",
                   item_name="食品经营许可")
    response = client.get(url, HTTP_X_BUSINESS_TOKEN=token)
    assert response.status_code == 200 and response.json()["licence_number"] == licence.licence_number
    import base64

    from apps.licences.ofd.verify import verify_ofd

    assert verify_ofd(base64.b64decode(response.json()["ofd"])).verdict == "valid"
