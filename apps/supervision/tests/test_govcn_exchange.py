"""The 中国政府网督查平台 exchange over real HTTP: every downstream type in, every upstream type out."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from apps.core.models import OutboxMessage, OutboxStatus, StateTransition
from apps.core.outbox import sweep
from apps.core.tests.conftest import broker_down  # noqa: F401  (fixture)
from apps.supervision.models import (
    Complaint,
    ComplaintSource,
    ComplaintStatus,
    Direction,
    ExchangeMessage,
    ExtensionRequest,
    NetizenEvaluation,
    OverdueReminder,
    PublicationNotice,
    ReconciliationRecord,
    RequestStatus,
    WithdrawalRequest,
)
from apps.supervision.services.exchange import (
    DOWNSTREAM_TYPES,
    UPSTREAM_TYPES,
    complaint_request_extension,
    complaint_request_withdrawal,
)
from apps.supervision.services.sync import govcn_fetch
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tasks import govcn_reconcile_task
from govplatform.celery import app as celery_app

pytestmark = pytest.mark.django_db

CLUE = {"title": "不动产登记多次跑腿", "content": "要求提交重复材料", "name": "王五", "mobile": "13600136000",
        "region_code": "230100000000", "kind": "complaint", "item_code": "B002", "item_name": "不动产登记"}


def take_clue(simulator, **data):
    message_id = simulator.push("clue", data=CLUE | data)
    govcn_fetch()
    key = simulator.keys[message_id]
    return Complaint.objects.get(source=ComplaintSource.GOVCN, business_key=key)


def run(*actions, complaint, people, orgs):
    for action, who, extra in actions:
        if action == "transfer":
            extra = {"department": orgs["harbin_dept"], **extra}
        complaint = complaint_step(complaint=complaint, action=action, actor=people[who], **extra)
    return complaint


@pytest.mark.spec("PORTAL-13.3", "PORTAL-1.2")
def test_clue_is_found_confirmed_read_and_keyed(govcn_simulator, people):
    message_id = govcn_simulator.push("clue", data=CLUE)
    [applied] = govcn_fetch()
    complaint = applied.complaint
    assert complaint.business_key == govcn_simulator.keys[message_id] and complaint.business_key.startswith("BK")
    assert complaint.status == ComplaintStatus.PENDING and complaint.title == CLUE["title"]
    assert applied.read_confirmed_at is not None
    assert govcn_simulator.listing()["downstream"][0]["read"] is True
    assert govcn_fetch() == [] and Complaint.objects.count() == 1     # read data is not returned again


@pytest.mark.spec("PORTAL-13.1", "PORTAL-13.2", "PORTAL-13.4", "PORTAL-1.2", "PORTAL-10.2")
def test_govcn_case_feedback_confirm_closed_and_reopen(govcn_simulator, sms_simulator, people, orgs,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = take_clue(govcn_simulator)
        complaint = run(("accept", "province", {}), ("transfer", "province", {}), ("receive", "dept", {}),
                        ("enter_result", "dept", {"comment": "已退还重复收取材料"}), ("review", "province", {}),
                        ("submit", "province", {}), complaint=complaint, people=people, orgs=orgs)
    [feedback] = govcn_simulator.upstream_of("handling_feedback")
    assert feedback["business_key"] == complaint.business_key and feedback["data"]["opinion"] == "已退还重复收取材料"
    assert OutboxMessage.objects.get(peer="govcn_inspection").status == OutboxStatus.DELIVERED

    govcn_simulator.push("return_for_handling", complaint.business_key, {"reason": "群众不满意，请继续处理"})
    with django_capture_on_commit_callbacks(execute=True):
        govcn_fetch()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.REOPENED
    assert any(m["mobile"] == "13900000013" and "投诉件" in m["content"] for m in sms_simulator.messages[-1:])
    with django_capture_on_commit_callbacks(execute=True):
        complaint = run(("enter_result", "dept", {"comment": "已上门核实并办结"}), ("review", "province", {}),
                        ("submit", "province", {}), complaint=complaint, people=people, orgs=orgs)
    assert len(govcn_simulator.upstream_of("handling_feedback")) == 2
    govcn_simulator.push("confirm_closed", complaint.business_key, {"opinion": "同意办结"})
    govcn_fetch()
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CONCLUDED and complaint.conclusion_confirmed_at
    actions = list(StateTransition.objects.filter(object_id=str(complaint.pk)).values_list("action", flat=True))
    assert "reopen" in actions and actions[-1] == "confirm_closed"


@pytest.mark.spec("PORTAL-13.1", "PORTAL-13.2", "PORTAL-1.2")
def test_retain_and_return_upstream_send_notices(govcn_simulator, people, orgs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        retained = run(("accept", "province", {}), ("retain", "province", {"comment": "省级留存办理"}),
                       complaint=take_clue(govcn_simulator), people=people, orgs=orgs)
        returned = run(("return_upstream", "province", {"comment": "不属于本省管辖"}),
                       complaint=take_clue(govcn_simulator, title="外省问题"), people=people, orgs=orgs)
    assert retained.status == ComplaintStatus.RETAINED and retained.retained
    [notice] = govcn_simulator.upstream_of("retain_notice")
    assert notice["business_key"] == retained.business_key
    [info] = govcn_simulator.upstream_of("return_info")
    assert info["business_key"] == returned.business_key and info["data"]["opinion"] == "不属于本省管辖"
    assert returned.status == ComplaintStatus.RETURNED_UPSTREAM and returned.is_done
    # the retaining handler enters the result himself, then review and feedback as usual
    retained = run(("enter_result", "province", {"comment": "已办理"}), complaint=retained, people=people, orgs=orgs)
    assert retained.status == ComplaintStatus.RESULT_ENTERED


@pytest.mark.spec("PORTAL-1.2", "PORTAL-13.1", "PORTAL-13.2")
def test_extension_and_withdrawal_requests_and_their_replies(govcn_simulator, people, orgs,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = run(("accept", "province", {}), complaint=take_clue(govcn_simulator), people=people, orgs=orgs)
        old_deadline = complaint.deadline
        complaint_request_extension(complaint=complaint, days=5, reason="需现场核查", actor=people["province"])
    with pytest.raises(ValidationError):
        complaint_request_extension(complaint=complaint, days=3, reason="再次", actor=people["province"])
    assert ExtensionRequest.objects.count() == 1                       # one pending request at a time
    [sent] = govcn_simulator.upstream_of("extension_request")
    assert sent["data"]["days"] == 5 and sent["business_key"] == complaint.business_key
    govcn_simulator.push("extension_reply", complaint.business_key, {"approved": True, "opinion": "同意延期"})
    govcn_fetch()
    complaint.refresh_from_db()
    extension = ExtensionRequest.objects.get()
    assert extension.status == RequestStatus.APPROVED and complaint.deadline == extension.new_deadline > old_deadline

    with django_capture_on_commit_callbacks(execute=True):
        complaint_request_withdrawal(complaint=complaint, reason="投诉人已撤诉", actor=people["province"])
    assert govcn_simulator.upstream_of("withdrawal_request")[0]["data"]["reason"] == "投诉人已撤诉"
    govcn_simulator.push("withdrawal_reply", complaint.business_key, {"approved": True, "opinion": "同意撤回"})
    govcn_fetch()
    complaint.refresh_from_db()
    assert WithdrawalRequest.objects.get().status == RequestStatus.APPROVED
    assert complaint.status == ComplaintStatus.WITHDRAWN
    actions = set(StateTransition.objects.filter(object_id=str(complaint.pk)).values_list("action", flat=True))
    assert {"request_extension", "extension_reply", "request_withdrawal", "withdrawal_reply"} <= actions


def test_request_refused_without_permission_or_for_other_channels(govcn_simulator, people, orgs):
    from django.core.exceptions import PermissionDenied, ValidationError

    from apps.supervision.tests.factories import file_complaint

    complaint = take_clue(govcn_simulator)
    with pytest.raises(ValidationError):                              # not accepted yet
        complaint_request_extension(complaint=complaint, days=5, reason="x", actor=people["province"])
    with pytest.raises(PermissionDenied):
        complaint_request_withdrawal(complaint=complaint, reason="x", actor=people["dept"])
    with pytest.raises(ValidationError):
        complaint_request_extension(complaint=file_complaint(), days=5, reason="x", actor=people["province"])
    with pytest.raises(ValidationError):
        complaint_request_extension(complaint=complaint, days=0, reason="x", actor=people["province"])
    assert not ExtensionRequest.objects.exists() and not WithdrawalRequest.objects.exists()
    assert not ExchangeMessage.objects.filter(direction=Direction.UPSTREAM).exists()


@pytest.mark.spec("PORTAL-13.1")
def test_overdue_reminder_netizen_evaluation_and_publication_notice_attach_to_the_case(govcn_simulator, people):
    complaint = take_clue(govcn_simulator)
    key = complaint.business_key
    govcn_simulator.push("overdue_reminder", key, {"content": "该件已超期1天"})
    govcn_simulator.push("netizen_evaluation", key, {"content": "处理及时", "satisfaction": "满意"})
    govcn_simulator.push("publication_notice", key, {"content": "已公开", "published_url": "https://www.gov.cn/x"})
    govcn_simulator.push("overdue_reminder", "BK-UNKNOWN", {"content": "?"})   # no such case: kept with an error
    govcn_fetch()
    assert OverdueReminder.objects.get().complaint == complaint
    assert NetizenEvaluation.objects.get().satisfaction == "满意"
    assert PublicationNotice.objects.get().published_url == "https://www.gov.cn/x"
    failed = ExchangeMessage.objects.get(business_key="BK-UNKNOWN")
    assert "UnknownBusinessKey" in failed.error and failed.read_confirmed_at is not None
    assert all(m["read"] for m in govcn_simulator.listing()["downstream"])
    govcn_fetch()                                                      # nothing applied twice
    assert OverdueReminder.objects.count() == 1


@pytest.mark.spec("PORTAL-13.1", "PORTAL-13.2", "PORTAL-13.5")
def test_daily_reconciliation_is_scheduled_requested_received_and_answered(govcn_simulator, people,
                                                                           django_capture_on_commit_callbacks):
    today = timezone.localdate().isoformat()
    ours = take_clue(govcn_simulator)
    govcn_simulator.days.setdefault(today, set()).update({ours.business_key, "BK-ONLY-ON-PLATFORM"})
    beat = PeriodicTask.objects.get(task="supervision.govcn_reconcile")
    assert beat.enabled and beat.crontab.hour == "2"
    with django_capture_on_commit_callbacks(execute=True):
        govcn_reconcile_task.apply(kwargs={"day": today})
    assert govcn_simulator.upstream_of("reconciliation_request")[0]["data"] == {"day": today}
    with django_capture_on_commit_callbacks(execute=True):
        govcn_fetch()
    record = ReconciliationRecord.objects.get(day=date.fromisoformat(today))
    assert record.platform_count == 2 and record.local_count == 1
    assert record.missing_locally == ["BK-ONLY-ON-PLATFORM"] and record.missing_on_platform == []
    assert govcn_simulator.upstream_of("reconciliation_data")[0]["data"]["business_keys"] == [ours.business_key]
    # 13.5: the business identifiers of both directions are declared and documented.
    assert set(DOWNSTREAM_TYPES) >= {"clue", "confirm_closed", "return_for_handling", "withdrawal_reply",
                                     "netizen_evaluation", "publication_notice", "extension_reply",
                                     "reconciliation_data", "overdue_reminder"}
    assert set(UPSTREAM_TYPES) >= {"return_info", "handling_feedback", "retain_notice", "extension_request",
                                   "withdrawal_request", "reconciliation_request", "reconciliation_data", "own_data"}


def test_upstream_retries_after_platform_failure(govcn_simulator, people, orgs, no_backoff,
                                                 django_capture_on_commit_callbacks):
    complaint = take_clue(govcn_simulator)
    govcn_simulator.inject_failures(1, 503)
    with django_capture_on_commit_callbacks(execute=True):
        run(("accept", "province", {}), ("retain", "province", {}), complaint=complaint, people=people, orgs=orgs)
    assert len(govcn_simulator.upstream_of("retain_notice")) == 1
    assert OutboxMessage.objects.get(peer="govcn_inspection").status == OutboxStatus.DELIVERED


@pytest.mark.spec("PORTAL-13.1", "PORTAL-1.2")
def test_upstream_message_survives_redis_and_the_platform_being_down(govcn_simulator, people, orgs, no_backoff,
                                                                   broker_down, django_capture_on_commit_callbacks):
    complaint = take_clue(govcn_simulator)
    govcn_simulator.inject_failures(1, 503)                       # the platform is down as well
    with django_capture_on_commit_callbacks(execute=True):
        run(("accept", "province", {}), ("retain", "province", {}), complaint=complaint, people=people, orgs=orgs)
    message = OutboxMessage.objects.get(peer="govcn_inspection", kind="retain_notice")
    assert message.status == OutboxStatus.PENDING                # the step committed; the notice waits in PostgreSQL
    assert govcn_simulator.upstream_of("retain_notice") == []
    assert sweep() == 0                                           # Redis still down: nothing sent, nothing dropped
    celery_app.conf.task_always_eager = True                      # Redis back (eager stands in for the worker)
    assert sweep() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED and message.attempts == 2   # one 503, then delivered
    [notice] = govcn_simulator.upstream_of("retain_notice")
    assert notice["business_key"] == complaint.business_key


def test_exchange_log_page_lists_messages_in_scope(client, govcn_simulator, people):
    from django.urls import reverse

    from apps.core.tests.factories import grant

    complaint = take_clue(govcn_simulator)
    grant(people["province"], "supervision.view_exchangemessage", role_code="exchange-viewer")
    client.force_login(people["province"])
    response = client.get(reverse("supervision:exchange-list"), {"direction": "downstream"})
    assert [m.business_key for m in response.context["object_list"]] == [complaint.business_key]
    client.force_login(people["qiqihar"])
    assert client.get(reverse("supervision:exchange-list")).status_code == 403


@pytest.mark.spec("PORTAL-13.1", "PORTAL-13.3")
def test_bad_signature_and_unknown_type_are_refused_and_change_nothing(govcn_simulator, people):
    complaint = take_clue(govcn_simulator)
    before = (complaint.status, StateTransition.objects.count())
    forged = govcn_simulator.push("clue", data=CLUE | {"title": "伪造线索"}, signature="0" * 64)
    unsigned = govcn_simulator.push("confirm_closed", complaint.business_key, {"opinion": "办结"}, signature="")
    tampered_id = govcn_simulator.push("confirm_closed", complaint.business_key, {"opinion": "办结"})
    govcn_simulator.downstream[-1]["data"] = {"opinion": "被篡改"}        # content changed after signing
    mystery = govcn_simulator.push("mystery_type", complaint.business_key, {"x": 1})
    assert govcn_fetch() == []
    complaint.refresh_from_db()
    assert (complaint.status, StateTransition.objects.count()) == before
    assert not Complaint.objects.filter(title="伪造线索").exists()
    errors = dict(ExchangeMessage.objects.filter(message_id__in=[forged, unsigned, tampered_id, mystery])
                  .values_list("message_id", "error"))
    assert all("签名校验失败" in errors[m] for m in (forged, unsigned, tampered_id))
    assert "Unknown downstream message type 'mystery_type'" in errors[mystery]
    assert all(m["read"] for m in govcn_simulator.listing()["downstream"])   # refused, not left to block the queue
