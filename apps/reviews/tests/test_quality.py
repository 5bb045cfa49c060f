"""Quality rules on schedule and on event, abnormal review with urging and feedback, showcase,
national quality-inspection results (REV-4.x, 9.1, 9.2, 9.6, 13.3)."""
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from apps.reviews.models import (
    AbnormalFlag, Evaluation, EvaluationQualityRule, NationalCheck, SensitiveWord, ShowcaseEntry,
)
from apps.reviews.services import quality
from apps.reviews.services.national import national_checks_fetch
from apps.reviews.tests.factories import evaluate, handler

pytestmark = pytest.mark.django_db


def recent_night():
    """A moment outside 08:00–18:00 local within the last hours: inside the daily run's window whatever the
    time of day the test runs (yesterday 23:30 is outside it when the test runs late in the evening)."""
    at = timezone.localtime() - timedelta(minutes=5)
    return at.replace(hour=7, minute=30) if time(8) <= at.time() <= time(18) else at


@pytest.mark.spec("REV-9.1", "REV-9.2")
def test_interval_and_outside_hours_rules_daily_and_on_event(world, citizen, django_capture_on_commit_callbacks):
    e1 = evaluate(world.case(1, applicant=citizen), level=1, evaluator=citizen)
    e2 = evaluate(world.case(2, applicant=citizen), level=1, evaluator=citizen)
    night = recent_night()
    late = evaluate(world.case(3), level=2)
    Evaluation.objects.filter(pk=late.pk).update(evaluated_at=night)
    Evaluation.objects.filter(pk=e1.pk).update(evaluated_at=timezone.now() - timedelta(hours=1))
    Evaluation.objects.filter(pk=e2.pk).update(evaluated_at=timezone.now() - timedelta(minutes=58))
    assert quality.quality_run_scheduled(now=timezone.now() + timedelta(hours=1)) >= 3
    flagged = set(AbnormalFlag.objects.values_list("evaluation_id", flat=True))
    assert {e1.pk, e2.pk, late.pk} <= flagged
    assert Evaluation.objects.get(pk=e1.pk).is_abnormal
    assert quality.quality_run_scheduled(now=timezone.now() + timedelta(hours=2)) == 0  # ran within its period
    # event-triggered rule: sensitive content flagged right after commit
    SensitiveWord.objects.create(word="垃圾")
    with django_capture_on_commit_callbacks(execute=True):
        bad = evaluate(world.case(4), level=4, comment="服务垃圾")
    assert AbnormalFlag.objects.filter(evaluation=bad, rule__kind="unreasonable_content").exists()
    assert EvaluationQualityRule.objects.get(kind="unreasonable_content").last_run_at


@pytest.mark.spec("REV-4.1", "REV-4.2")
def test_overdue_abnormal_review_is_urged_and_feedback_queried(world, orgs):
    e = evaluate(world.case(), level=2)
    rule = EvaluationQualityRule.objects.get(kind="outside_hours")
    flag = AbnormalFlag.objects.create(evaluation=e, rule=rule, reason="非工作时间",
                                       review_due=timezone.localdate() + timedelta(days=2))
    admin = handler(orgs["province"], "abn_admin")
    with pytest.raises(ValidationError, match="超期"):
        quality.abnormal_urge(flag=flag, actor=admin, note="请尽快核查")
    AbnormalFlag.objects.filter(pk=flag.pk).update(review_due=timezone.localdate() - timedelta(days=1))
    flag.refresh_from_db()
    quality.abnormal_urge(flag=flag, actor=admin, note="请于3日内反馈")
    dept = handler(orgs["harbin_dept"], "abn_dept")
    quality.abnormal_feedback(flag=flag, actor=dept, feedback="经核查为夜间自助终端评价，属实")
    http = Client()
    http.force_login(admin)
    page = http.get("/portal/reviews/abnormal/", {"status": "feedback_received"}).content.decode()
    assert "经核查为夜间自助终端评价" in page


@pytest.mark.spec("REV-4.3", "REV-13.3")
def test_showcase_entries_scroll_on_the_public_column(world, orgs):
    e = evaluate(world.case(), level=1, comment="一次办好")
    admin = handler(orgs["province"], "show_admin")
    quality.showcase_add(evaluation=e, actor=admin)
    assert ShowcaseEntry.objects.get().kind == "good"
    assert "一次办好" in Client().get("/reviews/").content.decode()


@pytest.mark.spec("REV-9.6", "REV-22.0")
def test_national_quality_inspection_results_received(world, national_sim, no_backoff):
    from apps.core.models import OutboxMessage
    from apps.core.outbox import deliver

    ok = evaluate(world.case(1), level=1, comment="很好")
    test = evaluate(world.case(2), level=2, comment="测试数据")
    for message in OutboxMessage.objects.filter(peer="reviews_national"):
        deliver(message.pk)
    assert national_checks_fetch() == {"passed": 1, "failed": 1}
    ok.refresh_from_db()
    test.refresh_from_db()
    assert ok.national_check == NationalCheck.PASSED and test.national_check == NationalCheck.FAILED
    assert "测试" in test.national_check_note


@pytest.mark.spec("REV-11.2.2", "PORTAL-2.3")
def test_publication_decision_controls_public_visibility(world, orgs):
    e = evaluate(world.case(), level=2, comment="窗口工作人员耐心细致地讲解了全部材料要求，值得表扬")
    admin = handler(orgs["harbin"], "pub_admin")
    http = Client()
    http.force_login(admin)
    assert e.evaluation_number in http.get("/portal/reviews/publication/").content.decode()
    detail = f"/reviews/rankings/hall/{world.hall.pk}/"
    assert "耐心细致" not in Client().get(detail).content.decode()
    http.post("/portal/reviews/publication/", {"evaluation": e.pk, "decision": "publish"})
    assert "耐心细致" in Client().get(detail).content.decode()
    other = handler(orgs["qiqihar"], "pub_other")
    with pytest.raises(Exception):
        quality.publication_decide(evaluation=e, actor=other, publish=False)
