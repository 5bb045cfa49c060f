"""Seal pages end to end (acceptance check 19): application → impression approval → production → valid →
freeze → unfreeze → change → revoke; expired → renew; unregistered makers cannot produce (LIC-8.2)."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import Seal, SealMaker, SealStatus
from apps.licences.services.seals import seals_expire_due
from apps.licences.tasks import seals_expire_due_task

from .conftest import png_bytes
from .factories import demo_pki, grant, seal_admin

pytestmark = pytest.mark.django_db


def impression():
    f = io.BytesIO(png_bytes("印模"))
    f.name = "seal.png"
    return f


@pytest.mark.spec("LIC-7.4", "LIC-7.7", "LIC-8.5", "LIC-8.7")
def test_apply_approve_produce_freeze_change_revoke_renew_through_the_pages(client, orgs):
    admin = seal_admin(orgs["province"])
    pki = demo_pki(admin, orgs["province"])
    client.force_login(admin)
    until = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    form = {"name": "哈尔滨市市场监督管理局公章", "organisation": orgs["harbin_dept"].pk, "issuer": pki["issuer"].pk,
            "production_mode": "centralised", "certificates": [pki["signer"].pk], "valid_until": until}
    response = client.post("/portal/licences/seals/apply/", {**form, "impression": impression(),
                                                             "valid_until": "2000-01-01"})
    assert response.status_code == 400 and not Seal.objects.exists()
    response = client.post("/portal/licences/seals/apply/", {**form, "impression": impression()})
    seal = Seal.objects.get()
    url = f"/portal/licences/seals/{seal.pk}/"
    assert response.url == url and seal.status == SealStatus.REQUESTED
    client.post(url, {"action": "approve"})
    unregistered = SealMaker.objects.create(code="rogue", name="未注册制章系统", organisation=orgs["province"],
                                            certificate=pki["maker_cert"])
    response = client.post(url, {"action": "produce", "maker": unregistered.pk}, follow=True)
    assert "未注册" in response.content.decode()
    seal.refresh_from_db()
    assert seal.status == SealStatus.IMPRESSION_APPROVED and not seal.seal_der
    client.post(url, {"action": "produce", "maker": pki["maker"].pk})
    steps = [("freeze", SealStatus.FROZEN), ("unfreeze", SealStatus.VALID)]
    for action, state in steps:
        client.post(url, {"action": action, "comment": "核查"})
        seal.refresh_from_db()
        assert seal.status == state
    version = seal.version
    client.post(url, {"action": "change", "name": "哈尔滨市市场监督管理局行政审批专用章", "comment": "更名"})
    seal.refresh_from_db()
    assert seal.name == "哈尔滨市市场监督管理局行政审批专用章" and seal.version == version + 1
    assert seals_expire_due(now=seal.valid_until + dt.timedelta(seconds=1)) == 1
    seal.refresh_from_db()
    assert seal.status == SealStatus.EXPIRED
    response = client.post(url, {"action": "renew", "valid_until": "not-a-date"}, follow=True)
    assert "有效的日期" in response.content.decode()
    new_until = (timezone.localdate() + dt.timedelta(days=800)).isoformat()
    client.post(url, {"action": "renew", "valid_until": new_until})
    seal.refresh_from_db()
    assert seal.status == SealStatus.VALID and seal.valid_until.date().isoformat() == new_until
    client.post(url, {"action": "revoke", "comment": "违规使用"})
    seal.refresh_from_db()
    assert seal.status == SealStatus.REVOKED
    page = client.get(f"/licences/seals/{seal.es_id}/").content.decode()
    assert "已吊销" in page


def test_apply_page_authorisation(client, orgs, citizen):
    url = "/portal/licences/seals/apply/"
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(username="np", organisation=orgs["harbin_dept"]))
    assert client.get(url).status_code == 403
    outsider = grant(StaffFactory(username="qq_apply", organisation=orgs["qiqihar"]), "add_seal")
    admin = seal_admin(orgs["province"])
    pki = demo_pki(admin, orgs["province"])
    client.force_login(outsider)
    response = client.post(url, {"name": "越权章", "organisation": orgs["harbin_dept"].pk, "issuer": pki["issuer"].pk,
                                 "certificates": [pki["signer"].pk], "impression": impression(),
                                 "valid_until": "2030-01-01"})
    assert response.status_code == 400 and not Seal.objects.exists()


def test_beat_task_expires_due_seals(orgs):
    assert seals_expire_due_task.run() == 0
