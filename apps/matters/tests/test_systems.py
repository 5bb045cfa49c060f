"""Licence catalogue requests (MAT-4.1.3), proof annotations (4.1.4), business systems (4.2.1, 4.2.2)
and the e-licence summary analysis (4.3)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import (
    BusinessSystem, LicenceCatalogueRequest, LicenceLink, MatterNotification, ProofAnnotation, SystemLink,
)
from apps.matters.services.declaration import catalogue_item_claim
from apps.matters.services.resources import data_demand_submit, licence_link_create
from apps.matters.services.systems import (
    business_system_register, licence_catalogue_request_submit, licence_entry_confirmed, licence_summary,
    proof_annotate, proof_statistics, system_link_create,
)
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(published_item, people, orgs):
    return catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])


@pytest.mark.spec("MAT-4.1.3")
def test_licence_catalogue_request_round_trip_then_link(licence_system, claimed, people, client):
    from apps.licences.models import CatalogueEntryRequest

    manager = grant(people["daoli"], "add_licencecataloguerequest")
    with pytest.raises(ValidationError) as refused:
        licence_catalogue_request_submit(actor=manager, item=claimed, name="", subject_type="x",
                                         template_name="a.exe", template=b"MZ")
    assert set(refused.value.message_dict) == {"name", "subject_type", "template"}
    with pytest.raises(PermissionDenied):
        licence_catalogue_request_submit(actor=people["qiqihar"], item=claimed, name="n", subject_type="legal_person",
                                         template_name="t.pdf", template=b"%PDF")
    assert LicenceCatalogueRequest.objects.count() == 0 and not CatalogueEntryRequest.objects.exists()
    client.force_login(manager)
    response = client.post(reverse("matters:item-resources", args=[claimed.pk]), {
        "action": "licence-request", "name": "食品经营许可证（餐饮）", "subject_type": "legal_person",
        "template": SimpleUploadedFile("template.pdf", b"%PDF-1.7 sample", content_type="application/pdf")})
    assert response.status_code == 302
    request = LicenceCatalogueRequest.objects.get()
    theirs = CatalogueEntryRequest.objects.get()
    assert request.external_id == theirs.request_code and request.status == "submitted"
    assert theirs.subject_type == "legal_person" and bytes(theirs.template_file) == b"%PDF-1.7 sample"
    licence_system.confirm(theirs.request_code, "11230000MB0099", "食品经营许可证（餐饮）")
    request.refresh_from_db()
    assert (request.status, request.catalogue_code) == ("confirmed", "11230000MB0099")
    notice = MatterNotification.objects.get(kind="licence")
    assert notice.recipient == claimed.implementing_body and "11230000MB0099" in notice.title
    licence_entry_confirmed(external_id=theirs.request_code, catalogue_code="OTHER")       # repeated callback: no change
    request.refresh_from_db()
    assert request.catalogue_code == "11230000MB0099"
    licence_link_create(actor=manager, item=claimed, catalogue_code="11230000MB0099", target="result",
                        index_rule=["credit_code"])
    assert LicenceLink.objects.get().catalogue_name == "食品经营许可证（餐饮）"
    page = client.get(reverse("matters:item-resources", args=[claimed.pk])).content.decode()
    assert 'data-request="食品经营许可证（餐饮）"' in page and "已确认" in page


def test_licence_request_without_interface_writes_nothing(claimed, people, no_licence_interface):
    manager = grant(people["daoli"], "add_licencecataloguerequest")
    with pytest.raises(ValidationError, match="接口尚未接入"):
        licence_catalogue_request_submit(actor=manager, item=claimed, name="n", subject_type="person",
                                         template_name="t.pdf", template=b"%PDF")
    assert LicenceCatalogueRequest.objects.count() == 0


@pytest.mark.spec("MAT-4.1.4")
def test_proof_annotation_and_statistics_by_source_and_use(claimed, people, regions):
    police = OrganisationFactory(name="哈尔滨市公安局", region=regions["230100000000"])
    material = claimed.materials.first()
    with pytest.raises(ValidationError, match="开具部门和申请地址"):
        proof_annotate(actor=people["daoli"], material=material, issuing_department=police, apply_address=" ")
    with pytest.raises(PermissionDenied):
        proof_annotate(actor=people["qiqihar"], material=material, issuing_department=police, apply_address="x")
    assert not ProofAnnotation.objects.exists()
    proof_annotate(actor=people["daoli"], material=material, issuing_department=police,
                   apply_address="哈尔滨市公安局户政窗口", apply_conditions="本人持身份证", use="shared")
    material.refresh_from_db()
    assert material.is_proof
    stats = proof_statistics(user=people["daoli"])
    assert stats["by_source"] == [{"issuing_department__name": "哈尔滨市公安局", "n": 1}]
    assert stats["by_use"] == [{"use": "数据共享替代", "n": 1}]
    assert proof_statistics(user=people["qiqihar"]) == {"by_source": [], "by_use": []}


@pytest.mark.spec("MAT-4.2", "MAT-4.2.1", "MAT-4.2.2")
def test_register_systems_and_link_several_to_an_item(claimed, people, orgs, client):
    admin = grant(people["daoli"], "add_businesssystem")
    with pytest.raises(ValidationError):
        business_system_register(actor=admin, name="食品许可审批系统", department=orgs["daoli_dept"],
                                 build_level="galaxy", network="internet", integration_method="api")
    with pytest.raises(ValidationError, match="本部门"):
        business_system_register(actor=admin, name="x", department=people["qiqihar"].organisation,
                                 build_level="province", network="internet", integration_method="api")
    assert BusinessSystem.objects.count() == 0
    client.force_login(admin)
    client.post(reverse("matters:resources"), {"name": "食品许可审批系统", "department": orgs["daoli_dept"].pk,
                                              "build_level": "province", "network": "extranet",
                                              "integration_method": "api"})
    approval = BusinessSystem.objects.get()
    assert approval.get_network_display() == "电子政务外网"
    payment = business_system_register(actor=admin, name="非税支付系统", department=orgs["daoli_dept"],
                                       build_level="province", network="internet", integration_method="database")
    client.post(reverse("matters:item-resources", args=[claimed.pk]), {
        "action": "link", "system": approval.pk, "exchange_content": "申请表单及审批结果",
        "interface_method": "REST", "direction": "both", "auto_integrated": "1"})
    system_link_create(actor=people["daoli"], item=claimed, system=payment, exchange_content="缴费信息",
                       interface_method="前置库", direction="from_system")
    with pytest.raises(ValidationError):
        system_link_create(actor=people["daoli"], item=claimed, system=payment, exchange_content="缴费信息",
                           interface_method="前置库", direction="from_system")
    with pytest.raises(PermissionDenied):
        system_link_create(actor=people["qiqihar"], item=claimed, system=payment, exchange_content="x",
                           interface_method="y", direction="both")
    assert [(link.system.name, link.auto_integrated) for link in SystemLink.objects.order_by("pk")] == [
        ("食品许可审批系统", True), ("非税支付系统", False)]
    page = client.get(reverse("matters:item-resources", args=[claimed.pk])).content.decode()
    assert 'data-link="非税支付系统"' in page
    client.force_login(StaffFactory(username="viewer_without_perm"))
    assert client.get(reverse("matters:resources")).status_code == 403


@pytest.mark.spec("MAT-4.3")
def test_seven_summary_statistics(claimed, people, orgs, regions, published_item, licence_system):
    other = catalogue_item_claim(actor=people["harbin"], catalogue_item=published_item,
                                 implementing_body=orgs["harbin_dept"])
    licence_system.add_entry("C1", "食品经营许可证")
    for user, item in ((people["daoli"], claimed), (people["harbin"], other)):
        item.result_name = "食品经营许可证"
        item.save(update_fields=["result_name"])
        licence_link_create(actor=user, item=item, catalogue_code="C1", target="result",
                            index_rule=["credit_code"], confirm=True)
    material = claimed.materials.first()
    licence_link_create(actor=people["daoli"], item=claimed, catalogue_code="C1", target="material",
                        material=material, index_rule=["credit_code"], confirm=True)
    police = OrganisationFactory(name="省公安厅", region=regions["230000000000"])
    proof_annotate(actor=people["daoli"], material=claimed.materials.last(), issuing_department=police,
                   apply_address="窗口")
    system = business_system_register(actor=grant(people["daoli"], "add_businesssystem"), name="审批系统",
                                      department=orgs["daoli_dept"], build_level="city", network="internet",
                                      integration_method="api")
    system_link_create(actor=people["daoli"], item=claimed, system=system, exchange_content="结果",
                       interface_method="REST", direction="both", auto_integrated=True)
    data_demand_submit(actor=grant(people["daoli"], "add_datademand"), item=claimed, source=police, content="户籍")
    bureau = StaffFactory(username="province_bureau", organisation=OrganisationFactory(
        name="省营商局", region=regions["230000000000"], kind="business_environment_bureau"))
    with CaptureQueriesContext(connection) as queries:
        summary = licence_summary(user=bureau)
    assert len(queries) <= 8
    rows = {r["department"]: r for r in summary["departments"]}
    assert rows[orgs["daoli_dept"].name] == {"department": orgs["daoli_dept"].name, "items": 1, "results": 1,
                                             "results_linked": 1, "materials": 2, "materials_linked": 1, "proofs": 1,
                                             "system_items": 1, "auto_items": 1}
    assert summary["results_linked_repeatedly"] == [{"catalogue_code": "C1", "catalogue_name": "食品经营许可证", "n": 2}]
    assert summary["data_responsibilities"] == [{"source__name": "省公安厅", "status": "unconfirmed", "n": 1}]
    assert [r["department"] for r in licence_summary(user=people["daoli"])["departments"]] == [orgs["daoli_dept"].name]
