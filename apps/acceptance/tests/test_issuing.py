"""Result sign-for, licence filing, issuance list and delivery tracking as window staff meet them
(ACC-10.2, 10.6, 10.7; licence hand-over through matters' licence_result_file, decision 0404)."""
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from PIL import Image

from apps.acceptance.models import (
    Case, CaseDelivery, DeliveryEvent, IssuanceStatus, IssuingAccount, ResultReceipt,
)
from apps.acceptance.services.issuance import case_issue
from apps.acceptance.tests import factories as f
from apps.core.models import AuditLog
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _png(name="结果.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def licence_item(orgs):
    """An item of the Harbin department whose approval result is linked to the e-licence catalogue."""
    from apps.licences.tests import factories as lf
    from apps.matters.models import LicenceLink

    item = f.matter(orgs["harbin_dept"])
    template = lf.licence_template(orgs["province"])
    LicenceLink.objects.create(implementation_item=item, target="result", catalogue_code=template.type_code,
                               catalogue_name=template.name, index_rule=["id_number"], department=orgs["harbin_dept"])
    return item


@pytest.fixture
def clerk(orgs):
    return f.clerk(orgs["harbin_dept"])


def _service_account(organisation, username="svc-licence-harbin", *, permitted=True):
    from apps.licences.tests import factories as lf

    account = StaffFactory(username=username, organisation=organisation)
    if permitted:
        lf.grant(account, "add_licence")
    return IssuingAccount.objects.create(organisation=organisation, account=account)


def test_licence_result_is_filed_by_staff_with_permission_else_the_departments_service_account(
        orgs, licence_item, clerk):
    from apps.licences.models import Licence
    from apps.licences.tests import factories as lf

    case = f.concluded_case(licence_item, clerk)
    # neither the clerk nor a service account may file: refused, nothing written anywhere
    with pytest.raises(PermissionDenied, match="证照归集账号"):
        case_issue(case=case, actor=clerk, method="pickup", recipient="张三1")
    case.refresh_from_db()
    assert case.issuance_status == IssuanceStatus.PENDING
    assert not Licence.objects.exists() and not CaseDelivery.objects.exists()
    # an account without the licences permission, or an inactive one, does not count
    setup = _service_account(orgs["harbin_dept"], permitted=False)
    with pytest.raises(PermissionDenied):
        case_issue(case=case, actor=clerk, method="pickup", recipient="张三1")
    setup.delete()
    setup = _service_account(orgs["harbin_dept"], "svc-licence-harbin-2")
    setup.is_active = False
    setup.save()
    with pytest.raises(PermissionDenied):
        case_issue(case=case, actor=clerk, method="pickup", recipient="张三1")
    assert not Licence.objects.exists() and not CaseDelivery.objects.exists()
    # the issuing department's active account files the draft, the clerk issues
    setup.is_active = True
    setup.save()
    delivery = case_issue(case=case, actor=clerk, method="pickup", recipient="张三1")
    licence = Licence.objects.get()
    assert (licence.status, licence.created_by, licence.issuer, licence.licence_number, licence.holder_code) == (
        "draft", setup.account, orgs["harbin_dept"], case.case_number, case.applicant_id_number)
    assert delivery.licence_code == licence.licence_code
    assert AuditLog.objects.filter(actor=clerk, detail__contains="svc-licence-harbin-2").exists()
    # a clerk who holds licences.add_licence files under their own name
    second = f.concluded_case(licence_item, clerk, n=2)
    lf.grant(clerk, "add_licence")
    clerk = type(clerk).objects.get(pk=clerk.pk)
    case_issue(case=second, actor=clerk, method="pickup", recipient="张三2")
    assert Licence.objects.get(licence_number=second.case_number).created_by == clerk


@pytest.mark.spec("ACC-10.2")
def test_result_sign_for_on_the_case_page_checks_photographs_and_files_the_licence(
        client, orgs, licence_item, clerk, citizens):
    from apps.licences.models import Licence

    _service_account(orgs["harbin_dept"])
    case = f.concluded_case(licence_item, clerk)
    url = case.get_absolute_url()
    good = {"action": "sign_for", "result_type": "licence", "copies": 1, "checked": "on", "check_note": "与决定一致"}
    # authorisation: anonymous, citizen, other region, no permission
    assert client.post(url, {**good, "photo": _png()}).status_code == 302 and not ResultReceipt.objects.exists()
    client.force_login(citizens[0])
    assert client.post(url, {**good, "photo": _png()}).status_code == 403
    client.force_login(f.clerk(orgs["qiqihar"], "qq_clerk"))
    assert client.post(url, {**good, "photo": _png()}).status_code == 404
    client.force_login(f.grant(StaffFactory(username="viewer", organisation=orgs["harbin_dept"]), "view_case"))
    assert "没有办理该办件的权限" in client.post(url, {**good, "photo": _png()}, follow=True).content.decode()
    assert not ResultReceipt.objects.exists()
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert 'data-testid="sign-for"' in page
    # bad input: not checked, a PDF as photo, a forbidden file type — refused, nothing written
    for bad, message in (({**good, "checked": ""}, "请先核对"),
                         ({**good}, "JPG 或 PNG"), ({**good}, "不允许上传")):
        photo = {"请先核对": _png(), "JPG 或 PNG": f.upload("结果.pdf"),
                 "不允许上传": f.upload("结果.exe", b"MZ")}[message]
        response = client.post(url, {**bad, "photo": photo}, follow=True)
        assert message in response.content.decode()
    assert not ResultReceipt.objects.exists() and not Licence.objects.exists()
    response = client.post(url, {**good, "photo": _png()}, follow=True)
    receipt = ResultReceipt.objects.get(case=case)
    licence = Licence.objects.get()
    assert receipt.signed_by == clerk and receipt.checked and receipt.photo.name.endswith(".png")
    assert receipt.licence_codes == licence.licence_code
    assert 'data-testid="receipt"' in response.content.decode() and licence.licence_code in response.content.decode()
    # signing twice is refused; issuing afterwards reuses the filed licence (no second draft)
    response = client.post(url, {**good, "photo": _png()}, follow=True)
    assert "签收" in response.content.decode() and ResultReceipt.objects.count() == 1
    assert client.post(url, {"action": "issue", "method": "pickup", "recipient": "张三1"}).status_code == 302
    assert Licence.objects.count() == 1
    assert CaseDelivery.objects.get(case=case).licence_code == licence.licence_code


@pytest.mark.spec("ACC-10.6", "ACC-10.7")
def test_issuance_list_and_delivery_tracking_as_issuance_staff_meet_them(
        client, orgs, clerk, django_assert_max_num_queries):
    item, _s = f.with_materials(f.matter(orgs["harbin_dept"]))
    express = f.concluded_case(item, clerk, n=1)
    pickup = f.concluded_case(item, clerk, n=2)
    waiting = f.concluded_case(item, clerk, n=3)
    other = f.concluded_case(f.matter(orgs["qiqihar"]), f.clerk(orgs["qiqihar"], "qq_clerk"), n=4)
    client.force_login(clerk)
    assert client.post(express.get_absolute_url(), {"action": "issue", "method": "express", "recipient": "张三1",
                                                    "address": "哈尔滨市道里区1号",
                                                    "waybill_number": "SF100"}).status_code == 302
    assert client.post(pickup.get_absolute_url(), {"action": "issue", "method": "pickup",
                                                   "recipient": "张三2"}).status_code == 302
    url = express.get_absolute_url()
    for kind, place in (("shipped", "哈尔滨政务服务中心"), ("in_transit", "哈尔滨转运中心"), ("delivered", "道里区")):
        assert client.post(url, {"action": "track", "kind": kind, "location": place}).status_code == 302
    # after delivery no further movement; a note without text is refused — nothing written
    assert "不能再登记流转" in client.post(url, {"action": "track", "kind": "returned"}, follow=True).content.decode()
    assert "须填写说明" in client.post(url, {"action": "track", "kind": "note"}, follow=True).content.decode()
    assert client.post(url, {"action": "track", "kind": "note", "note": "回访确认收到"}).status_code == 302
    events = list(DeliveryEvent.objects.filter(delivery__case=express).values_list("kind", flat=True))
    assert events == ["shipped", "in_transit", "delivered", "note"]
    assert list(DeliveryEvent.objects.filter(delivery__case=pickup).values_list("kind", flat=True)) == ["handed_over"]
    detail = client.get(url).content.decode()
    assert "哈尔滨转运中心" in detail and "回访确认收到" in detail
    # the issuance list: everything awaiting or past issuance in scope, filters, last movement, Excel
    list_url = reverse("acceptance:issuance-list")
    with django_assert_max_num_queries(14):
        page = client.get(list_url).content.decode()
    assert all(c.case_number in page for c in (express, pickup, waiting)) and other.case_number not in page
    assert "已签收" in page and "当面交付" in page
    page = client.get(list_url + "?waybill=SF1").content.decode()
    assert express.case_number in page and pickup.case_number not in page
    page = client.get(list_url + "?issuance_status=pending").content.decode()
    assert waiting.case_number in page and express.case_number not in page
    assert client.get(list_url + "?export=xlsx").status_code == 200
    client.force_login(f.clerk(orgs["qiqihar"], "qq_clerk2"))
    page = client.get(list_url).content.decode()
    assert other.case_number in page and express.case_number not in page
    assert client.post(url, {"action": "track", "kind": "note", "note": "x"}).status_code == 404
    assert DeliveryEvent.objects.filter(delivery__case=express).count() == 4
    assert Case.objects.get(pk=express.pk).issuance_status == IssuanceStatus.ISSUED


@pytest.mark.spec("ACC-16.7")
def test_material_management_lists_uploaded_files_in_scope_with_query_and_actions(
        client, orgs, clerk, citizens, django_assert_max_num_queries):
    from apps.acceptance.services import onewindow as ow
    from apps.identity.models import UserKind
    from apps.identity.tests.factories import UserFactory

    item, _s = f.with_materials(f.matter(orgs["harbin_dept"]))
    required = item.materials.get(name="申请书")
    applicant = UserFactory(username="applicant_m", kind=UserKind.NATURAL_PERSON)
    cases = [ow.case_apply_online(item=item, actor=applicant, applicant_name="张三", applicant_id_number=f.id_number(n),
                                  files={str(required.pk): f.upload(f"申请书{n}.pdf")}) for n in range(1, 6)]
    paper = ow.case_window_intake(item=item, actor=clerk, applicant_name="王五", applicant_id_number=f.id_number(9),
                                  received={required.pk})                     # paper only: no file, not listed
    qq_item, _s = f.with_materials(f.matter(orgs["qiqihar"]))
    other = ow.case_apply_online(item=qq_item, actor=applicant, applicant_name="赵六", applicant_id_number=f.id_number(8),
                                 files={str(qq_item.materials.get(name="申请书").pk): f.upload("外市申请书.pdf")})
    url = reverse("acceptance:material-file-list")
    assert client.get(url).status_code == 302
    client.force_login(citizens[0])
    assert client.get(url).status_code == 403
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    first = cases[0].materials.get()
    assert first.material_number in page and "申请书1" in page and "外市申请书" not in page
    assert paper.case_number not in page
    assert reverse("acceptance:case-material", args=[cases[0].pk, first.pk, "download"]) in page
    page = client.get(url + f"?code={first.material_number}").content.decode()
    assert first.material_number in page and cases[1].case_number not in page
    page = client.get(url + f"?code={cases[2].case_number}&name=申请").content.decode()
    assert cases[2].case_number in page and cases[0].case_number not in page
    assert client.get(url + "?export=xlsx").status_code == 200
    client.force_login(f.clerk(orgs["qiqihar"], "qq_clerk"))
    page = client.get(url).content.decode()
    assert other.case_number in page and cases[0].case_number not in page
