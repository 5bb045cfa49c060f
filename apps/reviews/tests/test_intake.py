"""Evaluation intake and its refusals (REV-14.x, 17.x, 23.3, 23.4, 23.8)."""
import pytest
from django.core.exceptions import ValidationError

from apps.core.models import OutboxMessage
from apps.reviews.models import (
    BadReviewDisposal, Evaluation, EvaluationAggregate, EvaluationSettings, EvaluationTag, EvaluatorBlacklistEntry,
    HotlineWorkOrder, PublicationStatus, SensitiveWord,
)
from apps.reviews.services.evaluations import EvaluationInput, evaluation_submit
from apps.reviews.services.intake import defaults_apply, reminders_send
from apps.reviews.tests.factories import evaluate

pytestmark = pytest.mark.django_db


@pytest.mark.spec("REV-14.4", "REV-14.5", "REV-23.4", "REV-17.2.1", "REV-17.2.3")
def test_second_evaluation_of_a_case_is_refused_and_nothing_written(world):
    case = world.case()
    first = evaluate(case, level=1, comment="很好")
    assert first.level == 1 and first.region_id == case.region_id and first.organisation_id == case.organisation_id
    before = (Evaluation.objects.count(), OutboxMessage.objects.count())
    for channel in ("pc", "app"):
        with pytest.raises(ValidationError) as exc:
            evaluate(case, level=5, channel=channel, tags=["推诿扯皮"])
        assert "不能重复评价" in str(exc.value)
    assert (Evaluation.objects.count(), OutboxMessage.objects.count()) == before
    first.refresh_from_db()
    assert first.level == 1


