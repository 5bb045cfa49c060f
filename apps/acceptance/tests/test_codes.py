"""Case codes (办件码): yearly segments, race-free serials, interface and manual coding, verification,
revocation, reconciliation (ACC-17.x)."""
import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from rest_framework.test import APIClient

from apps.acceptance.models import CaseCode, CaseCodeCall, ManualCodingMatter
from apps.acceptance.services import codes as cs
from apps.acceptance.tests import factories as f

VERIFY = "/api/v1/acceptance/case-codes/verify/"


@pytest.fixture
def item(orgs):
    return f.matter(orgs["harbin_dept"])


@pytest.fixture
def admin(orgs):
    return f.dispatch_admin(orgs["harbin_dept"])


@pytest.mark.django_db
@pytest.mark.spec("ACC-17.1")
def test_serial_restarts_at_one_on_new_year(item):
    last_year = [cs.case_code_issue(item=item, on_date=date(2026, 12, 31)) for _ in range(3)]
    first = cs.case_code_issue(item=item, on_date=date(2027, 1, 1))
    assert [c.serial for c in last_year] == [1, 2, 3]
    assert (first.year, first.serial) == (2027, 1)
    assert first.code == f"{item.implementation_code}2027000001{cs.check_character(item.implementation_code + '2027000001')}"


@pytest.mark.django_db(transaction=True)
def test_two_counters_taking_codes_at_once_never_collide(orgs):
    item = f.matter(orgs["harbin_dept"])
    codes, barrier = [], threading.Barrier(8)

    def take():
        barrier.wait()
        try:
            codes.append(cs.case_code_issue(item=item).serial)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == list(range(1, 9))


@pytest.mark.django_db
@pytest.mark.spec("ACC-17.11")
def test_interface_issues_codes_to_token_holders_and_manual_coding_for_classified_items(admin, orgs, item):

    client_system, _route, token = f.connected_route(admin, orgs["harbin_dept"], "http://127.0.0.1:9")
    api = APIClient()
    assert api.post("/api/v1/acceptance/case-codes/", {"item_code": item.implementation_code},
                    format="json").status_code == 401
    response = api.post("/api/v1/acceptance/case-codes/", {"item_code": item.implementation_code}, format="json",
                        HTTP_X_CLIENT_TOKEN=token)
    assert response.status_code == 201 and response.json()["serial"] == 1
    code = CaseCode.objects.get(code=response.json()["code"])
    assert code.client == client_system and code.case is None                 # reserved, bound later
    qr = admin_client_get(admin, f"/portal/acceptance/case-codes/{code.code}/qr.png")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    ManualCodingMatter.objects.create(item=item, reason="涉密事项")
    refused = api.post("/api/v1/acceptance/case-codes/", {"item_code": item.implementation_code}, format="json",
                       HTTP_X_CLIENT_TOKEN=token)
    assert refused.status_code == 400 and "手动赋码" in str(refused.json())
    with pytest.raises(ValidationError):
        cs.case_code_issue_manual(item=item, actor=admin, detail={"applicant_name": ""})
    with pytest.raises(PermissionDenied):
        cs.case_code_issue_manual(item=item, actor=f.clerk(orgs["harbin_dept"]), detail={
            "applicant_name": "某单位", "handling_unit": "国家安全局"})
    manual = cs.case_code_issue_manual(item=item, actor=admin, detail={"applicant_name": "某单位",
                                                                       "handling_unit": "市国家保密局"})
    assert manual.manual and manual.serial == 2


def admin_client_get(user, url):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.spec("ACC-17.5", "ACC-17.2", "ACC-17.7")
def test_verification_true_false_and_revoked_list_export(admin, item):
    code = cs.case_code_issue(item=item)
    api = APIClient()
    assert api.get(VERIFY, {"code": code.code}).json() == {"valid": True}
    forged = code.code[:-1] + ("0" if code.code[-1] != "0" else "1")
    assert api.get(VERIFY, {"code": forged}).json() == {"valid": False}
    assert api.get(VERIFY, {"code": "XYZ"}).json() == {"valid": False}
    with pytest.raises(ValidationError):
        cs.case_code_revoke(code=code, actor=admin, reason="")
    cs.case_code_revoke(code=code, actor=admin, reason="重复赋码")
    assert api.get(VERIFY, {"code": code.code}).json() == {"valid": False}
    assert CaseCodeCall.objects.filter(operation="verify").count() == 4
    page = admin_client_get(admin, "/portal/acceptance/case-codes/?status=revoked")
    assert code.code in page.content.decode()
    export = admin_client_get(admin, "/portal/acceptance/case-codes/?status=revoked&export=xlsx")
    assert export.status_code == 200


