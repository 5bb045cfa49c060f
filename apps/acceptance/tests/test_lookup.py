"""综合查询 and case-code services as applicants meet them (ACC-8.2 online consultation support: case,
complaint and logistics progress; ACC-17.0 digital and graphic case codes on documents and results)."""
import io

import pytest
import qrcode
from django.urls import reverse
from rest_framework.test import APIClient

from apps.acceptance.documents import document_qr_codes
from apps.acceptance.models import (
    CaseCode,
    CaseCodeComplaint,
    CaseDocument,
    DocumentKind,
)
from apps.acceptance.services import codes as cs
from apps.acceptance.tests import factories as f

pytestmark = pytest.mark.django_db
LOOKUP = "/acceptance/lookup/"
NOT_FOUND = "未查到匹配的记录"


@pytest.fixture
def clerk(orgs):
    return f.clerk(orgs["harbin_dept"])


@pytest.fixture
def item(orgs):
    return f.matter(orgs["harbin_dept"])


@pytest.mark.spec("ACC-17.0")
def test_graphic_code_on_results_opens_the_digital_codes_services(client, orgs, clerk, item):
    case = f.concluded_case(item, clerk, n=1)
    code = CaseCode.objects.get(case=case).code
    # the result notice exists once the case is concluded and prints the digital and the graphic code
    client.force_login(clerk)
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "办结通知书" in detail
    pdf = client.get(reverse("acceptance:case-document", args=[case.pk, DocumentKind.RESULT_NOTICE]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    document = CaseDocument.objects.get(case=case, kind=DocumentKind.RESULT_NOTICE)
    qr = dict(document_qr_codes(document, lambda path: "https://zwfw.hlj.gov.cn" + path))
    graphic_url = qr[f"图形办件码 {code}"]
    assert cs.code_from_text(graphic_url) == code
    # another app scans the printed graphic code: the parsing API reads the same code and its case
    image = io.BytesIO()
    qrcode.make(graphic_url).save(image, format="PNG")
    image.seek(0)
    image.name = "code.png"
    parsed = APIClient().post("/api/v1/acceptance/case-codes/parse/", {"image": image}, format="multipart").json()
    assert parsed["code"] == code and parsed["valid"] is True and parsed["case_number"] == case.case_number
    # the applicant opens the code: progress, evaluation and complaint services, no personal data
    client.logout()
    page = client.get(graphic_url.replace("https://zwfw.hlj.gov.cn", "")).content.decode()
    assert case.case_number in page and "已办结" in page and "张三1" not in page
    assert "办理进度查询" in page and "办件评价（好差评）" in page and f"?code={code}" in page
    complaint_form = client.get(reverse("acceptance-public:code-complaint") + f"?code={code}").content.decode()
    assert f'value="{code}"' in complaint_form
    # the acceptance notice of a case in handling carries the code too, without the evaluation service
    from apps.acceptance.services.cases import case_accept, case_register
    open_case = case_accept(case=case_register(item=item, applicant_name="李四", applicant_id_number=f.id_number(2),
                                               actor=clerk), actor=clerk)
    open_code = open_case.case_code.code
    page = client.get(LOOKUP, {"code": open_code}).content.decode()
    assert open_case.case_number in page and "办件评价" not in page
    # revoked, unknown or malformed codes reveal nothing
    cs.case_code_revoke(code=open_case.case_code, actor=f.dispatch_admin(orgs["harbin_dept"]), reason="重复赋码")
    for bad in (open_code, "HLJ-NO-SUCH", ""):
        page = client.get(LOOKUP, {"kind": "code", "code": bad}).content.decode()
        assert open_case.case_number not in page
    assert NOT_FOUND in client.get(LOOKUP, {"kind": "code", "code": open_code}).content.decode()
    # the result notice is staff-only and scoped: a clerk of another region gets 404
    client.force_login(f.clerk(orgs["qiqihar"], "qq_clerk"))
    assert client.get(reverse("acceptance:case-document", args=[case.pk, "result_notice"])).status_code == 404


@pytest.mark.spec("ACC-8.2")
def test_online_consultation_support_case_complaint_and_logistics_progress(client, orgs, clerk, item):
    from apps.acceptance.tests.factories import hall

    case = f.concluded_case(item, clerk, n=1)
    other = f.concluded_case(item, clerk, n=2)
    the_hall = hall(orgs["harbin_dept"])
    consult = client.get(reverse("acceptance-public:consult", args=[the_hall.pk])).content.decode()
    assert 'data-testid="lookup-case-link"' in consult                      # FAQ page links the progress queries

    # case progress needs the case number AND the applicant's ID number
    page = client.get(LOOKUP, {"kind": "case", "case_number": case.case_number,
                               "id_number": f.id_number(1)}).content.decode()
    assert 'data-testid="lookup-case"' in page and "已办结" in page and "张三1" not in page
    for wrong in (f.id_number(2), "", "23010219900101001X"):
        page = client.get(LOOKUP, {"kind": "case", "case_number": case.case_number, "id_number": wrong}).content.decode()
        assert case.case_number not in page.split("lookup-form")[-1].split("</form>")[-1]

    # complaint progress: number AND the mobile the complaint was filed from; follows the supervisor's steps
    client.post(reverse("acceptance-public:code-complaint"), {
        "kind": "no_code", "case_number": other.case_number, "content": "窗口未给办件码",
        "complainant_name": "王五", "complainant_mobile": "13900005555"})
    complaint = CaseCodeComplaint.objects.get()
    query = {"kind": "complaint", "number": complaint.number, "mobile": "13900005555"}
    assert "已受理" in client.get(LOOKUP, query).content.decode()
    supervisor = f.grant(f.StaffFactory(username="code_supervisor", organisation=orgs["harbin"]),
                         "view_casecodecomplaint", "change_casecodecomplaint")
    client.force_login(supervisor)
    client.post("/portal/acceptance/case-code-complaints/", {"complaint": complaint.pk, "action": "track"})
    client.logout()
    page = client.get(LOOKUP, query).content.decode()
    assert 'data-testid="lookup-complaint"' in page and "跟踪核查中" in page and "王五" not in page
    page = client.get(LOOKUP, {**query, "mobile": "13900006666"}).content.decode()
    assert NOT_FOUND in page and 'data-testid="lookup-complaint"' not in page

    # logistics progress: waybill AND case number; the window's tracking events appear in order
    client.force_login(clerk)
    client.post(case.get_absolute_url(), {"action": "issue", "method": "express", "recipient": "张三1",
                                          "address": "哈尔滨市道里区1号", "waybill_number": "SF2026001"})
    for kind, place in (("shipped", "哈尔滨政务服务中心"), ("in_transit", "哈尔滨转运中心")):
        client.post(case.get_absolute_url(), {"action": "track", "kind": kind, "location": place})
    client.logout()
    page = client.get(LOOKUP, {"kind": "delivery", "waybill": "SF2026001",
                               "case_number": case.case_number}).content.decode()
    assert 'data-testid="lookup-delivery"' in page
    assert page.index("哈尔滨政务服务中心") < page.index("哈尔滨转运中心") and "运输中" in page
    page = client.get(LOOKUP, {"kind": "delivery", "waybill": "SF2026001",
                               "case_number": other.case_number}).content.decode()
    assert NOT_FOUND in page and "哈尔滨转运中心" not in page
    # the page itself is open; an empty query shows the form only
    page = client.get(LOOKUP).content.decode()
    assert 'data-testid="lookup-form"' in page and NOT_FOUND not in page
