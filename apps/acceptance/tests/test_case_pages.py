"""One-window pages as users meet them: authorisation matrix, intake, actions, documents with QR, public
application and progress, integration centre, query counts (ACC-6.x, 7.x, 10.x, 11.x, 19.6)."""
import io
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.acceptance.documents import progress_path
from apps.acceptance.models import Case, CaseStatus, ClientSystem
from apps.acceptance.services import onewindow as ow
from apps.acceptance.tests import factories as f
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(orgs):
    item, _s = f.with_materials(f.matter(orgs["harbin_dept"]))
    return item


@pytest.fixture
def clerk(orgs):
    return f.clerk(orgs["harbin_dept"])


def _intake(item, clerk, n=1):
    required = item.materials.get(name="申请书")
    return ow.case_window_intake(item=item, actor=clerk, applicant_name=f"张三{n}", applicant_id_number=f.id_number(n),
                                 applicant_mobile="13900000001", received={required.pk})


@pytest.mark.spec("ACC-7.17", "ACC-7.20")
def test_case_pages_authorisation_matrix_and_query_count(client, orgs, item, clerk, citizens,
                                                         django_assert_max_num_queries):
    case = _intake(item, clerk)
    for n in range(2, 7):
        _intake(item, clerk, n)
    list_url, detail_url = reverse("acceptance:case-list"), case.get_absolute_url()
    assert client.get(list_url).status_code == 302                                       # anonymous → login
    for user in (citizens[0], StaffFactory(username="no_perm", organisation=orgs["harbin_dept"])):
        client.force_login(user)
        assert client.get(list_url).status_code == 403 and client.get(detail_url).status_code == 403
    client.force_login(f.clerk(orgs["qiqihar"], "qq_clerk"))                           # other region
    assert client.get(detail_url).status_code == 404
    assert case.case_number not in client.get(list_url).content.decode()
    client.force_login(clerk)
    with django_assert_max_num_queries(14):
        page = client.get(list_url + "?status=pending_acceptance")
    assert page.status_code == 200 and page.content.decode().count("ACCI") >= 6
    assert client.get(detail_url).status_code == 200


@pytest.mark.spec("ACC-7.1", "ACC-7.5", "ACC-7.7")
def test_window_intake_page_builds_checklist_from_situations_and_refuses_missing_materials(client, item, clerk):
    client.force_login(clerk)
    situation = item.situations.get()
    page = client.get(reverse("acceptance:case-intake") + f"?item={item.pk}&situation={situation.pk}")
    assert "授权委托书" in page.content.decode()
    data = {"item": item.pk, "situation": situation.pk, "applicant_name": "李四",
            "applicant_id_number": f.id_number(3), "received": [item.materials.get(name="申请书").pk]}
    refused = client.post(reverse("acceptance:case-intake"), data)
    assert refused.status_code == 200 and "授权委托书" in refused.content.decode() and not Case.objects.exists()
    data["received"].append(item.materials.get(name="授权委托书").pk)
    done = client.post(reverse("acceptance:case-intake"), data)
    case = Case.objects.get()
    assert done.status_code == 302 and done["Location"] == case.get_absolute_url()
    assert case.materials.count() == 2


