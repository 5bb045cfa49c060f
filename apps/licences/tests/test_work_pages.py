"""Licence work pages as clerks and reviewers meet them: entry and drafts box, work list tabs, detail
actions (submit, review, seal, change, annual inspection, cancel / abolish / report lost) and the
centralised batch seal started from the 待盖章 tab."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.models import StateTransition
from apps.core.models.jobs import JobRun, JobStatus
from apps.identity.tests.factories import StaffFactory
from apps.licences.models import (
    Licence,
    LicenceStatus,
    SigningLog,
    TemplateMapping,
)
from apps.licences.ofd.verify import verify_ofd
from apps.licences.services.licences import (
    licence_enter,
    licence_review,
    licence_seal,
    licence_submit,
)
from apps.licences.services.pki import trusted_roots
from apps.licences.services.seals import seal_transition
from apps.licences.tasks import seal_batch

from .factories import LICENCE_PERMS, grant, licence_data, licence_template
from .test_licence_lifecycle import world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

WORK = "/portal/licences/work/"
ENTER = "/portal/licences/work/new/"


@pytest.fixture
def desk(world):  # noqa: F811
    """The world of the lifecycle tests plus the issuer–template–matter mapping for the clerk's department."""
    TemplateMapping.objects.create(template=world["template"], issuer=world["dept"], item_code="230100-SP-001",
                                   item_name="食品经营许可")
    world["signer"] = f"{world['seal'].pk}:{world['pki']['signer'].pk}"
    return world


def entry_post(desk, **overrides):
    data = {"template": desk["template"].pk, "issuer": desk["dept"].pk, "name": "食品经营许可证",
            "licence_number": "JY12301000099", "holder_name": "哈尔滨冰城餐饮有限公司", "holder_kind": "legal_person",
            "holder_code": "91230100MA1B2C3D4E", "valid_from": "2026-01-01", "valid_until": "2030-12-31",
            "face_address": "哈尔滨市道里区中央大街1号", "face_scope": "热食类食品制售", "save": "entry"}
    data.update(overrides)
    return data


def make(desk, n, status=LicenceStatus.ENTERED):
    clerk = desk["clerk"]
    licence = licence_enter(actor=clerk, template=desk["template"], issuer=desk["dept"], data=licence_data(n))
    if status == LicenceStatus.ENTERED:
        return licence
    licence_submit(actor=clerk, licences=[licence])
    if status == LicenceStatus.IN_REVIEW:
        return Licence.objects.get(pk=licence.pk)
    licence = licence_review(actor=clerk, licence=licence, approve=True)
    if status == LicenceStatus.AWAITING_SEALING:
        return licence
    return licence_seal(actor=clerk, licence=licence, seal=desk["seal"], certificate=desk["pki"]["signer"])


def action(client, licence, name, **extra):
    return client.post(f"/portal/licences/{licence.pk}/action/", {"action": name, **extra}, follow=True)


