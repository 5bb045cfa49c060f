"""Quality rules (REV-9.1, 9.2), abnormal-evaluation review and urging (REV-4.1, 4.2),
publication review (REV-11.2), showcase library (REV-4.3), blacklist and watch list (REV-9.4)."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.calendar import add_working_days
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.reviews.models import (
    AbnormalFlag, AbnormalStatus, Evaluation, EvaluationQualityRule, EvaluatorBlacklistEntry, PublicationStatus,
    QualityRuleKind, RuleSchedule, ShowcaseEntry, ShowcaseKind,
)

MANAGE = "reviews.manage_evaluations"
REVIEW_DAYS = 3


def _parse(value: str, default: time) -> time:
    try:
        hour, minute = (int(x) for x in str(value).split(":"))
        return time(hour, minute)
    except (TypeError, ValueError):
        return default


def _hits(rule: EvaluationQualityRule, rows) -> list[tuple[Evaluation, str]]:
    from apps.reviews.services.evaluations import sensitive_words_in

    hits = []
    if rule.kind == QualityRuleKind.SHORT_INTERVAL:
        gap = timedelta(minutes=int(rule.parameters.get("minutes", 3)))
        for evaluation in rows.exclude(evaluator=None):
            near = Evaluation.objects.filter(evaluator_id=evaluation.evaluator_id,
                                             evaluated_at__gt=evaluation.evaluated_at - gap,
                                             evaluated_at__lt=evaluation.evaluated_at + gap).exclude(pk=evaluation.pk)
            if near.exists():
                hits.append((evaluation, _("同一评价人 %(m)s 分钟内多次评价") % {"m": gap.seconds // 60}))
    elif rule.kind == QualityRuleKind.OUTSIDE_HOURS:
        start = _parse(rule.parameters.get("start", "08:00"), time(8))
        end = _parse(rule.parameters.get("end", "18:00"), time(18))
        for evaluation in rows.filter(is_default=False):
            at = timezone.localtime(evaluation.evaluated_at)
            if not (start <= at.time() <= end) or at.weekday() >= 5:
                hits.append((evaluation, _("非工作时间评价（%(t)s）") % {"t": f"{at:%Y-%m-%d %H:%M}"}))
    elif rule.kind == QualityRuleKind.UNREASONABLE_CONTENT:
        for evaluation in rows.exclude(comment=""):
            words = sensitive_words_in(evaluation.comment)
            if words:
                hits.append((evaluation, _("评价内容含敏感词：%(w)s") % {"w": "、".join(words)}))
    return hits


def quality_rule_run(*, rule: EvaluationQualityRule, evaluation_ids: list[int] | None = None,
                     since: datetime | None = None) -> int:
    """Run one rule over given evaluations (event) or those since `since` (schedule); returns new flags."""
    rows = Evaluation.objects.all()
    if evaluation_ids is not None:
        rows = rows.filter(pk__in=evaluation_ids)
    elif since is not None:
        rows = rows.filter(evaluated_at__gte=since)
    due = add_working_days(timezone.localdate(), REVIEW_DAYS)
    created = 0
    with transaction.atomic():
        for evaluation, reason in _hits(rule, rows):
            _flag, new = AbnormalFlag.objects.get_or_create(evaluation=evaluation, rule=rule,
                                                            defaults={"reason": reason[:255], "review_due": due})
            if new:
                created += 1
                Evaluation.objects.filter(pk=evaluation.pk).update(is_abnormal=True)
        rule.last_run_at = timezone.now()
        rule.save(update_fields=["last_run_at"])
    return created


PERIODS = {RuleSchedule.DAILY: timedelta(days=1), RuleSchedule.WEEKLY: timedelta(days=7),
           RuleSchedule.MONTHLY: timedelta(days=31)}


def quality_run_scheduled(*, now: datetime | None = None) -> int:
    """Beat entry point: each periodic rule runs when its period has passed since its last run."""
    now = now or timezone.now()
    total = 0
    for rule in EvaluationQualityRule.objects.filter(is_enabled=True).exclude(schedule=RuleSchedule.ON_EVENT):
        period = PERIODS[rule.schedule]
        if rule.last_run_at and now - rule.last_run_at < period:
            continue
        total += quality_rule_run(rule=rule, since=(rule.last_run_at or now - period) - timedelta(minutes=10))
    return total


def quality_run_on_event(*, evaluation_ids: list[int]) -> int:
    total = 0
    for rule in EvaluationQualityRule.objects.filter(is_enabled=True, schedule=RuleSchedule.ON_EVENT):
        total += quality_rule_run(rule=rule, evaluation_ids=evaluation_ids)
    return total


def _check(actor, obj, permission=MANAGE):
    if not actor.has_perm(permission) or not can_see(actor, obj):
        raise PermissionDenied(_("您没有此操作的权限。"))


@transaction.atomic
def abnormal_review(*, flag: AbnormalFlag, actor, confirmed: bool) -> AbnormalFlag:
    """The admin closes a flag: confirmed abnormal stays flagged on the evaluation, else cleared."""
    _check(actor, flag)
    flag.status = AbnormalStatus.CLOSED
    flag.save(update_fields=["status"])
    if not confirmed:
        Evaluation.objects.filter(pk=flag.evaluation_id).update(is_abnormal=False)
    audit_record(actor=actor, action="update", obj=flag, detail="确认异常" if confirmed else "排除异常")
    return flag


@transaction.atomic
def abnormal_urge(*, flag: AbnormalFlag, actor, note: str) -> AbnormalFlag:
    """REV-4.1: urge an overdue, unreviewed abnormal evaluation (督办催办)."""
    _check(actor, flag)
    if flag.status != AbnormalStatus.FLAGGED or flag.review_due >= timezone.localdate():
        raise ValidationError(_("只有超期未审核的异常评价可以督办。"))
    flag.status, flag.urged_at, flag.urge_note = AbnormalStatus.URGED, timezone.now(), (note or "").strip()[:255]
    flag.save(update_fields=["status", "urged_at", "urge_note"])
    return flag


@transaction.atomic
def abnormal_feedback(*, flag: AbnormalFlag, actor, feedback: str) -> AbnormalFlag:
    """REV-4.2: the service department answers the urging request."""
    if not can_see(actor, flag):
        raise PermissionDenied(_("您没有此操作的权限。"))
    if flag.status != AbnormalStatus.URGED:
        raise ValidationError(_("该异常评价未被督办。"))
    if not (feedback or "").strip():
        raise ValidationError(_("请填写反馈内容。"))
    flag.status, flag.feedback, flag.feedback_at = AbnormalStatus.FEEDBACK_RECEIVED, feedback.strip()[:500], \
        timezone.now()
    flag.save(update_fields=["status", "feedback", "feedback_at"])
    return flag


@transaction.atomic
def publication_decide(*, evaluation: Evaluation, actor, publish: bool) -> Evaluation:
    """REV-11.2.2 / PORTAL-2.3: the competent unit decides whether the comment is published."""
    _check(actor, evaluation)
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.publication_status != PublicationStatus.PENDING:
        raise ValidationError(_("该评价不在待审核公开状态。"))
    locked.publication_status = PublicationStatus.PUBLISHED if publish else PublicationStatus.WITHHELD
    locked.save(update_fields=["publication_status"])
    audit_record(actor=actor, action="update", obj=locked, detail="公开" if publish else "不公开")
    return locked


def showcase_add(*, evaluation: Evaluation, actor) -> ShowcaseEntry:
    _check(actor, evaluation)
    if not evaluation.is_valid or evaluation.publication_status in (PublicationStatus.PENDING,
                                                                     PublicationStatus.WITHHELD):
        raise ValidationError(_("无效或未公开的评价不能加入案例库。"))
    kind = ShowcaseKind.BAD if evaluation.is_bad_review else ShowcaseKind.GOOD
    entry, _created = ShowcaseEntry.objects.get_or_create(evaluation=evaluation, defaults={"kind": kind})
    return entry


def blacklist_candidates(*, min_bad: int = 3, days: int = 30):
    """REV-9.4 analysis: accounts with at least `min_bad` invalidated (malicious) bad reviews."""
    since = timezone.now() - timedelta(days=days)
    return (Evaluation.objects.filter(is_valid=False, evaluated_at__gte=since).exclude(evaluator=None)
            .values("evaluator").annotate(n=Count("pk")).filter(n__gte=min_bad))


def blacklist_add(*, user, reason: str, actor) -> EvaluatorBlacklistEntry:
    if not actor.has_perm(MANAGE):
        raise PermissionDenied(_("您没有此操作的权限。"))
    if not (reason or "").strip():
        raise ValidationError(_("请填写加入黑名单的原因。"))
    entry, _created = EvaluatorBlacklistEntry.objects.get_or_create(user=user, defaults={"reason": reason.strip()})
    audit_record(actor=actor, action="create", obj=entry, detail=reason[:200])
    return entry
