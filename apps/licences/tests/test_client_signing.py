"""UKey client-side signing (LIC-9.4) and distributed licence sealing with a UKey (LIC-1.17): the server
prepares the TBS_Sign, the UKey simulator signs it, the server checks and assembles — the private key
never reaches the server."""

import base64
import io
from urllib.parse import quote

import pytest
from django.urls import reverse

from apps.identity.tests.factories import StaffFactory
from apps.licences.crypto.certs import IssuedCertificate, build_certificate
from apps.licences.crypto.seal import parse_signature
from apps.licences.crypto.sm import SM2PrivateKey
from apps.licences.models import (
    CertificateKind, ClientSigningRequest, KeyStorage, Licence, LicenceStatus, SigningCertificate, SigningLog,
)
from apps.licences.ofd.package import OFDPackage
from apps.licences.peers.ukey import UKeySimulator
from apps.licences.services.pki import certificate_import
from apps.licences.services.seals import seal_change
from apps.licences.services.signing import document_verify

from .factories import LICENCE_PERMS, grant
from .test_licence_lifecycle import approved, world  # noqa: F401 (fixture)
from .test_ofd_write_sign import licence_face

pytestmark = pytest.mark.django_db
PREPARE = "/api/v1/licences/client-sign/"


def complete_url(request_id):
    return reverse("licences-ukey-complete", args=[request_id])


@pytest.fixture
def ukey(world):  # noqa: F811
    """The clerk's UKey: key generated on the device, certificate from the demo CA, bound to the seal."""
    pki, admin = world["pki"], world["admin"]
    ca = IssuedCertificate(der=pki["ca"].der_bytes, key=SM2PrivateKey.from_pem(pki["ca"].private_key.encode()))
    device = UKeySimulator()
    der = device.certify(lambda key: build_certificate(subject_cn="分散盖章人 UKey", organisation="哈尔滨市市场监督管理局",
                                                       key=key, issuer=ca).der)
    cert = certificate_import(actor=admin, data=der, kind=CertificateKind.SIGNER, organisation=world["dept"],
                              storage=KeyStorage.UKEY, holder=world["clerk"])
    seal_change(actor=admin, seal=world["seal"], certificates=[pki["signer"], cert], comment="绑定 UKey 证书")
    return device, cert


def prepare(client, world, cert, **extra):  # noqa: F811
    data = {"seal": world["seal"].pk, "certificate": cert.pk, "page": 0, "x": 150, "y": 100, **extra}
    return client.post(PREPARE, data)


@pytest.mark.spec("LIC-9.4")
def test_ukey_signs_an_uploaded_ofd_and_the_server_never_holds_the_key(client, world, ukey):  # noqa: F811
    device, cert = ukey
    client.force_login(world["clerk"])
    document = io.BytesIO(licence_face())
    document.name = "合同.ofd"
    answer = prepare(client, world, cert, document=document)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    tbs = base64.b64decode(body["tbs"])
    assert SigningLog.objects.count() == 0   # nothing is signed until the UKey answers

    # a signature by another key is refused, nothing written, the request stays open
    forged = SM2PrivateKey.generate().sign(tbs)
    bad = client.post(complete_url(body["request_id"]), {"signature": base64.b64encode(forged).decode()},
                      content_type="application/json")
    assert bad.status_code == 400 and "签名验证失败" in bad.json()["detail"]
    assert SigningLog.objects.count() == 0

    done = client.post(complete_url(body["request_id"]), {"signature": base64.b64encode(device.sign(tbs)).decode()},
                       content_type="application/json")
    assert done.status_code == 200, done.content
    signed = base64.b64decode(done.json()["document"])
    report = document_verify(data=signed)
    assert report.verdict == "valid", report
    pkg = OFDPackage(signed)
    value = next(data for name, data in pkg.entries.items() if name.endswith("SignedValue.dat"))
    parsed = parse_signature(value)
    assert parsed.signer_cert == cert.der_bytes and parsed.tbs_bytes == tbs and parsed.signature_valid()
    assert SigningCertificate.objects.get(pk=cert.pk).private_key == ""
    log = SigningLog.objects.get()
    assert log.client == "ukey" and log.sealer == world["clerk"] and log.request_message["tbs_sm3"] == body["tbs_sm3"]
    # replay of a finished request
    again = client.post(complete_url(body["request_id"]), {"signature": base64.b64encode(device.sign(tbs)).decode()},
                        content_type="application/json")
    assert again.status_code == 400 and SigningLog.objects.count() == 1