@pytest.mark.spec("LIC-1.7", "LIC-1.9")
def test_clerk_enters_saves_draft_and_completes_it_from_the_drafts_box(client, desk, orgs):
    clerk = desk["clerk"]
    unmapped = licence_template(orgs["province"], name="未映射的许可证")
    client.force_login(clerk)
    page = client.get(ENTER).content.decode()
    assert "食品经营许可" in page and "未映射的许可证" not in page
    assert client.get(f"{ENTER}?template={unmapped.pk}&issuer={desk['dept'].pk}").status_code == 404
    form = client.get(f"{ENTER}?template={desk['template'].pk}&issuer={desk['dept'].pk}").content.decode()
    assert "经营场所" in form and "保存草稿" in form and "提交录入" in form

    # bad input: the form again with field errors, nothing written
    before = Licence.objects.count()
    response = client.post(ENTER, entry_post(desk, holder_name="", face_address="", valid_until="2025-01-01"))
    body = response.content.decode()
    assert response.status_code == 400 and "此项为必填项" in body and "请填写照面信息“经营场所”" in body
    assert "有效期截止日期不能早于开始日期" in body
    assert Licence.objects.count() == before
    assert client.post(ENTER, entry_post(desk, valid_from="2026-13-40")).status_code == 400
    assert client.post(ENTER, {**entry_post(desk), "issuer": orgs["qiqihar"].pk}).status_code == 404
    assert Licence.objects.count() == before

    # save a draft with only the name → drafts box; another clerk's drafts box does not show it
    response = client.post(ENTER, entry_post(desk, licence_number="", holder_name="", holder_code="", face_address="",
                                             save="draft"), follow=True)
    draft = Licence.objects.get(status=LicenceStatus.DRAFT)
    assert "已保存到草稿箱" in response.content.decode() and draft.created_by == clerk
    drafts = client.get(f"{WORK}?tab=draft").content.decode()
    assert f"/portal/licences/{draft.pk}/complete/" in drafts
    colleague = grant(StaffFactory(username="colleague", organisation=desk["dept"]), *LICENCE_PERMS)
    client.force_login(colleague)
    assert f"/portal/licences/{draft.pk}/complete/" not in client.get(f"{WORK}?tab=draft").content.decode()
    assert client.get(f"/portal/licences/{draft.pk}/complete/").status_code == 404

    # completing reuses the form; incomplete → errors, still a draft; complete → entered, same identifier
    client.force_login(clerk)
    url = f"/portal/licences/{draft.pk}/complete/"
    assert "补全并提交录入" in client.get(url).content.decode()
    response = client.post(url, entry_post(desk, holder_name="只填了一项", licence_number="", face_address=""))
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()
    assert Licence.objects.get(pk=draft.pk).status == LicenceStatus.DRAFT
    client.post(url, entry_post(desk))
    completed = Licence.objects.get(pk=draft.pk)
    assert completed.status == LicenceStatus.ENTERED and completed.licence_code == draft.licence_code
    assert completed.face_data["address"] == "哈尔滨市道里区中央大街1号"
    assert client.get(url).status_code == 404  # no longer a draft

    # a full entry goes straight to 已录入
    response = client.post(ENTER, entry_post(desk, licence_number="JY12301000100"), follow=True)
    entered = Licence.objects.get(licence_number="JY12301000100")
    assert entered.status == LicenceStatus.ENTERED and entered.holder_code == "91230100MA1B2C3D4E"
    assert "提交审核" in response.content.decode()


@pytest.mark.spec("LIC-1.8")
def test_submit_reject_with_reason_resubmit_and_approve_on_the_detail_page(client, desk):
    licence = make(desk, 1)
    reviewer = grant(StaffFactory(username="reviewer", organisation=desk["dept"]), "view_licence", "review_licence")
    client.force_login(desk["clerk"])
    assert "已提交审核" in action(client, licence, "submit").content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.IN_REVIEW

    # a clerk without the review permission sees no review buttons, and the POST is refused
    viewer = grant(StaffFactory(username="viewer", organisation=desk["dept"]), "view_licence")
    client.force_login(viewer)
    assert "审核通过" not in client.get(licence.get_absolute_url()).content.decode()
    assert "没有执行此操作的权限" in action(client, licence, "approve").content.decode()

    client.force_login(reviewer)
    detail = client.get(licence.get_absolute_url()).content.decode()
    assert "审核通过" in detail and "退回原因" in detail and 'name="signer"' not in detail
    transitions = StateTransition.objects.count()
    body = action(client, licence, "reject", reason="   ").content.decode()
    assert "退回时请填写原因" in body
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.IN_REVIEW and StateTransition.objects.count() == transitions

    action(client, licence, "reject", reason="经营场所与营业执照不一致")
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ENTERED and licence.reject_reason == "经营场所与营业执照不一致"
    client.force_login(desk["clerk"])
    assert "经营场所与营业执照不一致" in client.get(licence.get_absolute_url()).content.decode()
    assert "被退回" in client.get(f"{WORK}?tab=entered").content.decode()
    action(client, licence, "submit")
    client.force_login(reviewer)
    assert "等待盖章" in action(client, licence, "approve").content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.AWAITING_SEALING and licence.reject_reason == ""
    assert "不能执行此操作" in action(client, licence, "approve").content.decode()