@pytest.mark.spec("ACC-7.14", "ACC-7.16", "ACC-7.3")
def test_accept_on_the_page_prints_notice_pdf_whose_qr_opens_progress(client, item, clerk):
    case = _intake(item, clerk)
    client.force_login(clerk)
    response = client.post(case.get_absolute_url(), {"action": "accept"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    pdf = client.get(reverse("acceptance:case-document", args=[case.pk, "acceptance_notice"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    material_list = client.get(reverse("acceptance:case-document", args=[case.pk, "material_list"]))
    assert len(re.findall(rb"/Type\s*/Page[^s]", material_list.content)) == 2          # two copies
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.content)) == 1
    assert b"/Subtype /Image" in pdf.content                                            # the QR code
    client.logout()
    progress = client.get(progress_path(case))
    assert progress.status_code == 200 and "已受理" in progress.content.decode()
    assert case.applicant_id_number not in progress.content.decode()
    assert client.get(progress_path(case)[:-3] + "xx/").status_code == 404


def test_page_actions_refuse_bad_input_with_nothing_written(client, item, clerk):
    case = _intake(item, clerk)
    client.force_login(clerk)
    page = client.post(case.get_absolute_url(), {"action": "refuse", "reason": ""})
    assert page.status_code == 200
    page = client.post(case.get_absolute_url(), {"action": "supplement", "content": "补交", "working_days": 99})
    assert page.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING_ACCEPTANCE and not case.supplements.exists()
    client.post(case.get_absolute_url(), {"action": "supplement", "content": "补交身份证复印件", "working_days": 3})
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT_REQUIRED
    assert client.get(reverse("acceptance:supplement-list") + "?status=pending").content.decode().count(
        case.case_number) == 1


@pytest.mark.spec("ACC-0.9")
def test_citizen_applies_online_on_the_public_site_with_checklist(client, item, citizens):
    url = reverse("acceptance-public:apply", args=[item.pk])
    assert client.get(url).status_code == 302                                           # login first
    client.force_login(citizens[0])
    page = client.get(url)
    assert "申请书" in page.content.decode() and "营业执照复印件" in page.content.decode()
    required = item.materials.get(name="申请书")
    bad = client.post(url, {"applicant_name": "张三", "applicant_id_number": f.id_number(1),
                            f"file_{required.pk}": io.BytesIO(b"MZ")})
    assert bad.status_code == 200 and not Case.objects.exists()
    upload = f.upload()
    done = client.post(url, {"applicant_name": "张三", "applicant_id_number": f.id_number(1),
                             "applicant_mobile": "13900000009", f"file_{required.pk}": upload})
    case = Case.objects.get()
    assert done.status_code == 302 and case.status == CaseStatus.PENDING_PRE_REVIEW
    assert case.applicant == citizens[0] and case.channel == "pc"
    api = APIClient()
    api.force_authenticate(citizens[0])
    assert [c["case_number"] for c in api.get("/api/v1/acceptance/cases/").json()] == [case.case_number]


@pytest.mark.spec("ACC-19.6")
def test_provincial_platform_queries_cases_by_id_number_with_token(orgs, item, clerk):
    admin = f.dispatch_admin(orgs["harbin_dept"])
    _client, _route, token = f.connected_route(admin, orgs["harbin_dept"], "http://127.0.0.1:9")
    mine = _intake(item, clerk, n=1)
    _intake(item, clerk, n=2)
    api = APIClient()
    assert api.get("/api/v1/acceptance/cases/query/", {"id_number": f.id_number(1)}).status_code == 401
    rows = api.get("/api/v1/acceptance/cases/query/", {"id_number": f.id_number(1)},
                   HTTP_X_CLIENT_TOKEN=token).json()
    assert [r["case_number"] for r in rows] == [mine.case_number] and rows[0]["stage"] == "handling"


@pytest.mark.spec("ACC-11.1", "ACC-11.2")
def test_integration_centre_page_register_and_approve_shows_token_once(client, orgs):
    admin = f.dispatch_admin(orgs["harbin_dept"])
    client.force_login(admin)
    url = reverse("acceptance:client-list")
    client.post(url, {"action": "register", "name": "医保经办系统", "system_type": "department",
                      "address": "http://10.0.0.5/api"})
    created = ClientSystem.objects.get()
    page = client.post(url, {"action": "approve", "client": created.pk}, follow=True)
    assert "系统令牌" in page.content.decode()
    assert "审核通过" in client.get(url).content.decode()
    client.force_login(StaffFactory(username="idle", organisation=orgs["harbin_dept"]))
    assert client.get(url).status_code == 403


def test_intake_receipt_and_acceptance_notice_carry_the_dynamic_review_qr(client, item, clerk, orgs):
    """The receipt prints two QR codes: progress and the reviews app's signed dynamic QR of this case."""
    from apps.acceptance.documents import document_qr_codes
    from apps.acceptance.models import DocumentKind, Window
    from apps.reviews.services.intake import case_from_dynamic_qr

    case = _intake(item, clerk)
    receipt = case.documents.get(kind=DocumentKind.INTAKE_RECEIPT)
    codes = document_qr_codes(receipt, lambda path: "https://zwfw.example" + path)
    assert [caption for caption, _url in codes] == ["扫码查询办理进度", "扫码评价服务（好差评）"]
    review_url = codes[1][1]
    token = re.fullmatch(r"https://zwfw\.example/reviews/d/([^/]+)/", review_url).group(1)
    assert case_from_dynamic_qr(token) == case
    client.force_login(clerk)
    pdf = client.get(reverse("acceptance:case-document", args=[case.pk, "intake_receipt"]))
    assert pdf.status_code == 200 and pdf.content.count(b"/Subtype /Image") == 2
    material_list = case.documents.get(kind=DocumentKind.MATERIAL_LIST)
    assert len(document_qr_codes(material_list, str)) == 1                 # progress only
    hall = f.hall(orgs["harbin_dept"])
    windows = [Window.objects.create(hall=hall, window_number=str(n), name=f"综合窗口{n}") for n in (1, 2)]
    assert len({w.qr_token for w in windows}) == 2 and all(len(w.qr_token) >= 20 for w in windows)


@pytest.mark.spec("ACC-7.15", "ACC-7.18")
def test_archive_bag_is_packaged_handed_over_and_its_list_printed(client, item, clerk, orgs, citizens):
    from apps.acceptance.documents import handover_qr_payload
    from apps.acceptance.models import ArchiveBag, BagHandover

    case = _intake(item, clerk)
    case.materials.filter(name="申请书").update(medium="paper")
    client.force_login(clerk)
    url = case.get_absolute_url()
    client.post(url, {"action": "bag_handover", "to_party": "审批科"})
    assert not BagHandover.objects.exists()                                          # no bag yet: refused
    assert client.post(url, {"action": "bag_open"}).status_code == 302
    bag = ArchiveBag.objects.get(case=case)
    assert bag.holder == orgs["harbin_dept"].name and bag.bag_number == f"DA{case.case_number}"
    assert client.post(url, {"action": "bag_open"}).status_code == 302 and ArchiveBag.objects.count() == 1
    client.post(url, {"action": "bag_handover", "to_party": "审批科", "note": "纸质材料3份"})
    client.post(url, {"action": "bag_handover", "to_party": "审批科"})                  # same holder: refused
    client.post(url, {"action": "bag_handover", "to_party": "档案室"})
    assert [(h.from_party, h.to_party) for h in BagHandover.objects.all()] == [
        (orgs["harbin_dept"].name, "审批科"), ("审批科", "档案室")]
    page = client.get(url).content.decode()
    assert "档案室" in page and "纸质材料3份" in page
    pdf = client.get(reverse("acceptance:case-handover-list", args=[case.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and b"/Subtype /Image" in pdf.content
    bag.refresh_from_db()
    assert handover_qr_payload(bag, str).endswith(f"#item={item.implementation_code}")
    other = f.clerk(orgs["qiqihar"], "qiqihar_clerk")
    client.force_login(other)
    assert client.get(reverse("acceptance:case-handover-list", args=[case.pk])).status_code == 404
    client.force_login(citizens[0])
    assert client.get(reverse("acceptance:case-handover-list", args=[case.pk])).status_code == 403