@pytest.mark.spec("LIC-1.17")
def test_distributed_licence_sealing_with_a_ukey(client, world, ukey):  # noqa: F811
    device, cert = ukey
    licence = approved(world, 1)
    client.force_login(world["clerk"])
    body = prepare(client, world, cert, licence=licence.pk).json()
    done = client.post(complete_url(body["request_id"]),
                       {"signature": base64.b64encode(device.sign(base64.b64decode(body["tbs"]))).decode()},
                       content_type="application/json")
    assert done.status_code == 200, done.content
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID and licence.seal == world["seal"]
    stored = licence.ofd_file.read()
    assert stored == base64.b64decode(done.json()["document"])
    assert document_verify(data=stored).verdict == "valid"
    # sealed already: a second request for the same licence is refused
    second = prepare(client, world, cert, licence=licence.pk)
    assert second.status_code == 400 and "待盖章" in second.json()["detail"]


def test_ukey_refusals(client, world, ukey):  # noqa: F811
    device, cert = ukey
    # anonymous
    assert client.post(PREPARE, {}).status_code in (401, 403)
    # a colleague with seal permissions but not the UKey holder
    colleague = grant(StaffFactory(username="colleague", organisation=world["dept"]), *LICENCE_PERMS)
    world["seal"].grants.create(user=colleague, granted_by=world["admin"])
    client.force_login(colleague)
    answer = prepare(client, world, cert, licence=approved(world, 2).pk)
    assert answer.status_code == 403
    # a server certificate is not a UKey
    client.force_login(world["clerk"])
    answer = prepare(client, world, world["pki"]["signer"], licence=approved(world, 3).pk)
    assert answer.status_code == 400 and "UKey" in answer.json()["detail"]
    # neither document nor licence
    assert prepare(client, world, cert).status_code == 400
    # another user's request cannot be completed
    body = prepare(client, world, cert, licence=approved(world, 4).pk).json()
    client.force_login(colleague)
    stolen = client.post(complete_url(body["request_id"]),
                         {"signature": base64.b64encode(device.sign(base64.b64decode(body["tbs"]))).decode()},
                         content_type="application/json")
    assert stolen.status_code == 403
    assert SigningLog.objects.count() == 0 and ClientSigningRequest.objects.filter(status="completed").count() == 0
    assert Licence.objects.filter(status=LicenceStatus.VALID).count() == 0


@pytest.mark.spec("LIC-9.6")
def test_web_form_signed_with_ukey_and_verified_later(client, world, ukey):  # noqa: F811
    device, cert = ukey
    client.force_login(world["clerk"])
    form = {"applicant": "哈尔滨冰城餐饮有限公司", "item": "食品经营许可", "amount": 3}
    answer = client.post(PREPARE, {"seal": world["seal"].pk, "certificate": cert.pk, "form": form,
                                   "form_name": "许可申请表"}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    done = client.post(complete_url(body["request_id"]),
                       {"signature": base64.b64encode(device.sign(base64.b64decode(body["tbs"]))).decode()},
                       content_type="application/json")
    assert done.status_code == 200, done.content
    signature = done.json()["document"]
    name = "web-form:" + quote("许可申请表", safe="")
    assert parse_signature(base64.b64decode(signature)).property_info == name
    client.logout()                                             # verification needs no login
    url = "/api/v1/licences/web-sign/verify/"
    ok = client.post(url, {"form": form, "signature": signature}, content_type="application/json").json()
    assert ok["verdict"] == "valid", ok
    assert {s["key"] for s in ok["steps"]} >= {"data_digest", "signer_signature", "seal_signature",
                                               "certificate_in_seal", "seal_validity", "seal_status"}
    changed = client.post(url, {"form": {**form, "amount": 4}, "signature": signature},
                          content_type="application/json").json()
    assert changed["verdict"] == "fail"
    assert [s["key"] for s in changed["steps"] if not s["ok"]] == ["data_digest"]
    assert SigningLog.objects.get().document_name == name