@pytest.mark.spec("LIC-1.18")
def test_seal_one_licence_only_with_a_granted_usable_seal(client, desk, orgs):
    licence = make(desk, 2, LicenceStatus.AWAITING_SEALING)
    # a sealer without a grant for the seal: no choice offered, a forged POST refused, nothing written
    sealer = grant(StaffFactory(username="nogrant", organisation=desk["dept"]), *LICENCE_PERMS)
    client.force_login(sealer)
    assert "您没有可用的印章授权" in client.get(licence.get_absolute_url()).content.decode()
    body = action(client, licence, "seal", signer=desk["signer"]).content.decode()
    assert "未获得该印章的使用授权" in body
    assert "请选择您已获授权的印章" in action(client, licence, "seal", signer="x").content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.AWAITING_SEALING and not SigningLog.objects.filter(
        request_message__licence=licence.licence_code).exists()

    # a frozen seal cannot sign
    seal_transition(actor=desk["admin"], seal=desk["seal"], action="freeze", comment="核查")
    client.force_login(desk["clerk"])
    assert "不能签章" in action(client, licence, "seal", signer=desk["signer"]).content.decode()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.AWAITING_SEALING and not licence.ofd_file
    seal_transition(actor=desk["admin"], seal=desk["seal"], action="unfreeze", comment="核查完毕")

    detail = client.get(licence.get_absolute_url()).content.decode()
    assert desk["seal"].name in detail and f'value="{desk["signer"]}"' in detail
    assert "（证书：电子证照签章服务器证书）" in detail and "Common Name" not in detail
    body = action(client, licence, "seal", signer=desk["signer"]).content.decode()
    assert "盖章完成" in body and "有效" in body
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID
    assert verify_ofd(licence.ofd_file.read(), trusted_roots=trusted_roots()).verdict == "valid"
    assert SigningLog.objects.filter(sealer=desk["clerk"]).count() == 1


@pytest.mark.spec("LIC-1.11", "LIC-1.12")
def test_change_and_annual_inspection_make_a_new_version_for_review(client, desk):
    licence = make(desk, 3, LicenceStatus.VALID)
    client.force_login(desk["clerk"])
    url = f"/portal/licences/{licence.pk}/change/"
    page = client.get(url).content.decode()
    assert "证照编号" in page and "经营场所" in page and "持证主体代码" not in page
    fields = {"licence_number": licence.licence_number, "holder_kind": "legal_person", "valid_from": "2026-01-01",
              "valid_until": "2030-12-31", "face_address": "哈尔滨市道里区中央大街1号", "face_scope": "热食类食品制售"}
    count = Licence.objects.count()
    assert "没有修改任何内容" in client.post(url, fields).content.decode()
    response = client.post(url, {**fields, "licence_number": " "})
    assert response.status_code == 400 and "此项为必填项" in response.content.decode()
    response = client.post(url, {**fields, "valid_until": "2020-01-01"})
    assert response.status_code == 400 and "有效期截止日期不能早于开始日期" in response.content.decode()
    assert Licence.objects.count() == count

    response = client.post(url, {**fields, "face_address": "哈尔滨市南岗区红军街8号"}, follow=True)
    new = Licence.objects.get(licence_code=licence.licence_code, version=2)
    assert "变更已保存为第 2 版" in response.content.decode()
    assert new.status == LicenceStatus.IN_REVIEW and new.face_data["address"] == "哈尔滨市南岗区红军街8号"
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.SUPERSEDED
    assert client.get(url).status_code == 404  # the old version can no longer change

    other = make(desk, 4, LicenceStatus.VALID)
    body = action(client, other, "annual_inspection").content.decode()
    assert "年检已登记" in body
    assert Licence.objects.get(licence_code=other.licence_code, version=2).status == LicenceStatus.IN_REVIEW
    assert Licence.objects.get(pk=other.pk).status == LicenceStatus.SUPERSEDED


