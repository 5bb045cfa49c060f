"""File generation service (LIC-9.11) with template layouts (LIC-9.7): data + layout → sealed OFD and PDF
for a connected business system; OFD → PDF conversion."""

import base64

import pytest
from django.core.exceptions import ValidationError

from apps.licences.models import SigningLog, SigningTemplate
from apps.licences.ofd.package import OFDPackage
from apps.licences.services.autosign import signing_rule_save, signing_template_save
from apps.licences.services.grants import business_system_connect
from apps.licences.services.signing import document_verify

from .test_auto_signing import configured  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/licences/generate/"
LAYOUT = {"width_mm": 210, "height_mm": 297, "title": "行政许可决定书",
          "fields": [{"key": "applicant", "label": "申请人", "x": 25, "y": 50, "size": 5},
                     {"key": "item", "label": "许可事项", "x": 25, "y": 62, "size": 5},
                     {"key": "note", "label": "备注", "x": 25, "y": 74, "required": False}]}


@pytest.fixture
def composing(configured):  # noqa: F811
    admin = configured["admin"]
    template = signing_template_save(actor=admin, code="xkjds-layout", name="许可决定书（合成）",
                                     organisation=configured["seal"].organisation, positions={"落款": [0, 140, 220]},
                                     layout=LAYOUT)
    signing_rule_save(actor=admin, system=configured["system"], business_code="decision", template=template,
                      position="落款", seal=configured["seal"], certificate=configured["seal"].certificates.first(),
                      signer=configured["robot"])
    business_system_connect(actor=admin, system=configured["system"], connected=True)
    return configured


@pytest.mark.spec("LIC-9.11", "LIC-9.7")
def test_business_system_composes_a_sealed_ofd_and_pdf(client, composing):
    h = {"HTTP_X_BUSINESS_TOKEN": composing["token"]}
    body = {"business": "decision", "format": "both",
            "data": {"applicant": "哈尔滨冰城餐饮有限公司", "item": "食品经营许可（新办）"}}
    response = client.post(URL, body, content_type="application/json", **h)
    assert response.status_code == 200, response.content
    ofd = base64.b64decode(response.json()["ofd"])
    assert document_verify(data=ofd).verdict == "valid"
    content = b"".join(v for k, v in OFDPackage(ofd).entries.items() if k.endswith("Content.xml")).decode()
    assert "哈尔滨冰城餐饮有限公司" in content and "行政许可决定书" in content
    assert base64.b64decode(response.json()["pdf"])[:5] == b"%PDF-"
    log = SigningLog.objects.get()
    assert log.client == "scjg-xk" and log.request_message["mode"] == "generate"
    # missing required field / no token / unknown business: refused, nothing logged
    missing = client.post(URL, {**body, "data": {"applicant": "某公司"}}, content_type="application/json", **h)
    assert missing.status_code == 400 and "许可事项" in missing.json()["detail"]
    assert client.post(URL, body, content_type="application/json").status_code == 403
    assert client.post(URL, {**body, "business": "nope"}, content_type="application/json", **h).status_code == 403
    assert SigningLog.objects.count() == 1
    # conversion OFD → PDF
    converted = client.post("/api/v1/licences/convert/", {"document": base64.b64encode(ofd).decode()},
                            content_type="application/json", **h)
    assert base64.b64decode(converted.json()["pdf"])[:5] == b"%PDF-"
    bad = client.post("/api/v1/licences/convert/", {"document": base64.b64encode(b"PK-no").decode()},
                      content_type="application/json", **h)
    assert bad.status_code == 400


@pytest.mark.spec("LIC-9.7")
def test_template_layout_is_checked(composing):  # noqa: F811
    admin = composing["admin"]
    for layout in ({"fields": []}, {"fields": [{"key": "a", "x": 500, "y": 10}]}, {"fields": [{"x": 1}]}):
        with pytest.raises(ValidationError):
            signing_template_save(actor=admin, code="bad", name="坏模板", organisation=composing["seal"].organisation,
                                  positions={"p": [0, 1, 1]}, layout=layout)
    assert not SigningTemplate.objects.filter(code="bad").exists()
