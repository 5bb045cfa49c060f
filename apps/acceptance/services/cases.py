"""Case registration, numbering and conclusion: the minimal lifecycle other apps build on.

The full one-window workflow (pre-review, supplements, dispatch, issuance) extends these
services; reviews evaluates concluded cases and supervision watches `due_date`.
"""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models.cases import (
    ApplicantKind, Case, CaseChannel, CaseClassification, CaseNumberSerial, CaseResult, CaseStatus, IssuanceStatus,
)
from apps.acceptance.models.onewindow import CaseDocument, DocumentKind
from apps.core.calendar import add_working_days
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.validators import validate_id_number, validate_mobile_number, validate_credit_code
from apps.core.workflow import record_transition

ACCEPT_PERMISSION = "acceptance.change_case"
# Before acceptance a case cannot be concluded; it must be accepted or refused first.
NOT_YET_ACCEPTED = (CaseStatus.PENDING_PRE_REVIEW, CaseStatus.PRE_REVIEW_PASSED, CaseStatus.PRE_REVIEW_TIMED_OUT,
                    CaseStatus.PENDING_ACCEPTANCE)


def case_number_allocate(*, implementation_code: str, on_date: date) -> str:
    """办件编号 = implementation code + yyyyMMdd + 4-digit daily serial (reference-codes.md §5).

    Must run inside the caller's transaction: the serial row stays locked until commit.
    """
    CaseNumberSerial.objects.bulk_create(
        [CaseNumberSerial(implementation_code=implementation_code, date=on_date)], ignore_conflicts=True)
    serial = CaseNumberSerial.objects.select_for_update().get(implementation_code=implementation_code,
                                                              date=on_date)
    serial.last += 1
    serial.save(update_fields=["last"])
    return f"{implementation_code}{on_date:%Y%m%d}{serial.last:04d}"


def _validate_applicant(kind: str, id_number: str, mobile: str) -> None:
    if kind == ApplicantKind.LEGAL_PERSON:
        validate_credit_code(id_number)
    else:
        validate_id_number(id_number)
    if mobile:
        validate_mobile_number(mobile)


@transaction.atomic
def case_register(*, item, applicant_name: str, applicant_id_number: str, applicant_mobile: str = "",
                  applicant_kind: str = ApplicantKind.NATURAL_PERSON, applicant=None,
                  channel: str = CaseChannel.WINDOW, hall=None, window=None, window_staff=None,
                  status: str = CaseStatus.PENDING_ACCEPTANCE, actor=None) -> Case:
    """Take a new case in: validate the applicant, number it, record the first state.

    Window registration (actor = window staff) needs the accept permission on the item's
    organisation; an online submission has the applicant as actor.
    """
    if not applicant_name.strip():
        raise ValidationError(_("请填写申请人名称。"))
    _validate_applicant(applicant_kind, applicant_id_number.strip().upper(), applicant_mobile.strip())
    if channel == CaseChannel.WINDOW and (actor is None or not actor.has_perm(ACCEPT_PERMISSION)
                                          or not can_see(actor, item)):
        raise PermissionDenied(_("您没有窗口受理权限。"))
    case = Case.objects.create(
        case_number=case_number_allocate(implementation_code=item.implementation_code,
                                         on_date=timezone.localdate()),
        item=item, region_id=item.region_id, organisation_id=item.handling_department_id,
        applicant=applicant, applicant_kind=applicant_kind, applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number.strip().upper(), applicant_mobile=applicant_mobile.strip(),
        channel=channel, status=status, hall=hall, window=window, window_staff=window_staff,
        classification=default_classification(item=item, channel=channel))
    record_transition(obj=case, from_state="", to_state=status, actor=actor, action="register")
    return case


def default_classification(*, item, channel: str) -> str:
    """ACC-6.5: an online submission is a 网上预申办 until accepted; at the window, licensing items
    (matter type 01) are 行政许可 cases and everything else 公共服务. 材料快速审批 is set by staff."""
    if channel != CaseChannel.WINDOW:
        return CaseClassification.ONLINE_PRE_APPLICATION
    return CaseClassification.LICENSING if item.matter_type == "01" else CaseClassification.PUBLIC_SERVICE