@pytest.mark.django_db
@pytest.mark.spec("ACC-17.10")
def test_reconciliation_rolls_up_to_every_region_level_and_lists_cases_without_code(admin, orgs):
    item = f.matter(orgs["harbin_dept"])
    coded = f.concluded_case(item, admin, n=1)
    classified = f.matter(orgs["harbin_dept"], "涉密事项")
    ManualCodingMatter.objects.create(item=classified, reason="涉密")
    uncoded = f.concluded_case(classified, admin, n=2)
    assert coded.case_code and not CaseCode.objects.filter(case=uncoded).exists()
    assert list(cs.cases_without_code()) == [uncoded]
    run = cs.case_code_reconcile(region=orgs["province"].region, actor=admin)
    by_region = {r["region"]: r for r in run.rows}
    province = by_region[orgs["province"].region_id]
    assert (province["cases"], province["coded"], province["missing"], province["level"]) == (2, 1, 1, 1)
    assert by_region[item.region_id]["cases"] == 2
    assert run.missing_cases == [uncoded.case_number]
    with pytest.raises(PermissionDenied):
        cs.case_code_reconcile(region=orgs["province"].region, actor=f.clerk(orgs["harbin_dept"], "c2"))


def _qr_upload(text: str, name: str = "code.png"):
    import io

    import qrcode
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    qrcode.make(text).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
@pytest.mark.spec("ACC-17.3", "ACC-17.6")
def test_graphic_code_is_parsed_for_apps_and_read_by_window_staff_to_fill_forms(client, admin, item, orgs, citizen):
    """The graphic code (the QR the code page serves and results print) decodes through the parsing
    interface to the code's public content; window staff in scope get the applicant data to fill a form."""
    from apps.acceptance.services.cases import case_accept, case_register

    case = case_register(item=item, applicant_name="张三", applicant_id_number=f.id_number(3),
                         applicant_mobile="13900000003", actor=admin)
    case = case_accept(case=case, actor=admin)
    code = case.case_code
    graphic = client.get(f"/portal/acceptance/case-codes/{code.code}/qr.png")
    assert graphic.status_code == 200 and graphic["Content-Type"] == "image/png"
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = APIClient()
    parsed = api.post("/api/v1/acceptance/case-codes/parse/",
                      {"image": SimpleUploadedFile("scan.png", graphic.content, content_type="image/png")},
                      format="multipart")
    assert parsed.status_code == 200, parsed.content
    body = parsed.json()
    assert body["code"] == code.code and body["valid"] is True and body["case_number"] == case.case_number
    assert body["item_code"] == item.implementation_code and "applicant_id_number" not in body
    forged = code.code[:-1] + ("0" if code.code[-1] != "0" else "1")
    assert api.post("/api/v1/acceptance/case-codes/parse/", {"image": _qr_upload(forged)},
                    format="multipart").json()["valid"] is False
    refused = api.post("/api/v1/acceptance/case-codes/parse/",
                       {"image": SimpleUploadedFile("x.png", b"not an image", content_type="image/png")},
                       format="multipart")
    assert refused.status_code == 400 and "图片" in refused.json()["message"]
    assert CaseCodeCall.objects.filter(operation="parse").count() == 2

    read = "/api/v1/acceptance/case-codes/read/"
    assert api.post(read, {"image": _qr_upload(code.code)}, format="multipart").status_code in (401, 403)
    api.force_authenticate(citizen)
    assert api.post(read, {"image": _qr_upload(code.code)}, format="multipart").status_code == 403
    api.force_authenticate(f.dispatch_admin(orgs["qiqihar"], "qiqihar_reader"))
    assert api.post(read, {"image": _qr_upload(code.code)}, format="multipart").status_code == 404   # other city
    api.force_authenticate(admin)
    filled = api.post(read, {"image": _qr_upload(code.code)}, format="multipart").json()
    assert filled["applicant_name"] == "张三" and filled["applicant_id_number"] == f.id_number(3)
    assert filled["applicant_mobile"] == "13900000003" and filled["case_number"] == case.case_number