@pytest.mark.spec("LIC-1.13", "LIC-1.14", "LIC-1.15")
def test_cancel_abolish_report_lost_need_a_reason_and_go_to_history(client, desk):
    client.force_login(desk["clerk"])
    for n, (name, status) in enumerate((("cancel", LicenceStatus.CANCELLED), ("abolish", LicenceStatus.ABOLISHED),
                                        ("report_lost", LicenceStatus.REPORTED_LOST)), start=10):
        licence = make(desk, n, LicenceStatus.VALID)
        assert "请填写原因" in action(client, licence, name, reason="").content.decode()
        assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.VALID
        body = action(client, licence, name, reason="持证主体申请").content.decode()
        licence.refresh_from_db()
        assert licence.status == status and "移入历史库" in body and licence.ofd_file
        assert StateTransition.objects.filter(object_id=licence.pk, to_state=status, comment="持证主体申请").exists()
        assert 'id="licence-actions"' not in client.get(licence.get_absolute_url()).content.decode()
    history = client.get(f"{WORK}?tab=history").content.decode()
    assert history.count('data-status="cancelled"') == 1 and 'data-status="reported_lost"' in history


@pytest.mark.spec("LIC-1.18")
def test_batch_seal_from_the_awaiting_tab_runs_as_a_job(client, desk, orgs, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    batch = [make(desk, n, LicenceStatus.AWAITING_SEALING) for n in range(20, 23)]
    queued = []
    monkeypatch.setattr(seal_batch, "delay", lambda job_id: queued.append(job_id))
    client.force_login(desk["clerk"])
    tab = client.get(f"{WORK}?tab=awaiting_sealing").content.decode()
    assert tab.count('name="licence"') == 3 and "本页全部盖章" in tab and desk["seal"].name in tab

    # refusals: nothing selected, out-of-scope licence, frozen seal, no grant — no job, nothing sealed
    jobs = JobRun.objects.count()
    post = {"signer": desk["signer"], "scope": "selected"}
    assert "请至少选择" in client.post("/portal/licences/work/seal-batch/", post, follow=True).content.decode()
    foreign = Licence.objects.create(licence_code="X", template=desk["template"], issuer=orgs["qiqihar"],
                                     name="x", licence_number="x", holder_name="x", holder_kind="legal_person",
                                     holder_code="x", valid_from=dt.date(2026, 1, 1), created_by=desk["admin"],
                                     status=LicenceStatus.AWAITING_SEALING)
    body = client.post("/portal/licences/work/seal-batch/", {**post, "licence": [batch[0].pk, foreign.pk]},
                       follow=True).content.decode()
    assert "不在您数据范围内" in body
    seal_transition(actor=desk["admin"], seal=desk["seal"], action="freeze", comment="核查")
    body = client.post("/portal/licences/work/seal-batch/", {**post, "licence": [batch[0].pk]},
                       follow=True).content.decode()
    assert "不能签章" in body
    seal_transition(actor=desk["admin"], seal=desk["seal"], action="unfreeze", comment="核查完毕")
    nogrant = grant(StaffFactory(username="nogrant2", organisation=desk["dept"]), *LICENCE_PERMS)
    client.force_login(nogrant)
    body = client.post("/portal/licences/work/seal-batch/", {**post, "licence": [batch[0].pk]},
                       follow=True).content.decode()
    assert "未获得该印章的使用授权" in body
    assert JobRun.objects.count() == jobs and not queued

    # the clerk selects two → a job on the signing queue, the job page shows progress and the result
    client.force_login(desk["clerk"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/portal/licences/work/seal-batch/",
                               {**post, "licence": [batch[0].pk, batch[2].pk]})
    job = JobRun.objects.get(kind="licences.seal_batch")
    assert response.status_code == 302 and response["Location"] == f"/portal/core/jobs/{job.pk}/"
    assert queued == [job.pk] and job.params["licence_ids"] == sorted([batch[0].pk, batch[2].pk])
    seal_batch(job.pk)  # the signing worker runs it
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.done == 2
    assert "已开始集中盖章：2 个证照" in client.get(response["Location"]).content.decode()
    statuses = dict(Licence.objects.filter(pk__in=[x.pk for x in batch]).values_list("pk", "status"))
    assert statuses == {batch[0].pk: "valid", batch[1].pk: "awaiting_sealing", batch[2].pk: "valid"}

    # "all on this page" takes every licence listed on the page
    tab = client.get(f"{WORK}?tab=awaiting_sealing").content.decode()
    assert tab.count('name="page_licence"') == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/licences/work/seal-batch/", {**post, "scope": "page", "page_licence": [batch[1].pk]})
    seal_batch(queued[-1])
    assert Licence.objects.get(pk=batch[1].pk).status == LicenceStatus.VALID


def test_work_pages_authorisation_matrix(client, desk, citizen, orgs):
    licence = make(desk, 30, LicenceStatus.IN_REVIEW)
    urls = [WORK, ENTER, f"/portal/licences/{licence.pk}/"]
    for url in urls:  # anonymous → login
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(citizen)
    for url in urls:
        assert client.get(url).status_code in (302, 403)
    assert client.post(f"/portal/licences/{licence.pk}/action/", {"action": "approve"}).status_code in (302, 403)
    client.force_login(StaffFactory(username="noperm", organisation=desk["dept"]))
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(f"/portal/licences/{licence.pk}/action/", {"action": "approve"}).status_code == 403
    assert client.post("/portal/licences/work/seal-batch/", {"licence": [licence.pk]}).status_code == 403
    other = grant(StaffFactory(username="qq", organisation=orgs["qiqihar"]), *LICENCE_PERMS)
    client.force_login(other)
    assert licence.licence_number not in client.get(f"{WORK}?tab=in_review").content.decode()
    assert "食品经营许可" not in client.get(ENTER).content.decode()
    assert client.get(f"{ENTER}?template={desk['template'].pk}&issuer={desk['dept'].pk}").status_code == 404
    assert client.get(f"/portal/licences/{licence.pk}/").status_code == 404
    assert client.post(f"/portal/licences/{licence.pk}/action/", {"action": "approve"}).status_code == 404
    assert Licence.objects.get(pk=licence.pk).status == LicenceStatus.IN_REVIEW
    client.force_login(desk["clerk"])
    page = client.get(f"{WORK}?tab=in_review").content.decode()
    assert licence.licence_number in page and 'data-tab="in_review"' in page


def test_work_list_tabs_count_in_one_query_and_do_not_grow_with_rows(client, desk):
    client.force_login(desk["clerk"])
    make(desk, 40)
    licence_enter(actor=desk["clerk"], template=desk["template"], issuer=desk["dept"], data={"name": "草稿"},
                  draft=True)
    make(desk, 41, LicenceStatus.AWAITING_SEALING)
    client.get(WORK)  # warm caches (menu, permissions)

    def queries(tab):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{WORK}?tab={tab}").status_code == 200
        return len(ctx)

    few = {tab: queries(tab) for tab in ("entered", "awaiting_sealing", "history", "draft")}
    for n in range(42, 50):
        make(desk, n)
        make(desk, n + 100, LicenceStatus.AWAITING_SEALING)
    assert {tab: queries(tab) for tab in few} == few
    assert max(few.values()) <= 14, few
    page = client.get(f"{WORK}?tab=entered").content.decode()
    assert '<span class="lic-count">9</span>' in page and '<span class="lic-count">1</span>' in page


def test_inbox_names_licences_awaiting_review_and_sealing_for_those_who_may_act(desk):
    from apps.core.navigation import inbox_for

    make(desk, 60, LicenceStatus.IN_REVIEW)
    make(desk, 61, LicenceStatus.AWAITING_SEALING)
    make(desk, 62, LicenceStatus.AWAITING_SEALING)
    titles = {item.title: item.url for item in inbox_for(desk["clerk"])}
    assert titles["1 个证照待审核"] == f"{WORK}?tab=in_review"
    assert titles["2 个证照待盖章"] == f"{WORK}?tab=awaiting_sealing"
    viewer = grant(StaffFactory(username="viewer2", organisation=desk["dept"]), "view_licence")
    assert not [t for t in (i.title for i in inbox_for(viewer)) if "待审核" in t or "待盖章" in t]