def case_classify(*, case: Case, classification: str, actor) -> Case:
    """Staff re-mark a case (e.g. 材料快速审批); audited, recorded in the case history."""
    if classification not in CaseClassification.values:
        raise ValidationError({"classification": _("请选择申办件分类。")})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        _require_handler(actor, case)
        if case.classification == classification:
            return case
        before = case.get_classification_display()
        case.classification = classification
        case.save(update_fields=["classification"])
        record_transition(obj=case, from_state=case.status, to_state=case.status, actor=actor, action="classify",
                          comment=_("分类：%(a)s → %(b)s") % {"a": before, "b": case.get_classification_display()})
        audit_record(actor=actor, action="update", obj=case, changes={"classification": [before, classification]})
    return case


def _require_handler(actor, case: Case) -> None:
    if actor is None or not actor.has_perm(ACCEPT_PERMISSION) or not can_see(actor, case):
        raise PermissionDenied(_("您没有办理该办件的权限。"))


@transaction.atomic
def case_accept(*, case: Case, actor) -> Case:
    """受理: the case is formally taken in; the committed limit starts counting in working days."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_handler(actor, case)
    if case.status not in (CaseStatus.PENDING_ACCEPTANCE, CaseStatus.PRE_REVIEW_PASSED):
        raise ValidationError(_("办件当前状态为“%(status)s”，不能受理。") % {"status": case.get_status_display()})
    previous, now = case.status, timezone.now()
    case.status, case.accepted_at, case.accepted_by = CaseStatus.ACCEPTED, now, actor
    limit = case.item.committed_limit_working_days
    case.due_date = timezone.localdate(now) if case.item.is_immediate or not limit else add_working_days(
        timezone.localdate(now), limit)
    case.save(update_fields=["status", "accepted_at", "accepted_by", "due_date"])
    record_transition(obj=case, from_state=previous, to_state=case.status, actor=actor, action="accept")
    audit_record(actor=actor, action="update", obj=case, detail="受理")
    _after_accept(case, actor)
    return case


def _after_accept(case: Case, actor) -> None:
    """Acceptance notice, case code, dispatch to the routed department system, applicant notice."""
    from apps.acceptance.models import DocumentKind
    from apps.acceptance.services.codes import assign_on_accept
    from apps.acceptance.services.dispatch import dispatch_accepted
    from apps.acceptance.services.onewindow import _document, _notify

    _document(case, DocumentKind.ACCEPTANCE_NOTICE, actor)
    assign_on_accept(case)
    dispatch_accepted(case)
    _notify(case, _("您的办件%(n)s已受理，承诺办结日期%(d)s。") % {
        "n": case.case_number, "d": case.due_date.isoformat() if case.due_date else ""}, f"case:{case.pk}:accept")


@transaction.atomic
def case_conclude(*, case: Case, actor, result: str = CaseResult.APPROVED, note: str = "") -> Case:
    """办结: handling finished with a result; the case becomes evaluable (apps.reviews)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_handler(actor, case)
    if case.is_final or case.status in NOT_YET_ACCEPTED:
        raise ValidationError(_("办件当前状态为“%(status)s”，不能办结。") % {"status": case.get_status_display()})
    if result not in CaseResult.values:
        raise ValidationError(_("办理结果无效。"))
    previous = case.status
    case.status, case.concluded_at, case.result, case.result_note = CaseStatus.CONCLUDED, timezone.now(), result, note
    case.issuance_status = IssuanceStatus.PENDING
    case.save(update_fields=["status", "concluded_at", "result", "result_note", "issuance_status"])
    record_transition(obj=case, from_state=previous, to_state=case.status, actor=actor, action="conclude",
                      comment=note)
    CaseDocument.objects.get_or_create(case=case, kind=DocumentKind.RESULT_NOTICE,  # carries the graphic code
                                       defaults={"issued_by": actor, "detail": case.get_result_display()[:500]})
    audit_record(actor=actor, action="update", obj=case, detail="办结")
    return case
