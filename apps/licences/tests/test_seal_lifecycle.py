"""Seal lifecycle as the seal administrator meets it (acceptance check 19, 20)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.workflow import history_for
from apps.identity.tests.factories import StaffFactory
from apps.licences.crypto.seal import parse_seal
from apps.licences.models import Seal, SealStatus, SigningLog
from apps.licences.ofd.sign import StampPosition
from apps.licences.services.seals import (seal_change, seal_produce, seal_renew, seal_request,
                                          seal_review_impression, seal_transition, seals_expire_due)
from apps.licences.services.grants import seal_grant, seal_grant_revoke
from apps.licences.services.signing import document_sign, document_verify

from .conftest import png_bytes
from .factories import demo_pki, grant, seal_admin, valid_seal
from .test_ofd_write_sign import licence_face

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(orgs):
    admin = seal_admin(orgs["province"])
    return admin, demo_pki(admin, orgs["province"])


def sign(admin, seal, pki):
    return document_sign(actor=admin, seal=seal, certificate=pki["signer"], data=licence_face(),
                         position=StampPosition(0, 200, 120, 40, 40), ip_address="10.0.0.8")


@pytest.mark.spec("LIC-7.4", "LIC-7.7", "LIC-7.6", "LIC-8.3", "LIC-8.7")
def test_request_approve_produce_freeze_unfreeze_change_revoke(setup, orgs):
    admin, pki = setup
    seal = seal_request(actor=admin, organisation=orgs["harbin_dept"], issuer=pki["issuer"], name="哈尔滨市市场监督管理局电子证照专用章",
                        impression=png_bytes(), certificates=[pki["signer"]],
                        valid_until=timezone.now() + dt.timedelta(days=365))
    assert seal.status == SealStatus.REQUESTED and seal.es_id == "23000000000001"
    with pytest.raises(ValidationError):
        seal_produce(actor=admin, seal=seal, maker=pki["maker"])  # impression not approved yet
    seal_review_impression(actor=admin, seal=seal, approve=True)
    seal = seal_produce(actor=admin, seal=seal, maker=pki["maker"])
    seal.grants.create(user=admin, granted_by=admin)
    assert seal.status == SealStatus.VALID and seal.version == 1
    parsed = parse_seal(bytes(seal.seal_der))
    assert parsed.es_id == seal.es_id and parsed.maker_signature_valid()
    assert parsed.signer_certs == [pki["signer"].der_bytes]
    seal_transition(actor=admin, seal=seal, action="freeze", comment="核查中")
    with pytest.raises(ValidationError):
        sign(admin, Seal.objects.get(pk=seal.pk), pki)
    seal = seal_transition(actor=admin, seal=seal, action="unfreeze")
    seal = seal_change(actor=admin, seal=seal, name="哈尔滨市市场监督管理局证照章", comment="更名")
    assert seal.version == 2 and parse_seal(bytes(seal.seal_der)).name == "哈尔滨市市场监督管理局证照章"
    seal = seal_transition(actor=admin, seal=seal, action="revoke", comment="单位撤销")
    assert seal.status == SealStatus.REVOKED
    assert [t.to_state for t in history_for(seal)] == [
        "requested", "impression_approved", "valid", "frozen", "valid", "valid", "revoked"]
    with pytest.raises(ValidationError):
        seal_transition(actor=admin, seal=seal, action="unfreeze")


@pytest.mark.spec("LIC-8.4", "LIC-8.5")
def test_report_lost_cancel_and_renew_expired(setup, orgs):
    admin, pki = setup
    lost = valid_seal(admin, orgs["harbin_dept"], pki, "章二")
    assert seal_transition(actor=admin, seal=lost, action="report_lost", comment="UKey 丢失").status == "reported_lost"
    cancelled = valid_seal(admin, orgs["harbin_dept"], pki, "章三")
    assert seal_transition(actor=admin, seal=cancelled, action="cancel", comment="不再使用").status == "cancelled"
    expiring = valid_seal(admin, orgs["harbin_dept"], pki, "章四")
    assert seals_expire_due(now=expiring.valid_until + dt.timedelta(seconds=1)) == 1
    expiring.refresh_from_db()
    assert expiring.status == SealStatus.EXPIRED
    renewed = seal_renew(actor=admin, seal=expiring, valid_until=expiring.valid_until + dt.timedelta(days=365))
    assert renewed.status == SealStatus.VALID and renewed.version == 2
    assert parse_seal(bytes(renewed.seal_der)).valid_end == renewed.valid_until.replace(microsecond=0)


def test_bad_input_refused_with_nothing_written(setup, orgs):
    admin, pki = setup
    with pytest.raises(ValidationError) as exc:
        seal_request(actor=admin, organisation=orgs["harbin_dept"], issuer=pki["issuer"], name=" ",
                     impression=b"not an image", certificates=[], valid_until=timezone.now() - dt.timedelta(days=1))
    assert {"name", "certificates", "valid_until"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        seal_request(actor=admin, organisation=orgs["harbin_dept"], issuer=pki["issuer"], name="章",
                     impression=b"GIF89a", certificates=[pki["signer"]],
                     valid_until=timezone.now() + dt.timedelta(days=1))
    assert Seal.objects.count() == 0
    seal = seal_request(actor=admin, organisation=orgs["harbin_dept"], issuer=pki["issuer"], name="章",
                        impression=png_bytes(), certificates=[pki["signer"]],
                        valid_until=timezone.now() + dt.timedelta(days=30))
    with pytest.raises(ValidationError):
        seal_review_impression(actor=admin, seal=seal, approve=False, comment="")
    seal.refresh_from_db()
    assert seal.status == SealStatus.REQUESTED


@pytest.mark.spec("LIC-8.2")
def test_unregistered_maker_cannot_produce(setup, orgs):
    admin, pki = setup
    pki["maker"].is_registered = False
    pki["maker"].save()
    seal = seal_request(actor=admin, organisation=orgs["harbin_dept"], issuer=pki["issuer"], name="章",
                        impression=png_bytes(), certificates=[pki["signer"]],
                        valid_until=timezone.now() + dt.timedelta(days=30))
    seal_review_impression(actor=admin, seal=seal, approve=True)
    with pytest.raises(PermissionDenied):
        seal_produce(actor=admin, seal=seal, maker=pki["maker"])
    seal.refresh_from_db()
    assert seal.status == SealStatus.IMPRESSION_APPROVED and seal.seal_der is None


def test_permissions_and_scope(setup, orgs):
    admin, pki = setup
    seal = valid_seal(admin, orgs["harbin_dept"], pki)
    nobody = StaffFactory(username="no_perm", organisation=orgs["harbin_dept"])
    with pytest.raises(PermissionDenied):
        seal_transition(actor=nobody, seal=seal, action="freeze", comment="x")
    other_region = grant(StaffFactory(username="qq", organisation=orgs["qiqihar"]), "manage_seal", "use_seal")
    with pytest.raises(PermissionDenied):
        seal_transition(actor=other_region, seal=seal, action="freeze", comment="x")
    with pytest.raises(PermissionDenied):
        sign(other_region, seal, pki)
    seal.refresh_from_db()
    assert seal.status == SealStatus.VALID


@pytest.mark.spec("LIC-9.10", "LIC-8.6", "LIC-9.3", "LIC-9.14")
def test_signing_is_logged_and_verification_follows_seal_status(setup, orgs):
    admin, pki = setup
    seal = valid_seal(admin, orgs["harbin_dept"], pki)
    sealer = grant(StaffFactory(username="sealer", organisation=orgs["harbin_dept"]), "use_seal")
    with pytest.raises(PermissionDenied):          # permission alone is not enough: no grant yet
        sign(sealer, seal, pki)
    assert not SigningLog.objects.filter(sealer=sealer).exists()
    grant_admin = grant(StaffFactory(username="grantor", organisation=orgs["province"]), "add_sealgrant",
                        "delete_sealgrant")
    role = sealer.roles.get()
    by_role = seal_grant(actor=grant_admin, seal=seal, role=role)       # by system role
    signed = sign(sealer, seal, pki)
    seal_grant_revoke(actor=grant_admin, grant=by_role)
    with pytest.raises(PermissionDenied):
        sign(sealer, seal, pki)
    seal_grant(actor=grant_admin, seal=seal, user=sealer)                # by sealing user
    with pytest.raises(ValidationError):
        seal_grant(actor=grant_admin, seal=seal, user=sealer)
    sign(sealer, seal, pki)
    assert SigningLog.objects.filter(sealer=sealer).count() == 2
    log = SigningLog.objects.order_by("pk").first()
    assert (log.sealer, log.seal, log.ip_address) == (sealer, seal, "10.0.0.8") and log.request_message
    report = document_verify(data=signed.data)
    assert report.verdict == "valid"
    assert report.signatures[0].step("trust").status == "ok"
    assert report.signatures[0].step("seal_status").status == "ok"
    seal_transition(actor=admin, seal=seal, action="revoke", comment="吊销")
    report = document_verify(data=signed.data)
    assert report.signatures[0].failed_steps == ["seal_status"]


def test_frozen_revoked_and_expired_seals_cannot_sign_and_nothing_is_logged(setup, orgs):
    from .factories import valid_seal

    admin, pki = setup
    logs = SigningLog.objects.count()
    frozen = valid_seal(admin, orgs["harbin_dept"], pki, "冻结章")
    seal_transition(actor=admin, seal=frozen, action="freeze", comment="核查")
    revoked = valid_seal(admin, orgs["harbin_dept"], pki, "吊销章")
    seal_transition(actor=admin, seal=revoked, action="revoke", comment="吊销")
    expired = valid_seal(admin, orgs["harbin_dept"], pki, "过期章")
    Seal.objects.filter(pk=expired.pk).update(valid_until=timezone.now() - dt.timedelta(minutes=1))
    for seal, message in ((frozen, "不能签章"), (revoked, "不能签章"), (expired, "有效期")):
        with pytest.raises(ValidationError, match=message):
            sign(admin, Seal.objects.get(pk=seal.pk), pki)
    assert SigningLog.objects.count() == logs
