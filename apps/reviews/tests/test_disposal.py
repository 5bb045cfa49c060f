"""Bad-review workflow end to end: accept → verify → rectify → feedback → review → national report,
special steps, extension across a holiday, reminders, appeal (REV-11.x, PORTAL-2.4)."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core.calendar import add_working_days, invalidate
from apps.core.models import OutboxMessage
from apps.core.outbox import deliver
from apps.core.workflow import history_for
from apps.reviews.models import (
    Appeal, BadReviewDisposal, DisposalStatus, EvaluationAggregate, RegionRectificationLimit,
)
from apps.reviews.services import disposals as svc
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import evaluate, grant, handler

pytestmark = pytest.mark.django_db


def _holiday(day):
    from apps.core.models import CalendarDay

    CalendarDay.objects.update_or_create(date=day, defaults={"is_working_day": False, "is_holiday": True, "label": "临时假日"})
    invalidate()


@pytest.mark.spec("REV-11.0", "REV-11.1.1", "REV-11.1.3", "REV-11.4.2", "REV-11.4.3", "REV-11.4.4",
                  "REV-11.4.5", "REV-11.4.6", "REV-11.4.7", "REV-11.7", "PORTAL-2.4", "REV-0.3")
def test_bad_review_rectified_and_reported_to_national_system(world, bureau_handler, national_sim, no_backoff):
    e = evaluate(world.case(), level=5)
    aggregate_pending()
    d = BadReviewDisposal.objects.get(evaluation=e)
    responsible = handler(world.org, "responsible", "13900000009")
    svc.disposal_accept(disposal=d, actor=bureau_handler)
    svc.disposal_verify(disposal=d, actor=bureau_handler, verified_true=True, responsibility="窗口人员",
                        notes="电话联系办事人与窗口人员，情况属实")
    d.refresh_from_db()
    assert d.limit_working_days == 15 and d.deadline == add_working_days(timezone.localdate(), 15)
    svc.disposal_start_rectification(disposal=d, actor=bureau_handler, content="加强窗口培训",
                                     responsible_person=responsible)
    svc.disposal_feedback(disposal=d, actor=responsible, feedback="已组织培训并向办事人致歉")
    svc.disposal_return_visit(disposal=d, actor=bureau_handler, note="回访办事人，表示认可")
    svc.disposal_review(disposal=d, actor=bureau_handler, passed=True, comment="整改到位")
    d.refresh_from_db()
    assert d.status == DisposalStatus.COMPLETED
    assert EvaluationAggregate.objects.get().rectified == 1
    message = OutboxMessage.objects.get(peer="reviews_national", kind="rectification")
    assert deliver(message.pk) == "delivered"
    d.refresh_from_db()
    assert d.status == DisposalStatus.REPORTED and d.reported_at
    sent = national_sim.listing()["rectifications"][0]
    assert sent["evaluation_number"] == e.evaluation_number and sent["return_visit"] == "回访办事人，表示认可"
    assert [s["action"] for s in sent["steps"]][:5] == ["distribute", "accept", "verify", "rectify", "feedback"]


@pytest.mark.spec("REV-11.4.8")
def test_special_steps_not_accepted_returned_repeat_and_extension(world, bureau_handler):
    d1 = BadReviewDisposal.objects.get(evaluation=evaluate(world.case(1), level=4))
    with pytest.raises(ValidationError, match="原因"):
        svc.disposal_not_accept(disposal=d1, actor=bureau_handler, reason="")
    svc.disposal_not_accept(disposal=d1, actor=bureau_handler, reason="非本部门事项")
    d2 = BadReviewDisposal.objects.get(evaluation=evaluate(world.case(2), level=4))
    svc.disposal_accept(disposal=d2, actor=bureau_handler)
    svc.disposal_return(disposal=d2, actor=bureau_handler, reason="材料不全，退回重新分派")
    svc.disposal_accept(disposal=d2, actor=bureau_handler)
    svc.disposal_verify(disposal=d2, actor=bureau_handler, verified_true=True, responsibility="部门", notes="属实")
    svc.disposal_start_rectification(disposal=d2, actor=bureau_handler, content="整改", responsible_person=bureau_handler)
    svc.disposal_feedback(disposal=d2, actor=bureau_handler, feedback="已整改")
    with pytest.raises(ValidationError, match="意见"):
        svc.disposal_review(disposal=d2, actor=bureau_handler, passed=False, comment="")
    svc.disposal_review(disposal=d2, actor=bureau_handler, passed=False, comment="整改不到位")
    d2.refresh_from_db()
    assert d2.status == DisposalStatus.REPEAT_RECTIFICATION
    with pytest.raises(ValidationError, match="晚于"):
        svc.disposal_extend(disposal=d2, actor=bureau_handler, reason="需协调", new_deadline=d2.deadline)
    svc.disposal_extend(disposal=d2, actor=bureau_handler, reason="需跨部门协调",
                        new_deadline=d2.deadline + timedelta(days=10))
    actions = [t.action for t in history_for(d2)]
    assert actions == ["distribute", "accept", "return", "accept", "verify", "rectify", "feedback", "review_failed",
                       "extend"]
    assert BadReviewDisposal.objects.get(pk=d1.pk).status == DisposalStatus.NOT_ACCEPTED


@pytest.mark.spec("REV-11.4.9")
def test_limit_shortened_per_region_and_extension_across_a_holiday(world, bureau_handler, regions):
    RegionRectificationLimit.objects.create(region=regions["230100000000"], working_days=5)
    start = timezone.localdate()
    # a public holiday on the third calendar day after today pushes the deadline by a day
    holiday = start + timedelta(days=3)
    _holiday(holiday)
    d = BadReviewDisposal.objects.get(evaluation=evaluate(world.case(), level=4))
    svc.disposal_accept(disposal=d, actor=bureau_handler)
    svc.disposal_verify(disposal=d, actor=bureau_handler, verified_true=True, responsibility="窗口", notes="属实")
    d.refresh_from_db()
    assert d.limit_working_days == 5
    assert d.deadline == add_working_days(start, 5)
    days, n = start, 0
    while n < 5:
        days += timedelta(days=1)
        if days.weekday() < 5 and days != holiday:
            n += 1
    assert d.deadline == days


@pytest.mark.spec("REV-11.4.9")
def test_near_due_and_overdue_reminders_by_sms(world, bureau_handler, sms_simulator):
    from apps.core.models import SmsMessage

    responsible = handler(world.org, "resp2", "13900000010")
    d = BadReviewDisposal.objects.get(evaluation=evaluate(world.case(), level=4))
    svc.disposal_accept(disposal=d, actor=bureau_handler)
    svc.disposal_verify(disposal=d, actor=bureau_handler, verified_true=True, responsibility="窗口", notes="属实")
    svc.disposal_start_rectification(disposal=d, actor=bureau_handler, content="整改", responsible_person=responsible)
    d.refresh_from_db()
    assert svc.disposal_deadline_scan(today=timezone.localdate()) == {"near_due": 0, "overdue": 0}
    near_day = d.deadline - timedelta(days=1)
    assert svc.disposal_deadline_scan(today=near_day)["near_due"] == 1
    assert svc.disposal_deadline_scan(today=near_day)["near_due"] == 0
    assert svc.disposal_deadline_scan(today=d.deadline + timedelta(days=1))["overdue"] == 1
    texts = list(SmsMessage.objects.filter(recipient=responsible).values_list("content", flat=True))
    assert any("即将超期" in t for t in texts) and any("已超期" in t for t in texts)


@pytest.mark.spec("REV-11.3.0", "REV-11.3.1", "REV-11.3.2")
def test_appeal_upheld_moves_evaluation_to_invalid_list(world, orgs, bureau_handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        e = evaluate(world.case(), level=5)
    d = BadReviewDisposal.objects.get(evaluation=e)
    dept_admin = grant(handler(orgs["harbin_dept"], "dept_admin"), "add_appeal")
    appeal = svc.appeal_file(disposal=d, actor=dept_admin, reason="办事人未提供材料，评价不属实")
    reviewer = grant(handler(orgs["harbin"], "rechecker"), "decide_appeal")
    with pytest.raises(ValidationError, match="理由"):
        svc.appeal_decide(appeal=appeal, actor=reviewer, upheld=False, reason="")
    svc.appeal_decide(appeal=appeal, actor=reviewer, upheld=True, reason="查证属实")
    e.refresh_from_db()
    d.refresh_from_db()
    assert not e.is_valid and d.status == DisposalStatus.INVALIDATED
    row = EvaluationAggregate.objects.get()
    assert (row.total, row.level5, row.invalid) == (0, 0, 1)


def test_rejected_appeal_returns_the_task_for_rectification(world, orgs, bureau_handler):
    d = BadReviewDisposal.objects.get(evaluation=evaluate(world.case(), level=5))
    dept_admin = grant(handler(orgs["harbin_dept"], "dept_admin2"), "add_appeal")
    appeal = svc.appeal_file(disposal=d, actor=dept_admin, reason="不属实")
    reviewer = grant(handler(orgs["harbin"], "rechecker2"), "decide_appeal")
    svc.appeal_decide(appeal=appeal, actor=reviewer, upheld=False, reason="录音证实服务态度问题")
    d.refresh_from_db()
    assert d.status == DisposalStatus.VERIFIED and d.verified_true and d.deadline


def test_appeal_after_three_working_days_is_refused(world, orgs):
    d = BadReviewDisposal.objects.get(evaluation=evaluate(world.case(), level=5))
    created = timezone.now() - timedelta(days=10)
    BadReviewDisposal.objects.filter(pk=d.pk).update(created_at=created)
    dept_admin = grant(handler(orgs["harbin_dept"], "dept_admin3"), "add_appeal")
    with pytest.raises(ValidationError) as exc:
        svc.appeal_file(disposal=d, actor=dept_admin, reason="不属实")
    assert "3 个工作日" in str(exc.value)
    assert Appeal.objects.count() == 0


def test_appeal_refused_for_other_department_and_steps_for_outsiders(world, orgs, staff):
    d = BadReviewDisposal.objects.get(evaluation=evaluate(world.case(), level=5))
    outsider = grant(handler(orgs["qiqihar"], "qq_admin"), "add_appeal", "decide_appeal")
    with pytest.raises(PermissionDenied):
        svc.appeal_file(disposal=d, actor=outsider, reason="不属实")
    with pytest.raises(PermissionDenied):
        svc.disposal_accept(disposal=d, actor=outsider)
    with pytest.raises(PermissionDenied):
        svc.disposal_accept(disposal=d, actor=staff["harbin"])  # in scope, no permission
    d.refresh_from_db()
    assert d.status == DisposalStatus.DISTRIBUTED and Appeal.objects.count() == 0


def test_national_peer_down_keeps_the_message(world, national_sim, no_backoff):
    e = evaluate(world.case(), level=1)
    national_sim.inject_failures(1, 503)
    message = OutboxMessage.objects.get(peer="reviews_national", kind="evaluations")
    deliver(message.pk)  # fails once; the retry (eager in tests) delivers it
    message.refresh_from_db()
    assert message.status == "delivered" and message.attempts == 2 and national_sim.requests == 2
    assert [x["assessId"] for x in national_sim.evaluations] == [e.evaluation_number]
    assert date.today()
