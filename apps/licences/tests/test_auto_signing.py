"""Server-side automatic signing by rules (acceptance checks 20, 21): connected business systems only
(LIC-9.1), rules binding a business to a seal and a template position (LIC-9.7, 9.8), batch signing
through the API (LIC-9.12) with a signing log per file (LIC-9.10)."""

import base64
import io

import pytest
from django.core.exceptions import ValidationError

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import SigningLog
from apps.licences.ofd.package import OFDPackage
from apps.licences.ofd.verify import verify_ofd
from apps.licences.services.autosign import signing_rule_save, signing_template_save
from apps.licences.services.grants import business_system_connect, business_system_register, seal_grant

from .factories import demo_pki, grant, seal_admin, valid_seal
from .test_ofd_write_sign import licence_face

pytestmark = pytest.mark.django_db

URL = "/api/v1/licences/auto-sign/"
CONFIG_PERMS = ("add_businesssystem", "change_businesssystem", "add_signingtemplate", "add_signingrule",
                "add_sealgrant")


@pytest.fixture
def configured(orgs):
    admin = grant(seal_admin(orgs["province"]), *CONFIG_PERMS)
    pki = demo_pki(admin, orgs["province"])
    dept = orgs["harbin_dept"]
    seal = valid_seal(admin, dept, pki, "哈尔滨市市场监督管理局业务专用章")
    robot = grant(StaffFactory(username="auto_signer", organisation=dept), "use_seal")
    seal_grant(actor=admin, seal=seal, user=robot)
    system, token = business_system_register(actor=admin, code="scjg-xk", name="市场监管许可系统", organisation=dept)
    template = signing_template_save(actor=admin, code="xkjds", name="许可决定书", organisation=dept,
                                     positions={"落款": [0, 200, 140]})
    signing_rule_save(actor=admin, system=system, business_code="food-licence", template=template, position="落款",
                      seal=seal, certificate=pki["signer"], signer=robot)
    return {"admin": admin, "system": system, "token": token, "seal": seal, "robot": robot}


def post(client, token, files, business="food-licence"):
    uploads = []
    for i, data in enumerate(files):
        f = io.BytesIO(data)
        f.name = f"doc{i}.ofd"
        uploads.append(f)
    return client.post(URL, {"business": business, "documents": uploads}, HTTP_X_BUSINESS_TOKEN=token)


@pytest.mark.spec("LIC-9.1", "LIC-9.8", "LIC-9.12")
def test_connected_system_batch_signs_with_the_rule_seal_at_the_template_position(client, configured):
    token = configured["token"]
    response = post(client, token, [licence_face(), licence_face()])
    assert response.status_code == 403 and "尚未接入" in response.json()["detail"]
    assert not SigningLog.objects.exists()
    business_system_connect(actor=configured["admin"], system=configured["system"], connected=True)
    assert post(client, "not-a-token", [licence_face()]).status_code == 403
    assert post(client, token, [licence_face()], business="unknown").status_code == 403
    response = post(client, token, [licence_face(), licence_face()])
    assert response.status_code == 200
    docs = [base64.b64decode(d["content"]) for d in response.json()["documents"]]
    for data in docs:
        report = verify_ofd(data)
        assert report.verdict == "valid" and report.signatures[0].seal_name == configured["seal"].name
        package = OFDPackage(data)
        signature_xml = next(v for k, v in package.entries.items() if k.endswith("Signature.xml")).decode()
        assert 'Boundary="200 140 ' in signature_xml
    logs = list(SigningLog.objects.order_by("pk"))
    assert len(logs) == 2 and {log.client for log in logs} == {"scjg-xk"}
    assert logs[0].sealer == configured["robot"] and logs[0].ip_address == "127.0.0.1"
    assert logs[0].request_message["business"] == "food-licence" and logs[0].request_message["position"] == "落款"
    response = post(client, token, [licence_face(), b"not an ofd"])     # one bad file: nothing signed
    assert response.status_code == 400 and SigningLog.objects.count() == 2
    business_system_connect(actor=configured["admin"], system=configured["system"], connected=False)
    assert post(client, token, [licence_face()]).status_code == 403


def test_rule_and_template_refuse_bad_input(configured, orgs):
    admin = configured["admin"]
    with pytest.raises(ValidationError):
        signing_template_save(actor=admin, code="bad", name="坏模板", organisation=orgs["harbin_dept"],
                              positions={"落款": [0, -1]})
    template = signing_template_save(actor=admin, code="t2", name="模板二", organisation=orgs["harbin_dept"],
                                     positions={"右下": [0, 150, 150]})
    with pytest.raises(ValidationError):
        signing_rule_save(actor=admin, system=configured["system"], business_code="x", template=template,
                          position="不存在", seal=configured["seal"], certificate=configured["seal"].certificates.get(),
                          signer=configured["robot"])
