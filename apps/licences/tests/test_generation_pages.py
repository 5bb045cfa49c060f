"""Generation channel pages (LIC-4.1 on the portal): which department system produced which licences,
counts, failed and refused calls and sealings, and the retry that seals what was left awaiting sealing —
through the pages as a sharing administrator meets them; authorisation matrix and scope."""

import re

import pytest

from apps.core.models import OutboxMessage
from apps.identity.tests.factories import StaffFactory
from apps.licences import tasks
from apps.licences.models import Licence, LicenceStatus, SharingLog
from apps.licences.ofd.verify import verify_ofd
from apps.licences.services.external_generation import licence_generate_external
from apps.licences.services.pki import trusted_roots
from apps.licences.services.seals import seal_transition
from apps.licences.services.sharing import application_token_issue

from .factories import grant
from .test_external_generation import BODY, channel  # noqa: F401 (fixture)
from .test_sharing import SHARE_PERMS

pytestmark = pytest.mark.django_db
VIEW = ("view_sharingapplication", "view_licence", "view_sharinglog")


@pytest.fixture
def generated(channel, orgs, monkeypatch):  # noqa: F811
    """Three calls: bad data (failed), two good licences; the first sealed, the second's sealing refused
    because the seal was frozen in between."""
    queued = []
    monkeypatch.setattr(tasks.seal_generated, "delay", lambda *args: queued.append(args))
    token, _ = application_token_issue(name="省市场监管局许可系统", password="gen-pass-123", ip="10.0.0.8")
    with pytest.raises(Exception):
        licence_generate_external(token=token, payload={**BODY, "valid_from": "2026/01/01"}, ip="10.0.0.8")
    first = licence_generate_external(token=token, payload=BODY, ip="10.0.0.8")
    second = licence_generate_external(token=token, payload={**BODY, "licence_number": "JY12301000000078"},
                                       ip="10.0.0.8")
    tasks.seal_generated(first.pk, channel["app"].generation_channel.pk)
    admin = channel["seal"].grants.first().granted_by
    seal_transition(actor=admin, seal=channel["seal"], action="freeze", comment="核查用章")
    tasks.seal_generated(second.pk, channel["app"].generation_channel.pk)
    viewer = grant(StaffFactory(username="gen_viewer", organisation=orgs["province"]), *SHARE_PERMS, *VIEW)
    return {**channel, "first": first, "second": second, "viewer": viewer, "admin": admin,
            "channel": channel["app"].generation_channel}


def _row(html: str, name: str) -> str:
    match = re.search(r"<tr>(?:(?!</tr>).)*" + re.escape(name) + r"(?:(?!</tr>).)*</tr>", html, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "|", match.group(0))


@pytest.mark.spec("LIC-4.1")
def test_channel_pages_show_counts_failures_and_retry_seals_what_was_left(client, generated):
    channel, viewer = generated["channel"], generated["viewer"]
    client.force_login(viewer)
    html = client.get("/portal/licences/generation/").content.decode()
    cells = [c.strip() for c in _row(html, "省市场监管局许可系统").split("|") if c.strip()]
    # application, issuer, template, seal, state, generated 2, sealed 1, awaiting 1, failed calls 2
    assert cells[-5:] == ["启用", "2", "1", "1", "2"], cells
    assert "证照生成接入" in client.get("/portal/").content.decode()        # menu entry

    detail = client.get(f"/portal/licences/generation/{channel.pk}/").content.decode()
    pending = detail[detail.index('id="pending"'):detail.index('id="recent"')]
    assert generated["second"].licence_code in pending and generated["first"].licence_code not in pending
    failures = detail[detail.index('id="failures"'):]
    assert "盖章失败：印章状态为“已冻结”，不能签章。" in failures and "日期格式应为 YYYY-MM-DD" in failures
    assert 'data-stat="pending">1<' in detail

    # retry while the seal is still frozen: refused again, logged again, nothing half-written
    response = client.post(f"/portal/licences/generation/{channel.pk}/", {"action": "retry"}, follow=True)
    assert "盖章成功 0 个，失败 1 个；仍待盖章 1 个" in response.content.decode()
    generated["second"].refresh_from_db()
    assert generated["second"].status == LicenceStatus.AWAITING_SEALING and not generated["second"].ofd_file
    assert SharingLog.objects.filter(detail__startswith="盖章失败").count() == 2

    # unfrozen: the retry seals it, once; the catalogue row is reported once per licence
    seal_transition(actor=generated["admin"], seal=generated["seal"], action="unfreeze", comment="核查完毕")
    response = client.post(f"/portal/licences/generation/{channel.pk}/", {"action": "retry"}, follow=True)
    text = response.content.decode()
    assert "盖章成功 1 个，失败 0 个；仍待盖章 0 个" in text and "没有待盖章的证照。" in text
    second = Licence.objects.get(pk=generated["second"].pk)
    assert second.status == LicenceStatus.VALID
    assert verify_ofd(second.ofd_file.read(), trusted_roots=trusted_roots()).verdict == "valid"
    client.post(f"/portal/licences/generation/{channel.pk}/", {"action": "retry"})    # nothing left: no-op
    assert OutboxMessage.objects.filter(peer="licences.national").count() == 2
    assert Licence.objects.filter(generation_channel=channel, status=LicenceStatus.VALID).count() == 2

    # which channel produced which licences: the licence shows its channel, the search filters by it
    page = client.get(second.get_absolute_url()).content.decode()
    assert "省市场监管局许可系统" in page and "接口产生" in page
    listing = client.get("/portal/licences/?status=&channel=许可系统").content.decode()
    assert second.licence_number in listing
    assert second.licence_number not in client.get("/portal/licences/?status=&channel=别的系统").content.decode()


def test_channel_pages_authorisation_matrix(client, generated, citizen, orgs):
    channel = generated["channel"]
    url = f"/portal/licences/generation/{channel.pk}/"
    assert client.get(url).status_code == 302                                        # anonymous → login
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)
    client.force_login(StaffFactory(username="gen_noperm", organisation=orgs["harbin_dept"]))
    assert client.get(url).status_code == 403
    assert client.get("/portal/licences/generation/").status_code == 403
    other = grant(StaffFactory(username="gen_qq", organisation=orgs["qiqihar"]), *SHARE_PERMS, *VIEW)
    client.force_login(other)                                                        # other region
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "retry"}).status_code == 404
    assert "省市场监管局许可系统" not in client.get("/portal/licences/generation/").content.decode()
    reader = grant(StaffFactory(username="gen_reader", organisation=orgs["province"]), *VIEW)
    client.force_login(reader)                                                       # may look, may not retry
    seal_transition(actor=generated["admin"], seal=generated["seal"], action="unfreeze", comment="核查完毕")
    page = client.get(url).content.decode()
    assert "重新盖章" not in page
    response = client.post(url, {"action": "retry"}, follow=True)
    assert "您没有执行此操作的权限" in response.content.decode()
    generated["second"].refresh_from_db()
    assert generated["second"].status == LicenceStatus.AWAITING_SEALING


def test_channel_list_queries_do_not_grow_with_licences(client, generated, django_assert_max_num_queries):
    client.force_login(generated["viewer"])
    with django_assert_max_num_queries(14):
        assert client.get("/portal/licences/generation/").status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(f"/portal/licences/generation/{generated['channel'].pk}/").status_code == 200
