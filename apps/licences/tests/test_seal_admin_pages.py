"""Seal platform pages: issuing units (LIC-7.2), makers with sync (LIC-7.3), certificates (LIC-9.9),
seal query with production records (LIC-7.8) and server-side document signing (LIC-9.2)."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.adapters.simulators import SimulatorServer
from apps.identity.tests.factories import StaffFactory
from apps.licences.models import SealIssuer, SealMaker, SigningCertificate, SigningLog, SigningTemplate
from apps.licences.peers.seal_platform import SealPlatformSimulator
from apps.licences.services.signing import document_verify

from .factories import demo_pki, grant, valid_seal
from .test_ofd_write_sign import licence_face

pytestmark = pytest.mark.django_db
EXTRA = ("view_sealissuer", "add_sealissuer", "view_sealmaker", "view_signingcertificate",
         "change_signingcertificate")


@pytest.fixture
def admin(orgs):
    return grant(StaffFactory(username="platform_admin", organisation=orgs["province"]),
                 "add_seal", "approve_seal", "produce_seal", "manage_seal", "use_seal", "view_seal",
                 "add_signingcertificate", "change_sealmaker", *EXTRA)


@pytest.mark.spec("LIC-7.2")
def test_issuing_unit_page_matrix_and_enable_disable(client, orgs, admin, staff, citizen):
    url = "/portal/licences/seals/issuers/"
    assert client.get(url).status_code == 302            # anonymous → login
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(staff["harbin"])                  # staff without the permission
    assert client.get(url).status_code == 403
    client.force_login(admin)
    client.post(url, {"organisation": orgs["harbin_dept"].pk, "action": "enable"})
    issuer = SealIssuer.objects.get(organisation=orgs["harbin_dept"])
    page = client.get(url).content.decode()
    assert "哈尔滨市市场监督管理局" in page and "停用" in page
    client.post(url, {"organisation": orgs["harbin_dept"].pk, "action": "disable"})
    issuer.refresh_from_db()
    assert not issuer.is_enabled
    other = grant(StaffFactory(username="qqhr_admin", organisation=orgs["qiqihar"]), "view_sealissuer",
                  "add_sealissuer")
    client.force_login(other)                            # other region: neither sees nor changes Harbin's
    assert "哈尔滨市市场监督管理局" not in client.get(url).content.decode()
    assert client.post(url, {"organisation": orgs["harbin_dept"].pk, "action": "enable"}).status_code == 404


@pytest.mark.spec("LIC-7.3", "LIC-8.2")
def test_maker_page_sync_and_register(client, orgs, admin, settings):
    simulator = SealPlatformSimulator([{"code": "hlj-maker", "name": "黑龙江省电子印章制作中心",
                                        "credit_code": orgs["province"].credit_code}])
    client.force_login(admin)
    with SimulatorServer(simulator) as server:
        simulator.base_url = settings.LICENCES_SEAL_PLATFORM_URL = server.url
        client.post("/portal/licences/certificates/", {"organisation": orgs["province"].pk, "kind": "ca",
                                                        "storage": "external",
                                                        "certificate_pem": simulator.ca.pem.decode()})
        assert SigningCertificate.objects.filter(kind="ca", storage="external").count() == 1
        page = client.post("/portal/licences/seals/makers/", {"action": "sync"}, follow=True).content.decode()
    maker = SealMaker.objects.get(code="hlj-maker")
    assert "已从省电子印章平台同步" in page and maker.endpoint.startswith(server.url) and not maker.is_registered
    client.post("/portal/licences/seals/makers/", {"action": "register", "maker": maker.pk})
    maker.refresh_from_db()
    assert maker.is_registered


@pytest.mark.spec("LIC-9.9")
def test_certificate_page_import_refusal_and_revoke(client, orgs, admin):
    pki = demo_pki(admin, orgs["province"])
    client.force_login(admin)
    url = "/portal/licences/certificates/"
    before = SigningCertificate.objects.count()
    page = client.post(url, {"organisation": orgs["province"].pk, "kind": "signer", "storage": "ukey",
                             "certificate_pem": "not a certificate"}, follow=True).content.decode()
    assert "不是有效的 X.509 证书" in page and SigningCertificate.objects.count() == before
    page = client.get(url).content.decode()
    assert pki["signer"].subject in page and "服务器软证书" in page
    client.post(url, {"action": "revoke", "certificate": pki["signer"].pk, "reason": "人员调离"})
    signer = SigningCertificate.objects.get(pk=pki["signer"].pk)
    assert signer.revoked_at and signer.revocation_reason == "人员调离" and not signer.is_enabled


@pytest.mark.spec("LIC-7.8")
def test_seal_query_lists_production_records_in_scope(client, orgs, admin, staff):
    pki = demo_pki(admin, orgs["province"])
    for n in range(3):
        valid_seal(admin, orgs["harbin_dept"], pki, f"哈尔滨章{n}")
    valid_seal(admin, orgs["qiqihar"], pki, "齐齐哈尔章")
    client.force_login(admin)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/portal/licences/seals/", {"maker": "省电子印章", "production_mode": "centralised",
                                                      "produced_from": timezone.localdate().isoformat()})
    body = page.content.decode()
    assert page.status_code == 200 and body.count("省电子印章制作系统") >= 4 and "齐齐哈尔章" in body
    assert len(queries) < 25
    assert "哈尔滨章0" not in client.get("/portal/licences/seals/", {"maker": "国家"}).content.decode()
    harbin_viewer = grant(StaffFactory(username="hrb_viewer", organisation=orgs["harbin_dept"]), "view_seal")
    client.force_login(harbin_viewer)
    body = client.get("/portal/licences/seals/").content.decode()
    assert "哈尔滨章1" in body and "齐齐哈尔章" not in body
    export = client.get("/portal/licences/seals/", {"export": "xlsx"})
    assert export.status_code == 200


@pytest.mark.spec("LIC-9.2", "LIC-9.7")
def test_server_side_signing_page_manual_and_template_position(client, orgs, admin, staff, corpus):
    pki = demo_pki(admin, orgs["province"])
    seal = valid_seal(admin, orgs["province"], pki)
    SigningTemplate.objects.create(code="contract", name="合同模板", organisation=orgs["province"],
                                   positions={"乙方": [0, 160, 150]})
    url = "/portal/licences/signing/sign/"
    client.force_login(staff["harbin"])
    assert client.get(url).status_code == 403
    client.force_login(admin)
    assert "合同模板 / 乙方" in client.get(url).content.decode()

    def upload(data, name="申请表.ofd"):
        f = io.BytesIO(data)
        f.name = name
        return f

    form = {"seal": seal.pk, "certificate": pki["signer"].pk, "page": 1, "x": 120, "y": 90}
    response = client.post(url, {**form, "document": upload(licence_face())})
    assert response.status_code == 200 and response["Content-Type"] == "application/ofd"
    assert document_verify(data=response.content).verdict == "valid"
    # a third-party file from the corpus is signed by template position and still verifies
    third_party = (corpus / "plain" / "helloworld.ofd").read_bytes()
    response = client.post(url, {**form, "template_position": "contract:乙方", "document": upload(third_party)})
    assert response.status_code == 200, response.content.decode()[:500]
    report = document_verify(data=response.content)
    assert report.signatures and report.signatures[-1].verdict == "valid", report
    # not an OFD / page out of range: refused, nothing logged
    logs = SigningLog.objects.count()
    assert client.post(url, {**form, "document": upload(b"%PDF-1.7")}).status_code == 400
    assert client.post(url, {**form, "page": 9, "document": upload(licence_face())}).status_code == 400
    assert SigningLog.objects.count() == logs == 2


@pytest.mark.spec("LIC-9.13")
def test_department_supervision_account_sees_its_own_seal_use(client, orgs, admin, staff):
    from apps.licences.ofd.sign import StampPosition
    from apps.licences.services.signing import document_sign

    pki = demo_pki(admin, orgs["province"])
    harbin = [valid_seal(admin, orgs["harbin_dept"], pki, f"哈尔滨用章{n}") for n in range(3)]
    other = valid_seal(admin, orgs["qiqihar"], pki, "齐齐哈尔用章")
    for seal in (harbin[0], harbin[0], other):
        document_sign(actor=admin, seal=seal, certificate=pki["signer"], data=licence_face(),
                      position=StampPosition(0, 10, 10, 40, 40), document_name="通知.ofd")
    supervisor = grant(StaffFactory(username="hrb_supervisor", organisation=orgs["harbin_dept"]), "view_signinglog")
    url = "/portal/licences/signing/usage/"
    client.force_login(staff["harbin_dept"])
    assert client.get(url).status_code == 403
    client.force_login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert len(queries) < 20
    row = body.split(f'data-seal="{harbin[0].es_id}"')[1].split("</tr>")[0]
    assert '<td data-count="today">2</td>' in row and '<td data-count="total">2</td>' in row
    assert "哈尔滨用章2" in body and "齐齐哈尔用章" not in body
