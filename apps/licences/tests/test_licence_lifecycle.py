"""Licence issuance and lifecycle end to end, with sealed OFD files (acceptance checks 3–8, 18)."""

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from apps.core.workflow import history_for
from apps.identity.tests.factories import StaffFactory
from apps.licences import identifiers
from apps.licences.models import Licence, LicenceStatus, SigningLog
from apps.licences.ofd.package import OFDPackage
from apps.licences.ofd.verify import verify_ofd
from apps.licences.services.licences import (licence_annual_inspection, licence_change, licence_complete_draft,
                                             licence_end, licence_enter,
                                             licence_purge, licence_review, licence_seal, licence_submit,
                                             licences_seal_batch, valid_licences)
from apps.licences.services.pki import trusted_roots

from .factories import LICENCE_PERMS, demo_pki, grant, licence_data, licence_template, seal_admin, valid_seal

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(orgs):
    admin = seal_admin(orgs["province"])
    pki = demo_pki(admin, orgs["province"])
    dept = orgs["harbin_dept"]
    clerk = grant(StaffFactory(username="clerk", organisation=dept), *LICENCE_PERMS)
    seal = valid_seal(admin, dept, pki, "哈尔滨市市场监督管理局电子证照专用章")
    seal.grants.create(user=clerk, granted_by=admin)
    return {"admin": admin, "pki": pki, "dept": dept, "clerk": clerk, "seal": seal,
            "template": licence_template(orgs["province"])}


def approved(world, n):
    clerk = world["clerk"]
    licence = licence_enter(actor=clerk, template=world["template"], issuer=world["dept"], data=licence_data(n))
    licence_submit(actor=clerk, licences=[licence])
    return licence_review(actor=clerk, licence=licence, approve=True)


@pytest.mark.spec("LIC-1.7", "LIC-1.8", "LIC-1.9", "LIC-1.18", "LIC-3.2")
def test_draft_entry_review_reject_resubmit_batch_seal(world):
    clerk, template, dept = world["clerk"], world["template"], world["dept"]
    draft = licence_enter(actor=clerk, template=template, issuer=dept, data={"name": "食品经营许可证"}, draft=True)
    assert draft.status == LicenceStatus.DRAFT and identifiers.is_valid(draft.licence_code)
    with pytest.raises(ValidationError):
        licence_complete_draft(actor=clerk, licence=draft, data={"holder_name": "只填了一项"})
    assert Licence.objects.get(pk=draft.pk).status == LicenceStatus.DRAFT
    completed = licence_complete_draft(actor=clerk, licence=draft, data=licence_data(8))
    assert completed.status == LicenceStatus.ENTERED and completed.licence_code == draft.licence_code
    with pytest.raises(ValidationError) as exc:
        licence_enter(actor=clerk, template=template, issuer=dept, data=licence_data(9, face_data={"address": ""}))
    assert "face_data.address" in exc.value.message_dict
    licences = [licence_enter(actor=clerk, template=template, issuer=dept, data=licence_data(i)) for i in range(3)]
    assert licence_submit(actor=clerk, licences=licences) == 3
    licence_review(actor=clerk, licence=licences[0], approve=False, reason="经营场所与营业执照不一致")
    first = Licence.objects.get(pk=licences[0].pk)
    assert first.status == LicenceStatus.ENTERED and first.reject_reason == "经营场所与营业执照不一致"
    licence_submit(actor=clerk, licences=[first])
    for licence in licences:
        licence_review(actor=clerk, licence=licence, approve=True)
    result = licences_seal_batch(actor=clerk, licence_ids=[x.pk for x in licences], seal=world["seal"],
                                 certificate=world["pki"]["signer"])
    assert result == {"sealed": 3, "skipped": 0}
    for licence in Licence.objects.filter(pk__in=[x.pk for x in licences]):
        assert licence.status == LicenceStatus.VALID and licence.issued_at
        data = licence.ofd_file.read()
        report = verify_ofd(data, trusted_roots=trusted_roots())
        assert report.verdict == "valid", [s.steps for s in report.signatures]
        text = OFDPackage(data).page_texts()[0]
        assert licence.holder_name in text and "哈尔滨市道里区中央大街1号" in text and licence.licence_code in text
    assert valid_licences().filter(holder_name__contains="冰城餐饮1").count() == 1


def test_qr_code_leads_to_public_licence_page(world, client):
    licence = approved(world, 1)
    licence = licence_seal(actor=world["clerk"], licence=licence, seal=world["seal"], certificate=world["pki"]["signer"])
    entries = zipfile.ZipFile(io.BytesIO(licence.ofd_file.read())).namelist()
    assert any(n.startswith("Doc_0/Res/image_") for n in entries)
    page = client.get(f"/licences/verify/code/{licence.licence_code}/")
    assert page.status_code == 200 and 'data-current="yes"' in page.content.decode()
    licence_end(actor=world["clerk"], licence=licence, action="cancel", reason="停业")
    page = client.get(f"/licences/verify/code/{licence.licence_code}/").content.decode()
    assert 'data-current="no"' in page and "已注销" in page