@pytest.mark.django_db
@pytest.mark.spec("ACC-17.4")
def test_case_code_statistics_by_region_department_and_item_with_export(client, admin, item, orgs, citizen):
    import io

    from openpyxl import load_workbook

    other = f.matter(orgs["daoli_dept"], "社会保障卡申领")
    for _n in range(3):
        cs.case_code_issue(item=item)
    revoked = cs.case_code_issue(item=other)
    cs.case_code_revoke(code=revoked, actor=f.dispatch_admin(orgs["daoli_dept"], "daoli_admin"), reason="重复")
    cs.case_code_issue(item=f.matter(orgs["qiqihar"], "道路运输"))                       # outside Harbin
    viewer = f.grant(f.StaffFactory(username="code_viewer", organisation=orgs["harbin"]), "view_casecode")
    url = "/portal/acceptance/case-codes/statistics/"
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(viewer)
    response = client.get(url, {"by": "item"})
    rows = {r["name"]: r for r in response.context["rows"]}
    assert set(rows) == {item.name, "社会保障卡申领"}
    assert (rows[item.name]["issued"], rows[item.name]["active"]) == (3, 3)
    assert (rows["社会保障卡申领"]["issued"], rows["社会保障卡申领"]["revoked"]) == (1, 1)
    by_region = {r["name"]: r["issued"] for r in client.get(url, {"by": "region"}).context["rows"]}
    assert by_region == {"哈尔滨市": 3, "道里区": 1}
    export = client.get(url, {"by": "department", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["部门", "赋码数"] and ["哈尔滨市市场监督管理局", 3, 3, 0, 0, 0] in values


@pytest.mark.django_db
@pytest.mark.spec("ACC-17.9")
def test_code_complaints_are_taken_tracked_and_filed_by_supervisors_of_the_region(client, admin, item, orgs,
                                                                                   citizen):
    from apps.acceptance.models import CaseCodeComplaint
    from apps.acceptance.services.cases import case_accept, case_register
    from apps.core.workflow import history_for

    case = case_accept(case=case_register(item=item, applicant_name="张三", applicant_id_number=f.id_number(4),
                                          actor=admin), actor=admin)
    public = "/acceptance/case-code-complaint/"
    page = client.post(public, {"kind": "forged", "content": "窗口给的码查不到", "complainant_name": "李四",
                                "complainant_mobile": "139"}).content.decode()
    assert "办件码" in page and not CaseCodeComplaint.objects.exists()                 # no code, bad mobile
    forged = case.case_code.code[:-1] + ("0" if case.case_code.code[-1] != "0" else "1")
    page = client.post(public, {"kind": "forged", "code": forged, "case_number": case.case_number,
                                "content": "窗口给的码查不到", "complainant_name": "李四",
                                "complainant_mobile": "13900004444"}).content.decode()
    complaint = CaseCodeComplaint.objects.get()
    assert complaint.number in page and complaint.code_valid is False and complaint.case == case
    assert complaint.region == case.region and "假" in page
    client.post(public, {"kind": "no_code", "case_number": "NO-SUCH", "region_code": orgs["qiqihar"].region.pk,
                         "content": "没有办件码", "complainant_name": "王五", "complainant_mobile": "13900005555"})
    assert CaseCodeComplaint.objects.count() == 2

    url = "/portal/acceptance/case-code-complaints/"
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    supervisor = f.grant(f.StaffFactory(username="code_supervisor", organisation=orgs["harbin"]),
                         "view_casecodecomplaint", "change_casecodecomplaint")
    client.force_login(supervisor)
    listing = client.get(url).content.decode()
    assert complaint.number in listing and "王五" not in listing                        # Qiqihar's: out of scope
    client.post(url, {"complaint": complaint.pk, "action": "file", "note": ""})
    complaint.refresh_from_db()
    assert complaint.status == "accepted"                                               # a reason is required
    client.post(url, {"complaint": complaint.pk, "action": "track"})
    client.post(url, {"complaint": complaint.pk, "action": "file", "note": "伪造办件码，移送立案"})
    complaint.refresh_from_db()
    assert complaint.status == "filed" and complaint.handling_note == "伪造办件码，移送立案"
    assert [t.to_state for t in history_for(complaint)] == ["accepted", "tracking", "filed"]
    other = CaseCodeComplaint.objects.exclude(pk=complaint.pk).get()
    assert client.post(url, {"complaint": other.pk, "action": "dismiss", "note": "x"}).status_code == 404
