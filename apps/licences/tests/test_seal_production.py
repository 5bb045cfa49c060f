"""Seal production by registered seal-making systems over real HTTP (LIC-7.5 ★), issuing units (LIC-7.2),
seal-making unit synchronisation (LIC-7.3) and certificate management (LIC-9.9)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.adapters.simulators import SimulatorServer
from apps.core.workflow import history_for
from apps.licences.crypto.seal import parse_seal
from apps.licences.models import CertificateKind, KeyStorage, Seal, SealMaker, SealStatus, SigningCertificate
from apps.licences.ofd.sign import StampPosition
from apps.licences.peers.seal_platform import HttpSealMakingSystem, SealPlatformSimulator
from apps.licences.services.pki import certificate_import, certificate_issue, certificate_revoke
from apps.licences.services.seal_makers import seal_issuer_save, seal_makers_sync
from apps.licences.services.seals import seal_maker_register, seal_produce, seal_request, seal_review_impression
from apps.licences.services.signing import document_sign, document_verify

from .conftest import png_bytes
from .factories import grant
from .test_ofd_write_sign import licence_face

pytestmark = pytest.mark.django_db

ADMIN_PERMS = ("add_seal", "approve_seal", "produce_seal", "manage_seal", "use_seal", "view_seal",
               "add_signingcertificate", "change_signingcertificate", "change_sealmaker", "add_sealissuer")


@pytest.fixture
def admin(orgs):
    from apps.identity.tests.factories import StaffFactory

    return grant(StaffFactory(username="seal_platform_admin", organisation=orgs["province"]), *ADMIN_PERMS)


@pytest.fixture
def platform(orgs):
    simulator = SealPlatformSimulator([
        {"code": "hlj-maker", "name": "黑龙江省电子印章制作中心", "credit_code": orgs["province"].credit_code},
        {"code": "national", "name": "国家电子印章系统", "credit_code": orgs["province"].credit_code},
        {"code": "ghost", "name": "未知单位制章系统", "credit_code": "91110000000000000X"},
    ])
    with SimulatorServer(simulator) as server:
        simulator.base_url = server.url
        yield simulator, HttpSealMakingSystem(server.url)


def _signer(admin, orgs):
    ca = certificate_issue(actor=admin, kind=CertificateKind.CA, organisation=orgs["province"],
                           common_name="签章证书根", days=3650)
    return certificate_issue(actor=admin, kind=CertificateKind.SIGNER, organisation=orgs["harbin_dept"],
                             common_name="哈尔滨市市场监督管理局签章", days=365, issuer=ca)


def _approved_seal(admin, orgs, issuer, signer, name):
    seal = seal_request(actor=admin, organisation=orgs["harbin_dept"], issuer=issuer, name=name,
                        impression=png_bytes(name), certificates=[signer],
                        valid_until=timezone.now() + dt.timedelta(days=365))
    return seal_review_impression(actor=admin, seal=seal, approve=True, comment="印模规范")


@pytest.mark.spec("LIC-7.5", "LIC-7.2", "LIC-7.3", "LIC-8.2")
def test_seal_produced_by_registered_external_maker_end_to_end(admin, orgs, platform):
    simulator, system = platform
    # 7.2: the Harbin bureau becomes an issuing unit
    issuer = seal_issuer_save(actor=admin, organisation=orgs["harbin_dept"])
    signer = _signer(admin, orgs)

    # 7.3: until the platform's root is registered, no maker is trusted and nothing is stored
    first = seal_makers_sync(actor=admin, system=system)
    assert first.created == [] and len(first.errors) == 3 and SealMaker.objects.count() == 0
    assert ("GET", "/units") in simulator.requests
    certificate_import(actor=admin, data=simulator.ca.pem, kind=CertificateKind.CA, organisation=orgs["province"])
    result = seal_makers_sync(actor=admin, system=system)
    assert sorted(result.created) == ["hlj-maker", "national"] and len(result.errors) == 1
    maker = SealMaker.objects.get(code="hlj-maker")
    assert maker.endpoint.endswith("/makers/hlj-maker") and not maker.is_registered
    assert maker.certificate.storage == KeyStorage.EXTERNAL and not maker.certificate.private_key

    seal = _approved_seal(admin, orgs, issuer, signer, "哈尔滨市市场监督管理局电子证照专用章")
    with pytest.raises(PermissionDenied):   # 8.2: unregistered makers cannot connect
        seal_produce(actor=admin, seal=seal, maker=maker, system=system)
    assert not any(p.startswith("/makers/") for _m, p in simulator.requests)

    seal_maker_register(actor=admin, maker=maker)
    seal = seal_produce(actor=admin, seal=Seal.objects.get(pk=seal.pk), maker=maker, system=system)
    assert ("POST", "/makers/hlj-maker/produce") in simulator.requests
    seal.refresh_from_db()
    assert seal.status == SealStatus.VALID and seal.version == 1 and seal.maker == maker
    parsed = parse_seal(bytes(seal.seal_der))          # the SESeal the maker signed with its own key
    assert parsed.version == 4 and parsed.es_id == seal.es_id and parsed.name == seal.name
    assert parsed.maker_cert == simulator.makers["hlj-maker"]["cert"] and parsed.maker_signature_valid()
    assert parsed.signer_certs == [signer.der_bytes] and parsed.picture == bytes(seal.impression)
    assert [t.to_state for t in history_for(seal)] == ["requested", "impression_approved", "valid"]

    # the produced seal signs, and the signed file verifies against the registered roots
    seal.grants.create(user=admin, granted_by=admin)
    signed = document_sign(actor=admin, seal=seal, certificate=signer, data=licence_face(),
                           position=StampPosition(0, 150, 100, 40, 40))
    report = document_verify(data=signed.data)
    assert report.verdict == "valid", report


@pytest.mark.spec("LIC-7.5")
def test_maker_answer_that_differs_from_the_application_is_refused_and_nothing_written(admin, orgs, platform):
    simulator, system = platform
    issuer = seal_issuer_save(actor=admin, organisation=orgs["harbin_dept"])
    signer = _signer(admin, orgs)
    certificate_import(actor=admin, data=simulator.ca.pem, kind=CertificateKind.CA, organisation=orgs["province"])
    seal_makers_sync(actor=admin, system=system)
    maker = seal_maker_register(actor=admin, maker=SealMaker.objects.get(code="national"))
    seal = _approved_seal(admin, orgs, issuer, signer, "章甲")
    simulator.tamper = True
    with pytest.raises(ValidationError, match="picture"):
        seal_produce(actor=admin, seal=seal, maker=maker, system=system)
    seal.refresh_from_db()
    assert seal.status == SealStatus.IMPRESSION_APPROVED and seal.seal_der is None and seal.version == 0
    # a maker that is down: a clear refusal, the seal still waits
    SealMaker.objects.filter(pk=maker.pk).update(endpoint="http://127.0.0.1:9/makers/national")
    with pytest.raises(ValidationError, match="制作失败"):
        seal_produce(actor=admin, seal=seal, maker=maker, system=system)
    seal.refresh_from_db()
    assert seal.status == SealStatus.IMPRESSION_APPROVED


@pytest.mark.spec("LIC-7.3")
def test_sync_updates_and_withdraws_units(admin, orgs, platform):
    simulator, system = platform
    certificate_import(actor=admin, data=simulator.ca.pem, kind=CertificateKind.CA, organisation=orgs["province"])
    seal_makers_sync(actor=admin, system=system)
    seal_maker_register(actor=admin, maker=SealMaker.objects.get(code="national"))
    simulator.makers["hlj-maker"]["name"] = "黑龙江省电子印章制作中心（新）"
    del simulator.makers["national"]
    result = seal_makers_sync(actor=admin, system=system)
    assert result.updated == ["hlj-maker"] and result.withdrawn == ["national"], result
    assert SealMaker.objects.get(code="hlj-maker").name.endswith("（新）")
    assert not SealMaker.objects.get(code="national").is_registered
    with pytest.raises(ValidationError, match="无法访问"):
        seal_makers_sync(actor=admin, system=HttpSealMakingSystem("http://127.0.0.1:9"))


@pytest.mark.spec("LIC-7.2")
def test_issuing_units_enable_disable_and_refusals(admin, orgs, staff):
    issuer = seal_issuer_save(actor=admin, organisation=orgs["harbin_dept"])
    assert seal_issuer_save(actor=admin, organisation=orgs["harbin_dept"], is_enabled=False).pk == issuer.pk
    issuer.refresh_from_db()
    assert not issuer.is_enabled
    signer = _signer(admin, orgs)
    with pytest.raises(ValidationError, match="停用"):
        seal_request(actor=admin, organisation=orgs["harbin_dept"], issuer=issuer, name="章", impression=png_bytes(),
                     certificates=[signer], valid_until=timezone.now() + dt.timedelta(days=30))
    with pytest.raises(PermissionDenied):
        seal_issuer_save(actor=staff["harbin"], organisation=orgs["harbin"])
    outsider = grant(staff["qiqihar"], "add_sealissuer")
    with pytest.raises(PermissionDenied):
        seal_issuer_save(actor=outsider, organisation=orgs["harbin_dept"])


@pytest.mark.spec("LIC-9.9")
def test_certificate_import_bind_revoke_and_expired_refused(admin, orgs):
    from apps.licences.crypto.certs import build_certificate
    from apps.licences.crypto.sm import SM2PrivateKey

    from .factories import demo_pki, valid_seal

    pki = demo_pki(admin, orgs["province"])
    ca_key = SM2PrivateKey.from_pem(pki["ca"].private_key.encode())
    from apps.licences.crypto.certs import IssuedCertificate

    ca = IssuedCertificate(der=pki["ca"].der_bytes, key=ca_key)
    key = SM2PrivateKey.generate()
    issued = build_certificate(subject_cn="服务器软证书", organisation="省政务服务平台", key=key, issuer=ca)
    # bad input: not a certificate, wrong key, untrusted issuer — nothing written
    before = SigningCertificate.objects.count()
    for data, pem in ((b"junk", key.pem().decode()), (issued.pem, SM2PrivateKey.generate().pem().decode())):
        with pytest.raises(ValidationError):
            certificate_import(actor=admin, data=data, kind=CertificateKind.SIGNER, organisation=orgs["province"],
                               storage=KeyStorage.SOFTWARE, private_key_pem=pem)
    stranger = build_certificate(subject_cn="外部根", organisation="外部", key=SM2PrivateKey.generate(), ca=True)
    foreign = build_certificate(subject_cn="外部证书", organisation="外部", key=key, issuer=stranger)
    with pytest.raises(ValidationError, match="不能信任"):
        certificate_import(actor=admin, data=foreign.der, kind=CertificateKind.SIGNER, organisation=orgs["province"])
    assert SigningCertificate.objects.count() == before

    cert = certificate_import(actor=admin, data=issued.pem, kind=CertificateKind.SIGNER, organisation=orgs["province"],
                              storage=KeyStorage.SOFTWARE, private_key_pem=key.pem().decode())
    assert cert.issuer == pki["ca"] and "服务器软证书" in cert.subject
    with pytest.raises(ValidationError, match="已登记"):
        certificate_import(actor=admin, data=issued.der, kind=CertificateKind.SIGNER, organisation=orgs["province"])
    # bind to a seal (its certificate list) and sign with it
    seal = valid_seal(admin, orgs["province"], pki)
    from apps.licences.services.seals import seal_change

    seal = seal_change(actor=admin, seal=seal, certificates=[pki["signer"], cert], comment="绑定服务器证书")
    assert cert.der_bytes in parse_seal(bytes(seal.seal_der)).signer_certs
    document_sign(actor=admin, seal=seal, certificate=cert, data=licence_face(), position=StampPosition(0, 10, 10, 40, 40))
    # expired: refused at signing
    SigningCertificate.objects.filter(pk=pki["signer"].pk).update(valid_until=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="有效期"):
        document_sign(actor=admin, seal=seal, certificate=pki["signer"], data=licence_face(),
                      position=StampPosition(0, 10, 10, 40, 40))
    # revoked: refused at signing; a reason is required
    with pytest.raises(ValidationError):
        certificate_revoke(actor=admin, certificate=cert, reason=" ")
    certificate_revoke(actor=admin, certificate=cert, reason="私钥疑似泄露")
    with pytest.raises(ValidationError, match="吊销"):
        document_sign(actor=admin, seal=seal, certificate=cert, data=licence_face(),
                      position=StampPosition(0, 10, 10, 40, 40))
    assert seal.signing_logs.count() == 1


def test_certificate_import_keeps_der_bytes_that_end_like_whitespace(admin, orgs):
    """A DER certificate whose last signature byte is 0x20/0x0a/… must not be trimmed (it was, once)."""
    from apps.licences.crypto.certs import build_certificate
    from apps.licences.crypto.sm import SM2PrivateKey

    while True:
        ca = build_certificate(subject_cn="尾字节根", organisation="测试", key=SM2PrivateKey.generate(), ca=True)
        if ca.der[-1:] in (b" ", b"\n", b"\t", b"\r", b"\x0b", b"\x0c"):
            break
    row = certificate_import(actor=admin, data=ca.der, kind=CertificateKind.CA, organisation=orgs["province"])
    assert row.der_bytes == ca.der
