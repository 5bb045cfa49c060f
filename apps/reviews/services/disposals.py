"""Bad-review disposal workflow (REV-11.4, 23.12, PORTAL-2.4) and appeals (REV-11.3).

distributed → accepted → verified → rectifying → feedback_submitted → completed → reported
special steps: not_accepted, returned (back to distributed after re-acceptance), repeat_rectification
(failed review), extension (new deadline with reason), appeal (upheld → invalidated).
"""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.calendar import add_working_days, working_days_between
from apps.core.models import Organisation
from apps.core.models.organisations import REGION_WIDE_KINDS
from apps.core.outbox import enqueue
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.services.sms import sms_send
from apps.core.workflow import record_transition
from apps.reviews.models import (
    Appeal, AppealStatus, BadReviewDisposal, EvaluationSettings, RegionRectificationLimit,
)
from apps.reviews.models import DisposalStatus as S

HANDLE = "reviews.handle_disposal"


def competent_department_for(evaluation) -> Organisation:
    """The region-wide bureau of the evaluation's region, else of the nearest region above it."""
    region = evaluation.region
    while region is not None:
        found = Organisation.objects.filter(region=region, kind__in=REGION_WIDE_KINDS).order_by("pk").first()
        if found:
            return found
        region = region.parent
    return evaluation.organisation


def rectification_limit(region) -> int:
    """The national limit (settings) or the shortened limit of the region or a region above it."""
    limit = EvaluationSettings.current().rectification_limit_working_days
    codes = []
    while region is not None:
        codes.append(region.pk)
        region = region.parent
    rows = dict(RegionRectificationLimit.objects.filter(region_id__in=codes).values_list("region_id",
                                                                                        "working_days"))
    for code in codes:
        if code in rows:
            return min(limit, rows[code])
    return limit


def disposal_create(*, evaluation) -> BadReviewDisposal:
    """REV-11.4.1: a task for every bad review, sent to the competent department."""
    return disposals_create_bulk(evaluations=[evaluation])[0]


def _ancestor_codes(code: str) -> list[str]:
    """The region itself and the regions above it, nearest first (codes carry the hierarchy)."""
    found = []
    for length in (12, 9, 6, 4, 2):
        candidate = code[:length].ljust(12, "0")
        if candidate not in found:
            found.append(candidate)
    return found


def competent_departments_for(region_codes) -> dict[str, Organisation]:
    """Region code → the region-wide bureau of that region or the nearest one above it (one query)."""
    chains = {code: _ancestor_codes(code) for code in set(region_codes)}
    bureaus: dict[str, Organisation] = {}
    for org in Organisation.objects.filter(region_id__in={c for chain in chains.values() for c in chain},
                                           kind__in=REGION_WIDE_KINDS).order_by("-pk"):
        bureaus[org.region_id] = org  # lowest pk wins, as in competent_department_for
    return {code: next((bureaus[c] for c in chain if c in bureaus), None) for code, chain in chains.items()}


def disposals_create_bulk(*, evaluations) -> list[BadReviewDisposal]:
    """Tasks for a batch of bad reviews with their history rows: three statements for any batch."""
    from django.contrib.contenttypes.models import ContentType

    from apps.core.models import StateTransition

    competent = competent_departments_for(e.region_id for e in evaluations)
    created = BadReviewDisposal.objects.bulk_create([BadReviewDisposal(
        evaluation=e, region_id=e.region_id, service_department_id=e.organisation_id,
        competent_department=competent[e.region_id] or e.organisation) for e in evaluations])
    content_type = ContentType.objects.get_for_model(BadReviewDisposal)
    StateTransition.objects.bulk_create([StateTransition(
        content_type=content_type, object_id=str(d.pk), from_state="", to_state=S.DISTRIBUTED, action="distribute",
        actor_name="系统", comment=_("系统自动分发差评处置任务")) for d in created])
    return created


def _lock(disposal: BadReviewDisposal, actor, allowed: tuple, *, permission: str = HANDLE) -> BadReviewDisposal:
    if not actor.has_perm(permission) or not can_see(actor, disposal):
        raise PermissionDenied(_("您没有处置该差评的权限。"))
    locked = BadReviewDisposal.objects.select_for_update().get(pk=disposal.pk)
    if locked.status not in allowed:
        raise ValidationError(_("当前状态“%(s)s”不能执行此操作。") % {"s": locked.get_status_display()})
    return locked


