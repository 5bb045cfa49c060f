"""One-window acceptance: online application, pre-review, window intake, refusal, supplements (ACC-6.x, 7.x, 9.x).

Every service validates first, then checks permission and scope, then changes, records the
transition and audits; messages to department systems go through `services.dispatch`.
"""
from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Case,
    CaseChannel,
    CaseDocument,
    CaseMaterial,
    CaseStatus,
    CaseSupplement,
    DocumentKind,
    MaterialMedium,
    MaterialSource,
    RelatedItem,
    RelationKind,
    SupplementStatus,
)
from apps.acceptance.models.attachments import AttachmentSource
from apps.acceptance.services.attachments import (
    attachment_check,
    attachment_prepare,
    attachment_register,
)
from apps.acceptance.services.cases import ACCEPT_PERMISSION, case_register
from apps.core.calendar import add_working_days
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.workflow import record_transition

PRE_REVIEW_WORKING_DAYS = 2          # pre-review must happen within 2 working days (then 预审超时)
PRE_REVIEW_VOID_WORKING_DAYS = 3     # a timed-out pre-review is voided 3 working days later (预审超时作废)
MAX_SUPPLEMENT_WORKING_DAYS = 30
ALLOWED_EXTENSIONS = {"pdf", "doc", "docx", "xls", "xlsx", "txt", "jpg", "jpeg", "png", "ofd"}
MAX_FILE_BYTES = 20 * 1024 * 1024
EICAR = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


def virus_scan(upload) -> bool:
    """Virus-scan hook (ACC-18.0): the default recognises the EICAR test signature; replace with the
    province's scanning service in production. Returns True when the file is clean."""
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    return EICAR not in head


def validate_upload(upload, *, label: str) -> None:
    """Type, size and virus checks of one uploaded material (ACC-6.7, 18.0)."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(_("材料“%(label)s”的文件类型 .%(ext)s 不允许上传，仅支持 Word、Excel、PDF、OFD、TXT 和图片。")
                              % {"label": label, "ext": extension or "?"})
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(_("材料“%(label)s”超过 20MB。") % {"label": label})
    if not virus_scan(upload):
        raise ValidationError(_("材料“%(label)s”未通过病毒扫描。") % {"label": label})


def materials_checklist(item, situation_ids=()) -> list:
    """The item's materials for the chosen situations (情形引导, ACC-7.2, 7.5): general ones plus those of
    the ticked situations; `is_required` tells mandatory from optional."""
    chosen = {int(s) for s in situation_ids}
    return [m for m in item.materials.all() if m.situation_id is None or m.situation_id in chosen]


def _notify(case: Case, text: str, key: str) -> None:
    """Push a notice to the applicant by SMS (ACC-6.4, 7.3, 9.4); the user centre shows the timeline."""
    if not case.applicant_mobile:
        return
    from apps.core.sms import sms_send

    sms_send(mobile_number=case.applicant_mobile, content=text, purpose="acceptance", idempotency_key=key,
             recipient=case.applicant)


def _document(case: Case, kind: str, actor, detail: str = "") -> CaseDocument:
    document, _created = CaseDocument.objects.get_or_create(case=case, kind=kind,
                                                            defaults={"issued_by": actor, "detail": detail[:500]})
    return document


def _move(case: Case, *, to: str, actor, action: str, comment: str = "", fields=(), client=None) -> Case:
    previous = case.status
    case.status = to
    case.save(update_fields=["status", *fields])
    record_transition(obj=case, from_state=previous, to_state=to, actor=actor, action=action, comment=comment)
    audit_record(actor=actor, action="update", obj=case, detail=f"{action}: {previous} → {to}")
    return case


def require_handler(actor, case: Case) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(ACCEPT_PERMISSION) \
            or not can_see(actor, case):
        raise PermissionDenied(_("您没有办理该办件的权限。"))


def _attach(case: Case, item, files: dict, received: set, situation_ids, *, online: bool,
            reused: dict | None = None, licensed: dict | None = None, actor=None) -> None:
    """The checklist lines handed in: uploaded, ticked as received on paper, reused from an earlier
    case of the same applicant (`reused`: material pk → CaseMaterial, ACC-7.13), or taken from the
    applicant's e-licences (`licensed`: material pk → elicences.LicenceMaterial, ACC-7.12)."""
    checklist = materials_checklist(item, situation_ids)
    reused, licensed = reused or {}, licensed or {}
    missing = [m.name for m in checklist if m.is_required
               and not (files.get(str(m.pk)) or str(m.pk) in received or str(m.pk) in reused
                        or str(m.pk) in licensed)]
    if missing:
        raise ValidationError(_("缺少必要材料：%(names)s。") % {"names": "、".join(missing)})
    for material in checklist:                     # every upload checked before any byte is stored
        if files.get(str(material.pk)) is not None:
            attachment_check(files[str(material.pk)], label=material.name)
    rows, stored = [], []
    for material in checklist:
        licence = licensed.get(str(material.pk)) if not files.get(str(material.pk)) else None
        if licence is not None:
            rows.append(CaseMaterial(case=case, definition=material, name=material.name, copies=1,
                                     is_required=material.is_required, medium=MaterialMedium.ELECTRONIC,
                                     received=True, source=MaterialSource.LICENCE, licence_code=licence.licence_code))
            rows[-1].file.save(licence.file.name, licence.file, save=False)
            continue
        upload = files.get(str(material.pk))
        earlier = reused.get(str(material.pk)) if upload is None else None
        if upload is None and earlier is None and str(material.pk) not in received:
            continue
        prepared = attachment_prepare(upload, label=material.name, checked=True) if upload is not None else None
        source = (MaterialSource.UPLOAD if upload else MaterialSource.HISTORY if earlier
                  else MaterialSource.UPLOAD if online else MaterialSource.PAPER)
        if prepared is not None:
            stored.append((len(rows), prepared))
        rows.append(CaseMaterial(case=case, definition=material, name=material.name, is_required=material.is_required,
                                 copies=max(material.original_copies, 1),
                                 file=prepared.blob.storage_name if prepared else (earlier.file.name if earlier else ""),
                                 medium=MaterialMedium.ELECTRONIC if upload or earlier or online
                                 else MaterialMedium.PAPER, received=True, source=source, reused_from=earlier))
    CaseMaterial.objects.bulk_create(rows)
    attachment_register(case=case, links=[(rows[i], prepared) for i, prepared in stored], actor=actor,
                        source=AttachmentSource.FRONT_END if online else AttachmentSource.WINDOW)