def test_not_approved_licence_is_not_sealed_and_batch_resumes_without_double_sealing(world):
    clerk = world["clerk"]
    entered = licence_enter(actor=clerk, template=world["template"], issuer=world["dept"], data=licence_data(7))
    assert licence_seal(actor=clerk, licence=entered, seal=world["seal"], certificate=world["pki"]["signer"]) is None
    entered.refresh_from_db()
    assert entered.status == LicenceStatus.ENTERED and not entered.ofd_file
    batch = [approved(world, i) for i in range(3)]

    def crash_after_first(done):
        if done == 1:
            raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        licences_seal_batch(actor=clerk, licence_ids=[x.pk for x in batch], seal=world["seal"],
                            certificate=world["pki"]["signer"], progress=crash_after_first)
    assert Licence.objects.filter(status=LicenceStatus.VALID).count() == 1
    result = licences_seal_batch(actor=clerk, licence_ids=[x.pk for x in batch], seal=world["seal"],
                                 certificate=world["pki"]["signer"])
    assert result == {"sealed": 2, "skipped": 1}
    assert SigningLog.objects.count() == 3
    assert Licence.objects.filter(status=LicenceStatus.VALID).count() == 3


@pytest.mark.spec("LIC-1.6", "LIC-1.11", "LIC-1.12")
def test_change_and_annual_inspection_keep_identifier_with_version_plus_one(world):
    clerk = world["clerk"]
    v1 = licence_seal(actor=clerk, licence=approved(world, 1), seal=world["seal"], certificate=world["pki"]["signer"])
    with pytest.raises(ValidationError):
        licence_change(actor=clerk, licence=v1, changes={"holder_name": "改名"})
    v2 = licence_change(actor=clerk, licence=v1, changes={"licence_number": "JY123NEW", "face_data": {"scope": "预包装食品"}})
    v1.refresh_from_db()
    assert (v2.licence_code, v2.version, v2.status) == (v1.licence_code, 2, LicenceStatus.IN_REVIEW)
    assert v1.status == LicenceStatus.SUPERSEDED and v1.ofd_file and verify_ofd(v1.ofd_file.read()).verdict == "valid"
    assert v2.face_data["scope"] == "预包装食品" and v2.face_data["address"] == v1.face_data["address"]
    licence_review(actor=clerk, licence=v2, approve=True)
    v2 = licence_seal(actor=clerk, licence=v2, seal=world["seal"], certificate=world["pki"]["signer"])
    v3 = licence_annual_inspection(actor=clerk, licence=v2)
    assert (v3.version, v3.licence_number, v3.status) == (3, "JY123NEW", LicenceStatus.IN_REVIEW)
    assert Licence.objects.filter(licence_code=v1.licence_code).count() == 3


@pytest.mark.spec("LIC-1.13", "LIC-1.14", "LIC-1.15")
def test_cancel_abolish_lost_go_to_history_and_purge_deletes_all(world, orgs, django_capture_on_commit_callbacks):
    clerk = world["clerk"]
    rows = [licence_seal(actor=clerk, licence=approved(world, i), seal=world["seal"],
                         certificate=world["pki"]["signer"]) for i in range(3)]
    for licence, action, state in zip(rows, ["cancel", "abolish", "report_lost"],
                                      ["cancelled", "abolished", "reported_lost"]):
        assert licence_end(actor=clerk, licence=licence, action=action).status == state
        assert list(history_for(licence))[-1].to_state == state
    assert not valid_licences().filter(pk__in=[r.pk for r in rows]).exists()
    with pytest.raises(PermissionDenied):
        licence_purge(actor=clerk, licence_code=rows[0].licence_code, reason="测试")
    sysadmin = StaffFactory(username="root", organisation=orgs["province"], is_superuser=True)
    name = rows[0].ofd_file.name
    storage = rows[0].ofd_file.storage
    with pytest.raises(ValidationError):
        licence_purge(actor=sysadmin, licence_code=rows[0].licence_code, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        assert licence_purge(actor=sysadmin, licence_code=rows[0].licence_code, reason="错误录入") == 1
    assert not Licence.objects.filter(licence_code=rows[0].licence_code).exists() and not storage.exists(name)


def test_other_region_cannot_enter_or_review(world, orgs):
    outsider = grant(StaffFactory(username="qq_clerk", organisation=orgs["qiqihar"]), *LICENCE_PERMS)
    with pytest.raises(PermissionDenied):
        licence_enter(actor=outsider, template=world["template"], issuer=world["dept"], data=licence_data(1))
    licence = approved(world, 2)
    with pytest.raises(PermissionDenied):
        licence_seal(actor=outsider, licence=licence, seal=world["seal"], certificate=world["pki"]["signer"])
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.AWAITING_SEALING


@pytest.mark.spec("LIC-1.25")
@pytest.mark.django_db(transaction=True)
def test_identifiers_are_valid_and_never_repeat_under_concurrency(orgs):
    code = identifiers.build("11100000000013338W001", orgs["harbin_dept"].credit_code, 2026, 1)
    assert identifiers.is_valid(code) and code.startswith("1.2.156.3005.2.11100000000013338W001.")
    assert not identifiers.is_valid(code[:-1] + ("0" if code[-1] != "0" else "1"))

    def allocate(_):
        try:
            return identifiers.allocate("11100000000013338W001", orgs["harbin_dept"].credit_code, 2026)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(allocate, range(1000)))
    assert len(set(codes)) == 1000 and all(identifiers.is_valid(c) for c in codes)