def _move(disposal, to_state, actor, action, comment="", fields=()):
    from_state = disposal.status
    disposal.status = to_state
    disposal.save(update_fields=["status", *fields])
    record_transition(obj=disposal, from_state=from_state, to_state=to_state, actor=actor, action=action,
                      comment=comment)
    audit_record(actor=actor, action="update", obj=disposal, detail=f"{action}: {comment}"[:500])
    return disposal


def _reason(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


@transaction.atomic
def disposal_accept(*, disposal, actor) -> BadReviewDisposal:
    d = _lock(disposal, actor, (S.DISTRIBUTED, S.RETURNED))
    d.accepted_at = timezone.now()
    return _move(d, S.ACCEPTED, actor, "accept", _("受理"), ["accepted_at"])


@transaction.atomic
def disposal_not_accept(*, disposal, actor, reason: str) -> BadReviewDisposal:
    reason = _reason(reason, _("不予受理必须填写原因。"))
    d = _lock(disposal, actor, (S.DISTRIBUTED, S.RETURNED))
    return _move(d, S.NOT_ACCEPTED, actor, "not_accept", reason)


@transaction.atomic
def disposal_return(*, disposal, actor, reason: str) -> BadReviewDisposal:
    reason = _reason(reason, _("退回必须填写原因。"))
    d = _lock(disposal, actor, (S.ACCEPTED, S.VERIFIED))
    return _move(d, S.RETURNED, actor, "return", reason)


@transaction.atomic
def disposal_verify(*, disposal, actor, verified_true: bool, responsibility: str, notes: str,
                    attachment=None) -> BadReviewDisposal:
    """REV-11.4.3: establish the facts and who is responsible; a true bad review starts the
    rectification clock (limit in working days from today)."""
    notes = _reason(notes, _("请填写核实意见。"))
    if verified_true and not (responsibility or "").strip():
        raise ValidationError(_("核实属实时必须明确责任归属。"))
    d = _lock(disposal, actor, (S.ACCEPTED,))
    d.verified_true, d.responsibility, d.verification_notes = verified_true, responsibility.strip(), notes
    d.verified_at = timezone.now()
    fields = ["verified_true", "responsibility", "verification_notes", "verified_at"]
    if attachment is not None:
        d.attachment = attachment
        fields.append("attachment")
    if verified_true:
        d.limit_working_days = rectification_limit(d.region)
        d.deadline = add_working_days(timezone.localdate(), d.limit_working_days)
        fields += ["limit_working_days", "deadline"]
    label = _("核实属实") if verified_true else _("核实不属实")
    return _move(d, S.VERIFIED, actor, "verify", f"{label}：{notes}", fields)


@transaction.atomic
def disposal_start_rectification(*, disposal, actor, content: str, responsible_person) -> BadReviewDisposal:
    content = _reason(content, _("请填写整改内容。"))
    if responsible_person is None:
        raise ValidationError(_("请指定整改责任人。"))
    d = _lock(disposal, actor, (S.VERIFIED,))
    if not d.verified_true:
        raise ValidationError(_("核实不属实的差评不能发起整改，请发起申诉。"))
    d.rectification_content, d.responsible_person = content, responsible_person
    return _move(d, S.RECTIFYING, actor, "rectify", content, ["rectification_content", "responsible_person"])


@transaction.atomic
def disposal_extend(*, disposal, actor, reason: str, new_deadline: date) -> BadReviewDisposal:
    reason = _reason(reason, _("延期必须说明原因。"))
    d = _lock(disposal, actor, (S.RECTIFYING, S.REPEAT_RECTIFICATION))
    if new_deadline is None or (d.deadline and new_deadline <= d.deadline):
        raise ValidationError(_("新的整改期限必须晚于原期限。"))
    old = d.deadline
    d.deadline, d.extension_reason = new_deadline, reason
    d.near_due_notified = d.overdue_notified = False
    d.save(update_fields=["deadline", "extension_reason", "near_due_notified", "overdue_notified"])
    record_transition(obj=d, from_state=d.status, to_state=d.status, actor=actor, action="extend",
                      comment=_("延期：%(old)s → %(new)s，原因：%(r)s") % {"old": old, "new": new_deadline, "r": reason})
    return d


@transaction.atomic
def disposal_feedback(*, disposal, actor, feedback: str) -> BadReviewDisposal:
    feedback = _reason(feedback, _("请填写整改反馈。"))
    d = BadReviewDisposal.objects.select_for_update().get(pk=disposal.pk)
    if actor != d.responsible_person and not actor.has_perm(HANDLE):
        raise PermissionDenied(_("只有整改责任人可以反馈整改结果。"))
    if d.status not in (S.RECTIFYING, S.REPEAT_RECTIFICATION):
        raise ValidationError(_("当前状态“%(s)s”不能反馈整改结果。") % {"s": d.get_status_display()})
    d.feedback, d.feedback_at = feedback, timezone.now()
    return _move(d, S.FEEDBACK_SUBMITTED, actor, "feedback", feedback, ["feedback", "feedback_at"])


def rectification_payload(d: BadReviewDisposal) -> dict:
    from apps.core.workflow import history_for

    return {"evaluation_number": d.evaluation.evaluation_number, "region_code": d.region_id,
            "competent_department": d.competent_department.name, "service_department": d.service_department.name,
            "responsibility": d.responsibility, "verification_notes": d.verification_notes,
            "rectification_content": d.rectification_content, "feedback": d.feedback,
            "deadline": d.deadline.isoformat() if d.deadline else None, "return_visit": d.return_visit_note,
            "steps": [{"action": t.action, "from": t.from_state, "to": t.to_state, "comment": t.comment,
                       "at": t.at.isoformat()} for t in history_for(d)]}


@transaction.atomic
def disposal_review(*, disposal, actor, passed: bool, comment: str = "") -> BadReviewDisposal:
    """REV-11.4.6/11.4.7: a passing review completes the task and reports the full record to
    the national 好差评 system through the outbox; a failing one orders repeat rectification."""
    d = _lock(disposal, actor, (S.FEEDBACK_SUBMITTED,))
    d.review_comment = (comment or "").strip()
    if not passed:
        _reason(comment, _("审核不通过必须填写意见。"))
        return _move(d, S.REPEAT_RECTIFICATION, actor, "review_failed", comment, ["review_comment"])
    _move(d, S.COMPLETED, actor, "review_passed", comment or _("审核通过"), ["review_comment"])
    from apps.reviews.services.statistics import aggregate_adjust_rectified

    aggregate_adjust_rectified(evaluation=d.evaluation)
    from apps.reviews.services.evaluations import NATIONAL_PEER

    enqueue(peer=NATIONAL_PEER, kind="rectification", payload=rectification_payload(d),
            idempotency_key=f"rectification:{d.pk}:{d.feedback_at.isoformat()}", region=d.region)
    return d


def disposal_mark_reported(*, disposal_id: int) -> None:
    """Called by the national sender once the peer confirmed the rectification report."""
    with transaction.atomic():
        d = BadReviewDisposal.objects.select_for_update().get(pk=disposal_id)
        if d.status != S.COMPLETED:
            return
        d.reported_at = timezone.now()
        _move_system(d, S.REPORTED, "report", _("整改数据已上报国家好差评系统"), ["reported_at"])


def _move_system(d, to_state, action, comment, fields=()):
    from_state, d.status = d.status, to_state
    d.save(update_fields=["status", *fields])
    record_transition(obj=d, from_state=from_state, to_state=to_state, actor=None, action=action, comment=comment)


@transaction.atomic
def disposal_return_visit(*, disposal, actor, note: str) -> BadReviewDisposal:
    """差评回访: record the call-back to the evaluator (REV-0.3)."""
    note = _reason(note, _("请填写回访记录。"))
    d = _lock(disposal, actor, tuple(S.values))
    d.return_visit_note, d.return_visit_at = note, timezone.now()
    d.save(update_fields=["return_visit_note", "return_visit_at"])
    record_transition(obj=d, from_state=d.status, to_state=d.status, actor=actor, action="return_visit", comment=note)
    return d


# --- appeals ------------------------------------------------------------------------------


@transaction.atomic
def appeal_file(*, disposal, actor, reason: str) -> Appeal:
    """REV-11.3.1: the service department files within the appeal limit (working days from
    the task's distribution)."""
    reason = _reason(reason, _("请填写申诉理由。"))
    d = BadReviewDisposal.objects.select_for_update().get(pk=disposal.pk)
    org = actor.organisation
    if org is None or not org.tree_path or not d.service_department.tree_path.startswith(org.tree_path) \
            or not actor.has_perm("reviews.add_appeal"):
        raise PermissionDenied(_("只有被评价的服务部门可以申诉。"))
    limit = EvaluationSettings.current().appeal_limit_working_days
    if working_days_between(d.created_at, timezone.now()) > limit:
        raise ValidationError(_("已超过 %(n)s 个工作日的申诉期限，不能再申诉。") % {"n": limit})
    if d.status in (S.INVALIDATED, S.COMPLETED, S.REPORTED, S.NOT_ACCEPTED):
        raise ValidationError(_("该差评已办结，不能申诉。"))
    if d.appeals.filter(status=AppealStatus.SUBMITTED).exists():
        raise ValidationError(_("已有待复核的申诉。"))
    appeal = Appeal.objects.create(disposal=d, organisation=org, appellant=actor, reason=reason)
    record_transition(obj=d, from_state=d.status, to_state=d.status, actor=actor, action="appeal", comment=reason)
    audit_record(actor=actor, action="create", obj=appeal, detail=reason[:200])
    return appeal


@transaction.atomic
def appeal_decide(*, appeal, actor, upheld: bool, reason: str = "") -> Appeal:
    """Upheld → the evaluation is invalid (excluded from bad-review counts); rejected → a reason
    is required and the task goes back to rectification."""
    if not actor.has_perm("reviews.decide_appeal") or not can_see(actor, appeal):
        raise PermissionDenied(_("您没有复核申诉的权限。"))
    a = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if a.status != AppealStatus.SUBMITTED:
        raise ValidationError(_("该申诉已复核。"))
    if not upheld:
        reason = _reason(reason, _("驳回申诉必须填写理由。"))
    a.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    a.reviewer, a.decision_reason, a.decided_at = actor, (reason or "").strip(), timezone.now()
    a.save(update_fields=["status", "reviewer", "decision_reason", "decided_at"])
    d = BadReviewDisposal.objects.select_for_update().get(pk=a.disposal_id)
    if upheld:
        evaluation = d.evaluation
        evaluation.is_valid = False
        evaluation.save(update_fields=["is_valid"])
        _move(d, S.INVALIDATED, actor, "appeal_upheld", reason or _("申诉成立，转入无效评价"))
        from apps.reviews.services.statistics import aggregate_adjust_invalid

        aggregate_adjust_invalid(evaluation=evaluation)
    else:
        fields = []
        if not d.deadline:
            d.limit_working_days = rectification_limit(d.region)
            d.deadline = add_working_days(timezone.localdate(), d.limit_working_days)
            fields = ["limit_working_days", "deadline"]
        d.verified_true = True
        target = S.RECTIFYING if d.rectification_content else S.VERIFIED
        if d.status not in (S.RECTIFYING, S.REPEAT_RECTIFICATION):
            _move(d, target, actor, "appeal_rejected", reason, ["verified_true", *fields])
        else:
            d.save(update_fields=["verified_true", *fields])
            record_transition(obj=d, from_state=d.status, to_state=d.status, actor=actor,
                              action="appeal_rejected", comment=reason)
    return a


# --- time-limit supervision ------------------------------------------------------------------


def _notify(d: BadReviewDisposal, kind: str, text: str) -> None:
    people = [p for p in (d.responsible_person,) if p is not None and p.mobile_number]
    for person in people:
        sms_send(mobile_number=person.mobile_number, recipient=person, purpose=f"reviews_{kind}",
                 content=text, idempotency_key=f"reviews:disposal:{d.pk}:{kind}:{d.deadline}")


def disposal_deadline_scan(*, today: date | None = None) -> dict:
    """REV-11.4.9: near-due and overdue reminders (once per deadline) to the responsible person
    (SMS) and the task history (seen by the departments)."""
    today = today or timezone.localdate()
    near = EvaluationSettings.current().near_due_working_days
    counts = {"near_due": 0, "overdue": 0}
    open_rows = BadReviewDisposal.objects.filter(
        status__in=(S.RECTIFYING, S.REPEAT_RECTIFICATION, S.VERIFIED), deadline__isnull=False).select_related(
        "evaluation", "responsible_person")
    for d in open_rows:
        with transaction.atomic():
            if today > d.deadline and not d.overdue_notified:
                d.overdue_notified = True
                d.save(update_fields=["overdue_notified"])
                text = _("【好差评】差评%(n)s整改已超期（期限%(d)s），请立即处理。") % {
                    "n": d.evaluation.evaluation_number, "d": d.deadline}
                record_transition(obj=d, from_state=d.status, to_state=d.status, actor=None, action="overdue",
                                  comment=text)
                _notify(d, "overdue", text)
                counts["overdue"] += 1
            elif today <= d.deadline and not d.near_due_notified and working_days_between(today, d.deadline) <= near:
                d.near_due_notified = True
                d.save(update_fields=["near_due_notified"])
                text = _("【好差评】差评%(n)s整改即将超期（期限%(d)s），请及时整改并反馈。") % {
                    "n": d.evaluation.evaluation_number, "d": d.deadline}
                record_transition(obj=d, from_state=d.status, to_state=d.status, actor=None, action="near_due",
                                  comment=text)
                _notify(d, "near_due", text)
                counts["near_due"] += 1
    return counts