@transaction.atomic
def case_apply_online(*, item, actor, applicant_name: str, applicant_id_number: str, applicant_mobile: str = "",
                      files: dict | None = None, situation_ids=(), form_data: dict | None = None,
                      channel: str = CaseChannel.PC, applicant_kind: str = "natural_person",
                      internal_review_opinion: str = "", proxy_number: str = "") -> Case:
    """网上申报 (ACC-0.9, 14.7): an applicant submits an item with its materials; it waits for pre-review.
    A unit may attach its internal review opinion (单位内审意见, ACC-6.6) for the pre-reviewer. With a
    `proxy_number` the actor is an agent applying for the principal (授权代办, ACC-0.8, services.proxy)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if item.status != "published":
        raise ValidationError(_("该事项未发布，不能申报。"))
    from apps.acceptance.services.assist import require_prerequisites

    owner, handling = actor, None
    if proxy_number:
        from apps.acceptance.services.proxy import principal_applicant, proxy_for_apply

        handling = proxy_for_apply(number=proxy_number, agent=actor, item=item)
        owner, principal = handling.principal, principal_applicant(handling)
        applicant_name, applicant_id_number = principal["applicant_name"], principal["applicant_id_number"]
        applicant_kind = principal["applicant_kind"]
        applicant_mobile = principal["applicant_mobile"] or applicant_mobile
    require_prerequisites(item, applicant_id_number)
    case = case_register(item=item, applicant_name=applicant_name, applicant_id_number=applicant_id_number,
                         applicant_mobile=applicant_mobile, applicant_kind=applicant_kind, applicant=owner,
                         channel=channel, status=CaseStatus.PENDING_PRE_REVIEW, actor=actor)
    if handling is not None:
        case.proxy_agent, case.proxy_number = actor, handling.number
        case.save(update_fields=["proxy_agent", "proxy_number"])
        audit_record(actor=actor, action="update", obj=case,
                     detail=f"授权代办 {handling.number}：{actor.full_name or actor.username} 代 {applicant_name} 申报")
    case.form_data, case.situations = form_data or {}, [int(s) for s in situation_ids]
    case.pre_review_due = add_working_days(timezone.localdate(), PRE_REVIEW_WORKING_DAYS)
    case.internal_review_opinion = (internal_review_opinion or "").strip()[:2000]
    case.save(update_fields=["form_data", "situations", "pre_review_due", "internal_review_opinion"])
    _attach(case, item, files or {}, set(), situation_ids, online=True, actor=actor)
    return case


@transaction.atomic
def case_window_intake(*, item, actor, applicant_name: str, applicant_id_number: str, applicant_mobile: str = "",
                       received: set | None = None, files: dict | None = None, situation_ids=(),
                       form_data: dict | None = None, hall=None, window=None,
                       applicant_kind: str = "natural_person", internal_review_opinion: str = "",
                       reuse: dict | None = None, together=(), copy_from=None, licences: dict | None = None) -> Case:
    """收件 at the window (ACC-7.5, 7.7, 7.14): materials ticked as received, uploaded or reused from the
    applicant's earlier cases (7.13); the item chain's prerequisites must be licensed, and curated related
    items (`together`, 7.6) are taken in as cases declared with this one; `copy_from` re-fills the form
    data from one of the applicant's earlier cases of the item (7.11). Prints the intake receipt."""
    from apps.acceptance.services import assist, elicences

    assist.require_prerequisites(item, applicant_id_number)
    if copy_from:
        source = assist.copy_source(user=actor, item=item, id_number=applicant_id_number, case_pk=copy_from)
        form_data = {**source.form_data, **(form_data or {}), "copied_from": source.case_number}
    reused = assist.resolve_reuse(user=actor, id_number=applicant_id_number, reuse=reuse or {})
    licensed = elicences.resolve_licences(item=item, checklist=materials_checklist(item, situation_ids),
                                          id_number=applicant_id_number, applicant_name=applicant_name,
                                          chosen=licences or {})
    related = _together_items(item, together)
    applicant = {"applicant_name": applicant_name, "applicant_id_number": applicant_id_number,
                 "applicant_mobile": applicant_mobile, "applicant_kind": applicant_kind}
    case = case_register(item=item, hall=hall, window=window, channel=CaseChannel.WINDOW, actor=actor, **applicant)
    case.form_data, case.situations = form_data or {}, [int(s) for s in situation_ids]
    case.internal_review_opinion = (internal_review_opinion or "").strip()[:2000]
    case.save(update_fields=["form_data", "situations", "internal_review_opinion"])
    _attach(case, item, files or {}, {str(r) for r in (received or ())}, situation_ids, online=False,
            reused=reused, licensed=licensed, actor=actor)
    _document(case, DocumentKind.INTAKE_RECEIPT, actor)
    _document(case, DocumentKind.MATERIAL_LIST, actor)
    for other in related:
        assist.require_prerequisites(other, applicant_id_number)
        sibling = case_register(item=other, hall=hall, window=window, channel=CaseChannel.WINDOW, actor=actor,
                                **applicant)
        sibling.declared_with = case
        sibling.save(update_fields=["declared_with"])
        record_transition(obj=sibling, from_state=sibling.status, to_state=sibling.status, actor=actor,
                          action="declare_together", comment=case.case_number)
        _document(sibling, DocumentKind.INTAKE_RECEIPT, actor)
    return case


