"""The licences side of matters' catalogue interface (MAT-4.1.1–4.1.3): registered at start-up, entries are
the valid templates, a request filed from the matters page waits in our queue, and the administrator's answer
reaches matters in the same transaction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import CatalogueEntryRequest
from apps.licences.services.catalogue import (
    LicenceCatalogueProvider, catalogue_request_confirm, catalogue_request_refuse, register_catalogue_provider,
)
from apps.matters.licence_catalogue import get_licence_catalogue, register_licence_catalogue
from apps.matters.models import LicenceCatalogueRequest, LicenceLink
from apps.matters.services.declaration import catalogue_item_claim, catalogue_item_declare, matter_review
from apps.matters.services.resources import licence_link_create
from apps.matters.tests.factories import (
    children, department_user, element_data, establishment_user, grant as matters_grant,
)

from .factories import grant, licence_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    """The provider as LicencesConfig.ready registers it (other apps' tests may have replaced it)."""
    before = get_licence_catalogue()
    registered = register_catalogue_provider()
    yield registered
    register_licence_catalogue(before)


@pytest.fixture
def claimed(orgs, regions):
    harbin = department_user(orgs["harbin_dept"], "cat_harbin")
    daoli = department_user(orgs["daoli_dept"], "cat_daoli")
    reviewer = establishment_user(regions["230100000000"], "cat_bianban")
    item = catalogue_item_declare(actor=harbin, department=orgs["harbin_dept"], data=element_data(),
                                  children=children())
    matter_review(actor=reviewer, item=item, approve=True, comment="同意")
    item.refresh_from_db()
    claimed = catalogue_item_claim(actor=daoli, catalogue_item=item, implementing_body=orgs["daoli_dept"])
    return {"item": claimed, "manager": matters_grant(daoli, "add_licencecataloguerequest")}


def test_app_start_up_registers_the_licences_provider():
    from django.apps import apps

    before = get_licence_catalogue()
    try:
        apps.get_app_config("licences").ready()
        assert isinstance(get_licence_catalogue(), LicenceCatalogueProvider)
    finally:
        register_licence_catalogue(before)


@pytest.mark.spec("MAT-4.1.3")
def test_request_from_matters_page_is_confirmed_here_and_the_entry_can_be_linked(provider, claimed, orgs, client):
    item, manager = claimed["item"], claimed["manager"]
    client.force_login(manager)
    response = client.post(reverse("matters:item-resources", args=[item.pk]), {
        "action": "licence-request", "name": "食品经营许可证（餐饮）", "subject_type": "legal_person",
        "template": SimpleUploadedFile("template.pdf", b"%PDF-1.7 sample", content_type="application/pdf")})
    assert response.status_code == 302
    theirs = LicenceCatalogueRequest.objects.get()
    ours = CatalogueEntryRequest.objects.get()
    assert theirs.external_id == ours.request_code and ours.status == "submitted"
    assert bytes(ours.template_file) == b"%PDF-1.7 sample" and ours.requested_by == orgs["daoli_dept"].name
    # a retried request (same idempotency key) is the same request
    assert provider.request_entry(name="x", subject_type="person", template_name="t.pdf", template=b"%PDF",
                                  requested_by="x", idempotency_key=ours.idempotency_key) == ours.request_code
    template = licence_template(orgs["province"], name="食品经营许可证（餐饮）")
    clerk = grant(StaffFactory(username="cat_clerk", organisation=orgs["province"]), "view_catalogueentryrequest")
    with pytest.raises(PermissionDenied):
        catalogue_request_confirm(actor=clerk, request=ours, template=template)
    admin = grant(StaffFactory(username="cat_admin", organisation=orgs["province"]), "answer_catalogueentryrequest")
    catalogue_request_confirm(actor=admin, request=ours, template=template)
    theirs.refresh_from_db()
    assert (theirs.status, theirs.catalogue_code) == ("confirmed", template.type_code)
    with pytest.raises(ValidationError, match="已处理"):
        catalogue_request_refuse(actor=admin, request=ours, reason="重复")
    assert provider.entry(template.type_code)["name"] == "食品经营许可证（餐饮）"
    licence_link_create(actor=manager, item=item, catalogue_code=template.type_code, target="result",
                        index_rule=["credit_code"])
    assert LicenceLink.objects.get().catalogue_name == "食品经营许可证（餐饮）"
    template.is_valid = False
    template.save(update_fields=["is_valid"])
    assert provider.entry(template.type_code) is None          # an invalid template is no catalogue entry


def test_refusal_needs_a_reason_and_reaches_matters(provider, claimed, orgs):
    from apps.matters.services.systems import licence_catalogue_request_submit

    theirs = licence_catalogue_request_submit(actor=claimed["manager"], item=claimed["item"], name="新证",
                                              subject_type="person", template_name="t.png", template=b"\x89PNG")
    ours = CatalogueEntryRequest.objects.get(request_code=theirs.external_id)
    admin = grant(StaffFactory(username="cat_admin2", organisation=orgs["province"]), "answer_catalogueentryrequest")
    with pytest.raises(ValidationError):
        catalogue_request_refuse(actor=admin, request=ours, reason=" ")
    ours.refresh_from_db()
    assert ours.status == "submitted"
    catalogue_request_refuse(actor=admin, request=ours, reason="已有同类目录")
    theirs.refresh_from_db()
    assert (theirs.status, theirs.answer) == ("refused", "已有同类目录")


def test_matters_failure_rolls_back_our_answer(provider, orgs):
    """A request matters does not know (e.g. filed by hand) cannot be confirmed: nothing is half-written."""
    ours = provider.request_entry(name="孤立申请", subject_type="person", template_name="t.pdf", template=b"%PDF",
                                  requested_by="某单位", idempotency_key="manual-1")
    request = CatalogueEntryRequest.objects.get(request_code=ours)
    admin = grant(StaffFactory(username="cat_admin3", organisation=orgs["province"]), "answer_catalogueentryrequest")
    with pytest.raises(ValidationError, match="没有证照系统申请号"):
        catalogue_request_confirm(actor=admin, request=request, template=licence_template(orgs["province"]))
    request.refresh_from_db()
    assert request.status == "submitted" and request.template is None
    with pytest.raises(ValidationError):
        provider.request_entry(name="", subject_type="alien", template_name="t", template=b"",
                               requested_by="x", idempotency_key="manual-2")
    assert CatalogueEntryRequest.objects.count() == 1
