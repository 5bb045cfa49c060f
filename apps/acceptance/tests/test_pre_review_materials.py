"""Pre-review support for window staff: case classification markers (ACC-6.5), the applying unit's
internal review opinion (ACC-6.6), and previewing / downloading submitted materials (ACC-6.7)."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.acceptance.models import Case, CaseClassification
from apps.acceptance.services import onewindow as ow
from apps.acceptance.services.cases import case_classify
from apps.acceptance.tests import factories as f
from apps.core.workflow import history_for
from apps.identity.models import UserKind
from apps.identity.tests.factories import StaffFactory, UserFactory


@pytest.fixture
def item(orgs):
    item, _situation = f.with_materials(f.matter(orgs["harbin_dept"]))
    return item


@pytest.fixture
def clerk(orgs):
    return f.clerk(orgs["harbin_dept"])


@pytest.fixture
def applicant(db):
    return UserFactory(username="applicant_1", kind=UserKind.NATURAL_PERSON)


def _apply(item, applicant, upload=None, **extra):
    required = item.materials.get(name="申请书")
    return ow.case_apply_online(item=item, actor=applicant, applicant_name="张三", applicant_id_number=f.id_number(1),
                                applicant_mobile="13900000001", files={str(required.pk): upload or f.upload()},
                                **extra)


def docx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.spec("ACC-6.5")
def test_cases_carry_a_classification_marker_staff_can_filter_and_change(client, item, clerk, applicant, orgs):
    online = _apply(item, applicant)
    assert online.classification == CaseClassification.ONLINE_PRE_APPLICATION
    window = ow.case_window_intake(item=item, actor=clerk, applicant_name="李四", applicant_id_number=f.id_number(2),
                                   received={m.pk for m in item.materials.all()})
    assert window.classification == CaseClassification.LICENSING          # matter type 01: 行政许可
    service_item = f.matter(orgs["harbin_dept"], "社保卡补办")
    service_item.matter_type = "20"
    service_item.save(update_fields=["matter_type"])
    public = ow.case_window_intake(item=service_item, actor=clerk, applicant_name="王五",
                                   applicant_id_number=f.id_number(3))
    assert public.classification == CaseClassification.PUBLIC_SERVICE

    client.force_login(clerk)
    page = client.get(window.get_absolute_url()).content.decode()
    assert 'data-testid="case-classification">行政许可事项<' in page
    listing = client.get(reverse("acceptance:case-list"), {"classification": "online_pre_application"})
    assert online.case_number in listing.content.decode() and window.case_number not in listing.content.decode()
    assert "网上预申办" in listing.content.decode()

    # staff mark a case for fast material approval: recorded in its history and audited
    assert client.post(window.get_absolute_url(), {"action": "classify",
                                                   "classification": "fast_material"}).status_code == 302
    window.refresh_from_db()
    assert window.classification == CaseClassification.FAST_MATERIAL
    assert any(t.action == "classify" and "材料快速审批" in t.comment for t in history_for(window))
    # refused: an unknown classification; a user without the handling permission; nothing changes
    with pytest.raises(Exception):
        case_classify(case=window, classification="secret", actor=clerk)
    other = StaffFactory(username="viewer", organisation=orgs["qiqihar"])
    with pytest.raises(Exception):
        case_classify(case=window, classification="public_service", actor=other)
    assert Case.objects.get(pk=window.pk).classification == CaseClassification.FAST_MATERIAL


@pytest.mark.spec("ACC-6.6")
def test_pre_reviewer_sees_the_units_internal_review_opinion(client, item, clerk, orgs):
    unit = UserFactory(username="unit_user", kind=UserKind.LEGAL_PERSON)
    client.force_login(unit)
    required = item.materials.get(name="申请书")
    response = client.post(reverse("acceptance-public:apply", args=[item.pk]), {
        "applicant_name": "哈尔滨某食品有限公司", "applicant_id_number": f.id_number(5),
        "applicant_mobile": "13900000005", "internal_review_opinion": "经本单位法务部审核，材料真实有效。",
        f"file_{required.pk}": f.upload()})
    assert response.status_code == 302, response.content.decode()[:500]
    case = Case.objects.get()
    assert case.internal_review_opinion == "经本单位法务部审核，材料真实有效。"
    client.force_login(clerk)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "单位内审意见" in page and "经本单位法务部审核，材料真实有效。" in page
    # the opinion is shown beside the pre-review form the clerk then uses
    assert 'data-testid="pre-review"' in page
    client.force_login(StaffFactory(username="qq", organisation=orgs["qiqihar"]))
    assert client.get(case.get_absolute_url()).status_code in (403, 404)


@pytest.mark.spec("ACC-6.7")
def test_materials_preview_in_the_browser_and_download(client, item, clerk, applicant, orgs):
    case = _apply(item, applicant, upload=SimpleUploadedFile("申请书.docx", docx(["食品经营许可申请书", "申请人：张三"])))
    optional = item.materials.get(name="营业执照复印件")
    sheet = SimpleUploadedFile("营业执照.xlsx", xlsx([["统一社会信用代码", "名称"], ["91230100MA1234567X", "某公司"]]))
    ow.supplement_request(case=case, actor=clerk, content="补交营业执照", working_days=3)
    case.materials.create(definition=optional, name=optional.name, file=sheet)
    pdf = case.materials.create(name="身份证明", file=SimpleUploadedFile("id.pdf", b"%PDF-1.4 x"))
    text = case.materials.create(name="说明", file=SimpleUploadedFile("note.txt", "情况说明".encode()))
    legacy = case.materials.create(name="旧版文档", file=SimpleUploadedFile("old.doc", b"\xd0\xcf\x11\xe0"))
    word = case.materials.get(name="申请书")
    excel = case.materials.get(name=optional.name)

    def url(material, mode="preview"):
        return reverse("acceptance:case-material", args=[case.pk, material.pk, mode])

    assert client.get(url(word)).status_code == 302                     # anonymous → login
    client.force_login(applicant)
    assert client.get(url(word)).status_code == 403                      # a citizen is not staff
    client.force_login(f.clerk(orgs["qiqihar"], "qiqihar_clerk"))
    assert client.get(url(word)).status_code == 404                      # another region's staff
    client.force_login(clerk)
    page = client.get(url(word)).content.decode()
    assert "食品经营许可申请书" in page and "申请人：张三" in page
    page = client.get(url(excel)).content.decode()
    assert "91230100MA1234567X" in page and "<table" in page
    inline = client.get(url(pdf))
    assert inline["Content-Type"] == "application/pdf" and inline["Content-Disposition"].startswith("inline")
    assert b"".join(inline.streaming_content) == b"%PDF-1.4 x"
    assert client.get(url(text))["Content-Type"] == "text/plain; charset=utf-8"
    assert "不支持在线预览" in client.get(url(legacy)).content.decode()
    download = client.get(url(word, "download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"PK")
    detail = client.get(case.get_absolute_url()).content.decode()
    assert url(word) in detail and url(word, "download") in detail