def _together_items(item, together) -> list:
    """The related items chosen to declare together; only the item's curated related items are allowed."""
    wanted = {int(t) for t in together or () if str(t).isdigit()}
    if not wanted:
        return []
    relations = list(RelatedItem.objects.filter(item=item, kind=RelationKind.RELATED, related_id__in=wanted,
                                                related__status="published").select_related("related"))
    if len(relations) != len(wanted) or len(wanted) != len([t for t in together if str(t).strip()]):
        raise ValidationError(_("只能一并申报该事项已配置的关联事项。"))
    return [r.related for r in relations]


class PreReviewDecision:
    PASS, REJECT, SUPPLEMENT = "pass", "reject", "supplement"
    CHOICES = ((PASS, _("预审通过")), (REJECT, _("不予通过")), (SUPPLEMENT, _("补齐补正")))


@transaction.atomic
def case_pre_review(*, case: Case, actor, decision: str, opinion: str, supplement_days: int = 5) -> Case:
    """预审 (ACC-6.1, 6.2, 6.4): pass → acceptance; not pass → returned; supplement → notice with deadline."""
    if decision not in (PreReviewDecision.PASS, PreReviewDecision.REJECT, PreReviewDecision.SUPPLEMENT):
        raise ValidationError(_("请选择预审意见。"))
    if not opinion.strip():
        raise ValidationError(_("请填写预审意见。"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_handler(actor, case)
    if case.status not in (CaseStatus.PENDING_PRE_REVIEW, CaseStatus.PRE_REVIEW_TIMED_OUT):
        raise ValidationError(_("办件当前状态为“%(s)s”，不能预审。") % {"s": case.get_status_display()})
    case.pre_review_opinion = opinion.strip()[:500]
    if decision == PreReviewDecision.SUPPLEMENT:
        case.save(update_fields=["pre_review_opinion"])
        return supplement_request(case=case, actor=actor, content=opinion, working_days=supplement_days,
                                  resume_status=CaseStatus.PRE_REVIEW_PASSED)
    to = CaseStatus.PRE_REVIEW_PASSED if decision == PreReviewDecision.PASS else CaseStatus.PRE_REVIEW_REJECTED
    _move(case, to=to, actor=actor, action="pre_review", comment=opinion, fields=["pre_review_opinion"])
    _notify(case, _("您的办件%(n)s预审结果：%(r)s。%(o)s") % {"n": case.case_number, "r": case.get_status_display(),
                                                          "o": opinion[:60]}, f"case:{case.pk}:pre_review")
    return case


@transaction.atomic
def case_pre_review_sweep(*, today: date | None = None) -> dict:
    """Beat task: overdue pre-reviews time out; timed-out ones are voided after the grace period (ACC-6.3)."""
    today = today or timezone.localdate()
    counts = {"timed_out": 0, "voided": 0}
    for case in Case.objects.select_for_update(skip_locked=True).filter(
            status=CaseStatus.PENDING_PRE_REVIEW, pre_review_due__lt=today):
        _move(case, to=CaseStatus.PRE_REVIEW_TIMED_OUT, actor=None, action="pre_review_timeout")
        counts["timed_out"] += 1
    for case in Case.objects.select_for_update(skip_locked=True).filter(status=CaseStatus.PRE_REVIEW_TIMED_OUT):
        if add_working_days(case.pre_review_due, PRE_REVIEW_VOID_WORKING_DAYS) < today:
            _move(case, to=CaseStatus.PRE_REVIEW_VOIDED, actor=None, action="pre_review_void")
            counts["voided"] += 1
    return counts


@transaction.atomic
def case_refuse(*, case: Case, actor, reason: str) -> Case:
    """不予受理 with a reason and the non-acceptance notice (ACC-7.3)."""
    if not reason.strip():
        raise ValidationError(_("请填写不予受理理由。"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_handler(actor, case)
    if case.status not in (CaseStatus.PENDING_ACCEPTANCE, CaseStatus.PRE_REVIEW_PASSED):
        raise ValidationError(_("办件当前状态为“%(s)s”，不能作不予受理决定。") % {"s": case.get_status_display()})
    case.decision_reason = reason.strip()[:500]
    _move(case, to=CaseStatus.NOT_ACCEPTED, actor=actor, action="refuse", comment=reason, fields=["decision_reason"])
    _document(case, DocumentKind.NON_ACCEPTANCE_NOTICE, actor, reason)
    _notify(case, _("您的办件%(n)s不予受理：%(r)s") % {"n": case.case_number, "r": reason[:60]}, f"case:{case.pk}:refuse")
    return case


def supplement_request(*, case: Case, actor=None, content: str, working_days: int, resume_status: str = "",
                       client=None) -> Case:
    """补齐补正告知 (ACC-7.3, 9.1, 9.4, 14.9): by window staff (actor) or a department system (client).
    Runs inside the caller's transaction with `case` locked."""
    if not content.strip():
        raise ValidationError(_("请填写需补正的内容。"))
    if not 1 <= int(working_days) <= MAX_SUPPLEMENT_WORKING_DAYS:
        raise ValidationError(_("补正期限须为 1 至 %(n)s 个工作日。") % {"n": MAX_SUPPLEMENT_WORKING_DAYS})
    if case.is_final or case.status == CaseStatus.SUPPLEMENT_REQUIRED:
        raise ValidationError(_("办件当前状态为“%(s)s”，不能要求补正。") % {"s": case.get_status_display()})
    if client is None:
        require_handler(actor, case)
    resume = resume_status or (CaseStatus.PENDING_ACCEPTANCE if case.status in (
        CaseStatus.PENDING_ACCEPTANCE, CaseStatus.PRE_REVIEW_PASSED) else case.status)
    deadline = add_working_days(timezone.localdate(), int(working_days))
    CaseSupplement.objects.create(case=case, requested_by=actor, requested_by_system=client, content=content.strip(),
                                  working_days=int(working_days), deadline=deadline, resume_status=resume)
    _move(case, to=CaseStatus.SUPPLEMENT_REQUIRED, actor=actor, action="supplement_request", comment=content)
    CaseDocument.objects.filter(case=case, kind=DocumentKind.SUPPLEMENT_NOTICE).delete()
    _document(case, DocumentKind.SUPPLEMENT_NOTICE, actor, content)
    _notify(case, _("您的办件%(n)s需补齐补正，请于%(d)s前补交：%(c)s") % {
        "n": case.case_number, "d": deadline.isoformat(), "c": content[:50]},
        f"case:{case.pk}:supplement:{case.supplements.count()}")
    return case


@transaction.atomic
def case_supplement_request(*, case: Case, actor, content: str, working_days: int) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    return supplement_request(case=case, actor=actor, content=content, working_days=working_days)


@transaction.atomic
def supplement_submit(*, supplement: CaseSupplement, actor, files: dict | None = None, note: str = "",
                      today: date | None = None) -> CaseSupplement:
    """补正受理 (ACC-7.9, 9.2, 9.3): the window takes the supplemented materials before the deadline; the
    case resumes and, if it was dispatched, the materials go to the department system (ACC-14.4)."""
    today = today or timezone.localdate()
    supplement = CaseSupplement.objects.select_for_update().select_related("case").get(pk=supplement.pk)
    case = Case.objects.select_for_update().get(pk=supplement.case_id)
    require_handler(actor, case)
    if supplement.status != SupplementStatus.PENDING:
        raise ValidationError(_("该补正已处理（%(s)s）。") % {"s": supplement.get_status_display()})
    if today > supplement.deadline:
        raise ValidationError(_("已超过补正截止日期 %(d)s，不能再补正。") % {"d": supplement.deadline.isoformat()})
    if not files and not note.strip():
        raise ValidationError(_("请上传补正材料或填写补正说明。"))
    for label, upload in (files or {}).items():
        attachment_check(upload, label=label)
    rows, stored = [], []
    for label, upload in (files or {}).items():
        stored.append(attachment_prepare(upload, label=label, checked=True))
        rows.append(CaseMaterial(case=case, name=label, file=stored[-1].blob.storage_name, received=True,
                                 supplement=supplement))
    CaseMaterial.objects.bulk_create(rows)
    attachment_register(case=case, links=list(zip(rows, stored)), actor=actor, source=AttachmentSource.SUPPLEMENT)
    supplement.status, supplement.submitted_at = SupplementStatus.SUBMITTED, timezone.now()
    supplement.submitted_note = note.strip()[:500]
    supplement.save(update_fields=["status", "submitted_at", "submitted_note"])
    _move(case, to=supplement.resume_status, actor=actor, action="supplement_submit", comment=note)
    if case.route_id:
        from apps.acceptance.services.dispatch import send_to_department

        send_to_department(case, "materials.supplement", {"supplement_id": supplement.pk, "note": note,
                                                          "materials": [m.name for m in rows]},
                           key=f"supplement:{supplement.pk}")
    return supplement


@transaction.atomic
def supplement_timeout_sweep(*, today: date | None = None) -> int:
    """Beat task: a supplement past its deadline times out and the case is voided; the department system
    is told (ACC-14.12)."""
    today = today or timezone.localdate()
    voided = 0
    for supplement in CaseSupplement.objects.select_for_update(skip_locked=True).select_related("case").filter(
            status=SupplementStatus.PENDING, deadline__lt=today):
        case = Case.objects.select_for_update().get(pk=supplement.case_id)
        supplement.status = SupplementStatus.TIMED_OUT
        supplement.save(update_fields=["status"])
        _move(case, to=CaseStatus.VOIDED, actor=None, action="supplement_timeout",
              comment=_("补正超时作废（截止 %(d)s）") % {"d": supplement.deadline.isoformat()})
        if case.route_id:
            from apps.acceptance.services.dispatch import send_to_department

            send_to_department(case, "case.voided", {"reason": "supplement_timeout",
                                                     "deadline": supplement.deadline.isoformat()},
                               key=f"void:{case.pk}")
        voided += 1
    return voided