def test_unique_constraint_settles_the_race(world):
    from django.db import IntegrityError, transaction

    case = world.case()
    e = evaluate(case, level=2)
    clone = Evaluation(evaluation_number="PJX", object_kind="case", channel="pc", level=1, case=case,
                       region=e.region, organisation=e.organisation, evaluated_at=e.evaluated_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


@pytest.mark.parametrize("level", [0, 6, "7", "abc", None, 2.5, True])
def test_level_outside_1_to_5_is_refused(world, level):
    case = world.case()
    with pytest.raises(ValidationError) as exc:
        evaluate(case, level=level, tags=[])
    assert "1–5" in str(exc.value)
    assert Evaluation.objects.count() == 0


@pytest.mark.spec("REV-17.2", "REV-17.2.2", "REV-17.2.4", "REV-15.1", "REV-23.3", "REV-23.3.1", "REV-23.3.2")
def test_tags_follow_the_level_and_are_mandatory_for_bad_levels(world):
    case = world.case()
    with pytest.raises(ValidationError, match="至少选择一个"):
        evaluate(case, level=4, tags=[])
    with pytest.raises(ValidationError, match="不符"):
        evaluate(case, level=4, tags=["服务热情周到"])  # a level-1 tag
    assert Evaluation.objects.count() == 0
    assert evaluate(case, level=2, tags=[]).tags == []
    # an admin adds a tag with a national code; it is accepted by its code too
    EvaluationTag.objects.create(object_kind="case", level=4, name="窗口无人", national_code="X99")
    other = world.case(2)
    assert evaluate(other, level=4, tags=["X99"]).tags == ["窗口无人"]


@pytest.mark.spec("REV-11.4.0", "REV-11.4.1", "REV-19.2", "REV-23.12", "REV-22.0")
def test_bad_review_creates_disposal_work_order_and_national_report(world, orgs):
    e = evaluate(world.case(), level=5)
    d = BadReviewDisposal.objects.get(evaluation=e)
    assert d.competent_department == orgs["harbin"] and d.status == "distributed"
    order = HotlineWorkOrder.objects.get(evaluation=e)
    assert OutboxMessage.objects.filter(peer="reviews_hotline", idempotency_key=f"hotline:{order.order_number}").exists()
    assert OutboxMessage.objects.filter(peer="reviews_national", kind="evaluations").count() == 1
    good = evaluate(world.case(2), level=1)
    assert not BadReviewDisposal.objects.filter(evaluation=good).exists()


@pytest.mark.spec("REV-9.4")
def test_blacklisted_evaluator_is_tagged(world, citizen):
    EvaluatorBlacklistEntry.objects.create(user=citizen, reason="多次恶意差评")
    e = evaluate(world.case(applicant=citizen), level=2, evaluator=citizen)
    assert e.is_blacklisted


@pytest.mark.spec("REV-11.2.1", "REV-11.2.2", "PORTAL-2.3")
def test_publication_review_trigger_rules(world):
    SensitiveWord.objects.create(word="骗子")
    no_text = evaluate(world.case(1), level=2)
    short = evaluate(world.case(2), level=2, comment="办事很快服务很好")  # 8 chars
    long = evaluate(world.case(3), level=2, comment="窗口工作人员态度很好，一次性告知了所有材料，非常感谢")
    bad_word = evaluate(world.case(4), level=2, comment="骗子")
    assert no_text.publication_status == PublicationStatus.NOT_NEEDED
    assert short.publication_status == PublicationStatus.PUBLISHED
    assert long.publication_status == PublicationStatus.PENDING
    assert bad_word.publication_status == PublicationStatus.PENDING


@pytest.mark.spec("REV-23.8", "REV-16.5", "REV-23.10.1")
def test_window_qr_daily_limit_is_configurable(world, citizen):
    def scan():
        return evaluation_submit(data=EvaluationInput(object_kind="window", channel="qr", level=1,
                                                      window=world.window, evaluator=citizen))
    scan()
    with pytest.raises(ValidationError, match="每日上限"):
        scan()
    assert Evaluation.objects.count() == 1
    EvaluationSettings.objects.filter(pk=1).update(window_qr_daily_limit=2)
    scan()
    assert Evaluation.objects.count() == 2


@pytest.mark.spec("REV-14.5", "REV-23.9", "REV-17.2")
def test_default_evaluation_after_configured_days(world, settings):
    from datetime import timedelta

    from django.utils import timezone

    case = world.case()
    EvaluationSettings.objects.filter(pk=1).update(default_after_days=5, default_level=3)
    assert defaults_apply() == 0
    type(case).objects.filter(pk=case.pk).update(concluded_at=timezone.now() - timedelta(days=6))
    assert defaults_apply() == 1
    e = Evaluation.objects.get(case=case)
    assert e.is_default and e.level == 3 and not hasattr(e, "disposal") or e.level == 3
    assert defaults_apply() == 0


@pytest.mark.spec("REV-18.1", "REV-18.2", "REV-18.5")
def test_sms_reminder_for_concluded_unrated_case(world, sms_simulator, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    case = world.case()
    rated = world.case(2)
    evaluate(rated, level=1)
    type(case).objects.filter(pk__in=[case.pk, rated.pk]).update(concluded_at=timezone.now() - timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(base_url="https://zwfw.hlj.gov.cn") == 1
    assert reminders_send() == 0
    messages = sms_simulator.listing()["messages"]
    assert len(messages) == 1
    text = messages[0]["content"]
    assert world.item.name in text and world.item.implementation_code in text and "/reviews/sms/" in text


def test_statistics_are_refreshed_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evaluate(world.case(1), level=1)
        evaluate(world.case(2), level=5)
    assert not Evaluation.objects.filter(aggregated=False).exists()
    row = EvaluationAggregate.objects.get()
    assert (row.total, row.level1, row.level5) == (2, 1, 1)


def test_redis_down_loses_no_evaluation(world, broker_down, django_capture_on_commit_callbacks):
    """The broker is down at intake: the evaluation and its outbox rows are committed, the
    follow-up tasks are not queued; the beat sweep counts it once the worker runs again."""
    from apps.reviews.services.statistics import aggregate_pending

    with django_capture_on_commit_callbacks(execute=True):
        bad = evaluate(world.case(1), level=5)
    assert Evaluation.objects.get(pk=bad.pk).aggregated is False
    pending = set(OutboxMessage.objects.filter(status="pending").values_list("peer", flat=True))
    assert {"reviews_national", "reviews_hotline"} <= pending and not OutboxMessage.objects.exclude(
        status="pending").exists()
    assert aggregate_pending() == 1
    assert EvaluationAggregate.objects.get().level5 == 1
