"""Licence management: filings with their review lock (LIC-1.1), categories (LIC-1.3), templates (LIC-1.4),
mappings (LIC-1.5 data), the append-only history library and purge (LIC-1.27)."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import (
    FaceParameter, FilingStatus, Licence, LicenceCategory, LicenceFiling, LicenceStatus, LicenceTemplate,
)
from apps.licences.services import management as svc
from apps.licences.services.licences import licence_enter

from .conftest import png_bytes
from .factories import grant, licence_data, licence_template

pytestmark = pytest.mark.django_db

FILING_PERMS = ("add_licencefiling", "change_licencefiling", "delete_licencefiling", "view_licencefiling")
TEMPLATE_PERMS = ("add_licencetemplate", "change_licencetemplate", "view_licencetemplate", "add_licencecategory",
                  "change_licencecategory", "delete_licencecategory", "view_licencecategory", "add_templatemapping",
                  "delete_templatemapping", "add_licence", "view_licence")
FILING = {"name": "食品经营许可证", "licence_type": "许可证", "item_name": "食品经营许可",
          "sealing_method": "centralised", "seal_source": "provincial"}


@pytest.fixture
def clerk(orgs):
    return grant(StaffFactory(username="filer", organisation=orgs["harbin_dept"]), *FILING_PERMS)


@pytest.fixture
def reviewer(orgs):
    return grant(StaffFactory(username="filing_reviewer", organisation=orgs["harbin"]), "view_licencefiling",
                 "review_licencefiling")


@pytest.mark.spec("LIC-1.1")
def test_filing_page_edit_delete_while_draft_locked_after_submit_and_review(client, clerk, reviewer):
    client.force_login(clerk)
    image = io.BytesIO(png_bytes("底图"))
    image.name = "base.png"
    response = client.post("/portal/licences/filings/new/", {**FILING, "base_image": image})
    filing = LicenceFiling.objects.get()
    assert response.status_code == 302 and filing.status == FilingStatus.DRAFT
    assert filing.sealing_method == "centralised" and filing.seal_source == "provincial"
    download = client.get(f"/portal/licences/filings/{filing.pk}/?download=base_image")
    assert download.status_code == 200 and download.content == png_bytes("底图")
    client.post(f"/portal/licences/filings/{filing.pk}/edit/", {**FILING, "item_name": "食品经营许可（变更）",
                                                                "seal_source": "national"})
    filing.refresh_from_db()
    assert filing.item_name == "食品经营许可（变更）" and filing.seal_source == "national"
    # bad input: nothing written
    response = client.post(f"/portal/licences/filings/{filing.pk}/edit/", {**FILING, "sealing_method": "by-hand"})
    assert response.status_code == 400 and "盖章方式" in response.content.decode()
    filing.refresh_from_db()
    assert filing.sealing_method == "centralised"
    assert "食品经营许可证" in client.get("/portal/licences/filings/?name=食品").content.decode()

    client.post(f"/portal/licences/filings/{filing.pk}/", {"action": "submit"})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    response = client.post(f"/portal/licences/filings/{filing.pk}/edit/", {**FILING, "name": "改名"})
    assert response.status_code == 400 and "不能修改" in response.content.decode()
    response = client.post(f"/portal/licences/filings/{filing.pk}/", {"action": "delete"}, follow=True)
    assert "不能删除" in response.content.decode()
    filing.refresh_from_db()
    assert filing.name == "食品经营许可证"

    client.force_login(reviewer)
    client.post(f"/portal/licences/filings/{filing.pk}/", {"action": "approve"})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REVIEWED
    for attempt in (lambda: svc.filing_save(actor=clerk, filing=filing, data={**FILING, "name": "再改"}),
                    lambda: svc.filing_delete(actor=clerk, filing=filing)):
        with pytest.raises(ValidationError):
            attempt()
    assert LicenceFiling.objects.get(pk=filing.pk).name == "食品经营许可证"


def test_filing_rejected_with_reason_becomes_editable_and_draft_can_be_deleted(clerk, reviewer):
    filing = svc.filing_save(actor=clerk, data=FILING)
    svc.filing_submit(actor=clerk, filing=filing)
    with pytest.raises(ValidationError):
        svc.filing_review(actor=reviewer, filing=filing, approve=False, comment=" ")
    filing = svc.filing_review(actor=reviewer, filing=filing, approve=False, comment="事项名称不规范")
    assert filing.status == FilingStatus.REJECTED and filing.review_comment == "事项名称不规范"
    svc.filing_save(actor=clerk, filing=filing, data={**FILING, "item_name": "食品经营许可（新办）"})
    svc.filing_delete(actor=clerk, filing=filing)
    assert not LicenceFiling.objects.exists()


def test_filing_authorisation_matrix(client, clerk, citizen, orgs):
    filing = svc.filing_save(actor=clerk, data=FILING)
    url = f"/portal/licences/filings/{filing.pk}/"
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(username="nobody", organisation=orgs["harbin_dept"]))
    assert client.get(url).status_code == 403
    outsider = grant(StaffFactory(username="qq_filer", organisation=orgs["qiqihar"]), *FILING_PERMS,
                     "review_licencefiling")
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "delete"}).status_code == 404
    with pytest.raises(PermissionDenied):
        svc.filing_submit(actor=outsider, filing=filing)
    assert LicenceFiling.objects.get(pk=filing.pk).status == FilingStatus.DRAFT


@pytest.fixture
def admin(orgs):
    return grant(StaffFactory(username="tpl_admin", organisation=orgs["province"]), *TEMPLATE_PERMS)


@pytest.mark.spec("LIC-1.3")
def test_categories_add_modify_delete_query_through_the_page(client, admin, orgs):
    client.force_login(admin)
    client.post("/portal/licences/categories/", {"name": "市场监管", "category_type": "主题"})
    client.post("/portal/licences/categories/", {"name": "交通运输", "category_type": "主题"})
    response = client.post("/portal/licences/categories/", {"name": "市场监管", "category_type": "主题"}, follow=True)
    assert "分类名称已存在" in response.content.decode() and LicenceCategory.objects.count() == 2
    category = LicenceCategory.objects.get(name="交通运输")
    client.post("/portal/licences/categories/", {"pk": category.pk, "name": "交通出行", "category_type": "部门"})
    category.refresh_from_db()
    assert (category.name, category.category_type) == ("交通出行", "部门")
    page = client.get("/portal/licences/categories/?name=交通").content.decode()
    assert "交通出行" in page and "市场监管" not in page
    licence_template(orgs["province"])        # uses 市场监管
    used = LicenceCategory.objects.get(name="市场监管")
    response = client.post("/portal/licences/categories/", {"pk": used.pk, "action": "delete"}, follow=True)
    assert "不能删除" in response.content.decode() and LicenceCategory.objects.filter(pk=used.pk).exists()
    client.post("/portal/licences/categories/", {"pk": category.pk, "action": "delete"})
    assert not LicenceCategory.objects.filter(pk=category.pk).exists()


@pytest.mark.spec("LIC-1.4")
def test_template_with_theme_from_categories_aip_parameters_blank_view_and_invalid_state(client, admin, orgs):
    theme = LicenceCategory.objects.create(name="市场监管", category_type="主题")
    client.force_login(admin)
    data = {"name": "营业执照", "licence_type": "执照", "type_code": "11100000000013338W002",
            "template_category": "登记类", "subject": "企业", "holder_kind": "legal_person", "validity_years": "0"}
    response = client.post("/portal/licences/templates/new/", {**data, "category": "999999"})
    assert response.status_code == 400 and "主题分类必须从证照分类规则中选择" in response.content.decode()
    bad_aip = io.BytesIO(b"%PDF-1.4")
    bad_aip.name = "template.pdf"
    response = client.post("/portal/licences/templates/new/", {**data, "category": theme.pk, "aip_file": bad_aip})
    assert response.status_code == 400 and not LicenceTemplate.objects.exists()
    aip = io.BytesIO(b"AIP-TEMPLATE-BYTES")
    aip.name = "yyzz.aip"
    client.post("/portal/licences/templates/new/", {**data, "category": theme.pk, "aip_file": aip})
    template = LicenceTemplate.objects.get()
    url = f"/portal/licences/templates/{template.pk}/"
    assert client.get(url + "?download=aip").content == b"AIP-TEMPLATE-BYTES"
    client.post(url, {"action": "add_parameter", "key": "legal_rep", "label": "法定代表人", "kind": "text",
                      "x": "24", "y": "60"})
    client.post(url, {"action": "add_parameter", "key": "photo", "label": "照片", "kind": "image",
                      "x": "220", "y": "40", "width": "30", "height": "40"})
    response = client.post(url, {"action": "add_parameter", "key": "big", "label": "越界", "kind": "image",
                                 "x": "280", "y": "40", "width": "30", "height": "40"}, follow=True)
    assert "超出了证照页面" in response.content.decode()
    params = {p.key: p for p in FaceParameter.objects.filter(template=template)}
    assert set(params) == {"legal_rep", "photo"}
    assert (params["photo"].kind, float(params["photo"].x), float(params["photo"].width)) == ("image", 220, 30)
    blank = client.get(url + "?blank=pdf")
    assert blank.status_code == 200 and "法定代表人" in PdfReader(io.BytesIO(blank.content)).pages[0].extract_text()
    client.post(url, {"action": "set_valid", "valid": "0"})
    template.refresh_from_db()
    assert not template.is_valid and template not in svc.entry_templates()
    clerk = grant(StaffFactory(username="entry", organisation=orgs["province"]), "add_licence")
    with pytest.raises(ValidationError):
        licence_enter(actor=clerk, template=template, issuer=orgs["province"],
                      data=licence_data(1, face_data={"legal_rep": "张三"}))
    assert not Licence.objects.exists()
    client.get("/portal/licences/import/")
    assert template.name not in client.get("/portal/licences/import/").content.decode()


def test_template_pages_refused_without_permission_or_scope(client, admin, orgs, citizen):
    template = licence_template(orgs["province"])
    url = f"/portal/licences/templates/{template.pk}/"
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(grant(StaffFactory(username="qq_tpl", organisation=orgs["qiqihar"]), *TEMPLATE_PERMS))
    assert client.get(url).status_code == 404
    client.force_login(grant(StaffFactory(username="viewer", organisation=orgs["province"]), "view_licencetemplate"))
    client.post(url, {"action": "set_valid", "valid": "0"})
    template.refresh_from_db()
    assert template.is_valid


def test_mapping_makes_a_licence_shareable(admin, orgs):
    template = licence_template(orgs["province"])
    licence = licence_enter(actor=grant(StaffFactory(username="e2", organisation=orgs["harbin_dept"]), "add_licence"),
                            template=template, issuer=orgs["harbin_dept"], data=licence_data(1))
    with pytest.raises(ValidationError):
        svc.require_shareable(licence)
    with pytest.raises(ValidationError):
        svc.mapping_create(actor=admin, template=template, issuer=orgs["harbin_dept"], item_code="", item_name="x")
    mapping = svc.mapping_create(actor=admin, template=template, issuer=orgs["harbin_dept"],
                                 item_code="230100-000201001000", item_name="食品经营许可")
    svc.require_shareable(licence)
    svc.mapping_delete(actor=admin, mapping=mapping)
    assert not svc.licence_shareable(licence)


def test_history_rows_cannot_be_updated_or_deleted_outside_purge(orgs):
    template = licence_template(orgs["province"])
    clerk = grant(StaffFactory(username="e3", organisation=orgs["harbin_dept"]), "add_licence")
    licence = licence_enter(actor=clerk, template=template, issuer=orgs["harbin_dept"], data=licence_data(1))
    Licence.objects.filter(pk=licence.pk).update(status=LicenceStatus.CANCELLED)   # as licence_end leaves it
    for attempt in (lambda: Licence.objects.filter(pk=licence.pk).delete(),
                    lambda: Licence.objects.filter(pk=licence.pk).update(holder_name="篡改")):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    assert Licence.objects.get(pk=licence.pk).holder_name == licence.holder_name
