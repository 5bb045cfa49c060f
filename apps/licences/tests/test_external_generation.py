"""Licence generation interface for provincial-direct department systems (LIC-4.1), over real HTTP:
registered application + own credentials + daily limit, catalogue validation (nothing written on bad data),
GB/T 36904 identifier, OFD rendered from the template, sealing queued and done, catalogue reported."""

import datetime as dt

import pytest
import requests
from django.utils import timezone

from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import OutboxMessage
from apps.core.outbox import deliver
from apps.identity.tests.factories import StaffFactory
from apps.licences import identifiers, tasks
from apps.licences.models import Licence, LicenceStatus, SharingInterface, SharingLog
from apps.licences.ofd.verify import verify_ofd
from apps.licences.peers.national import NationalLicencePlatformSimulator
from apps.licences.services.external_generation import generation_channel_save
from apps.licences.services.pki import trusted_roots
from apps.licences.services.sharing import access_right_save, sharing_application_save, sharing_interfaces_seed

from .factories import LICENCE_PERMS, demo_pki, grant, licence_template, seal_admin, valid_seal
from .test_sharing import SHARE_PERMS

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()
BODY = {"type_code": "11100000000013338W001", "licence_number": "JY12301000000077", "holder_name": "哈尔滨冰城餐饮有限公司",
        "holder_code": "91230100MA1B2C3D49", "valid_from": "2026-01-01", "valid_until": "2030-12-31",
        "face_data": {"address": "哈尔滨市道里区中央大街1号", "scope": "热食类食品制售"}}


@pytest.fixture
def channel(orgs, settings):
    admin = seal_admin(orgs["province"], "gen_seal_admin")
    pki = demo_pki(admin, orgs["province"])
    dept = orgs["harbin_dept"]
    robot = grant(StaffFactory(username="gen_robot", organisation=dept), *LICENCE_PERMS)
    seal = valid_seal(admin, dept, pki, "哈尔滨市市场监督管理局电子证照专用章")
    seal.grants.create(user=robot, granted_by=admin)
    template = licence_template(orgs["province"])
    share_admin = grant(StaffFactory(username="gen_share_admin", organisation=orgs["province"]), *SHARE_PERMS)
    sharing_interfaces_seed(actor=share_admin, organisation=orgs["province"])
    app = sharing_application_save(actor=share_admin, name="省市场监管局许可系统", password="gen-pass-123",
                                   valid_until=TODAY + dt.timedelta(days=30), organisation=orgs["province"])
    access_right_save(actor=share_admin, interface=SharingInterface.objects.get(code="licence-generate"),
                      application=app, valid_until=TODAY + dt.timedelta(days=30), daily_limit=3)
    generation_channel_save(actor=share_admin, application=app, issuer=dept, templates=[template], seal=seal,
                            certificate=pki["signer"], signer=robot)
    return {"app": app, "dept": dept, "template": template, "seal": seal}


@pytest.fixture
def national(settings):
    simulator = NationalLicencePlatformSimulator()
    with SimulatorServer(simulator) as server:
        settings.LICENCES_NATIONAL_PLATFORM_URL = server.url
        yield simulator


@pytest.mark.spec("LIC-4.1")
def test_department_system_generates_a_sealed_national_standard_licence(live_server, channel, national,
                                                                        monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.seal_generated, "delay", lambda *args: queued.append(args))
    base = live_server.url + "/api/v1/licences/share/"
    assert requests.post(base + "token/", json={"name": "省市场监管局许可系统", "password": "wrong"}).status_code == 401
    tok = requests.post(base + "token/", json={"name": "省市场监管局许可系统", "password": "gen-pass-123"}).json()["token"]
    headers = {"X-Share-Token": tok}
    assert requests.post(base + "generate/", json=BODY).status_code == 401                       # no token

    # bad data: every problem named by data item, nothing written
    bad = {**BODY, "holder_code": "91230100MA1B2C3D4X", "valid_from": "2026/01/01", "colour": "red",
           "face_data": {"address": "", "scope": "热食", "unknown_item": "x"}}
    response = requests.post(base + "generate/", json=bad, headers=headers)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"holder_code", "valid_from", "unknown", "face_data", "face_data.address"} <= set(errors)
    assert "colour" in errors["unknown"][0] and "unknown_item" in errors["face_data"][0]
    other_type = requests.post(base + "generate/", json={**BODY, "type_code": "11100000000013338W009"}, headers=headers)
    assert other_type.status_code == 400 and "11100000000013338W009" in other_type.json()["detail"]
    assert Licence.objects.count() == 0 and queued == []

    # good data: identifier returned, licence stored awaiting sealing, sealing queued
    response = requests.post(base + "generate/", json=BODY, headers=headers)
    assert response.status_code == 201, response.text
    code = response.json()["licence_code"]
    assert identifiers.is_valid(code) and code.split(".")[5] == BODY["type_code"]
    assert code.split(".")[6] == channel["dept"].credit_code
    licence = Licence.objects.get(licence_code=code)
    assert (licence.status, licence.source, licence.holder_code) == ("awaiting_sealing", "interface",
                                                                     BODY["holder_code"])
    assert licence.face_data == BODY["face_data"]
    assert len(queued) == 1

    # the worker seals it; a redelivered task seals nothing twice; the catalogue row goes to the national platform
    tasks.seal_generated(*queued[0])
    tasks.seal_generated(*queued[0])
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID and licence.seal_id == channel["seal"].pk
    report = verify_ofd(licence.ofd_file.read(), trusted_roots=trusted_roots())
    assert report.verdict == "valid", report
    messages = OutboxMessage.objects.filter(peer="licences.national")
    assert messages.count() == 1
    deliver(messages.get().pk)
    row = national.rows[code]
    assert row["type_code"] == BODY["type_code"] and row["issuer_code"] == channel["dept"].credit_code
    assert row["access_url"].endswith(f"/licences/verify/code/{code}/")

    # daily limit 3: three calls were admitted (bad data, other type, good); the 5th is refused clearly
    refused = requests.post(base + "generate/", json={**BODY, "licence_number": "JY2"}, headers=headers)
    assert refused.status_code == 429 and "已达到今日允许访问次数（3 次）" in refused.json()["detail"]
    assert Licence.objects.count() == 1
    outcomes = list(SharingLog.objects.filter(interface_code="licence-generate").order_by("pk")
                    .values_list("outcome", flat=True))
    assert outcomes == ["refused", "ok", "failed", "ok", "failed", "ok", "refused"]


def test_an_application_without_a_channel_or_right_is_refused(live_server, channel, orgs):
    share_admin = grant(StaffFactory(username="gen_admin2", organisation=orgs["province"]), *SHARE_PERMS)
    sharing_application_save(actor=share_admin, name="无生成权限系统", password="other-pass-1",
                             valid_until=TODAY + dt.timedelta(days=30), organisation=orgs["province"])
    base = live_server.url + "/api/v1/licences/share/"
    tok = requests.post(base + "token/", json={"name": "无生成权限系统", "password": "other-pass-1"}).json()["token"]
    response = requests.post(base + "generate/", json=BODY, headers={"X-Share-Token": tok})
    assert response.status_code == 403 and "无权访问接口" in response.json()["detail"]
    assert Licence.objects.count() == 0
