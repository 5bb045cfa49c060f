"""办件码投诉处理 (ACC-17.9): submit, then accepted → tracking → filed (立案) or dismissed."""
from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import Case, CaseCode, CaseCodeComplaint, ComplaintKind, ComplaintStatus
from apps.acceptance.services.codes import case_code_verify
from apps.core.models import Region
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.validators import validate_mobile_number
from apps.core.workflow import record_transition

STEPS = {  # action → (from states, to state, note required)
    "track": ((ComplaintStatus.ACCEPTED,), ComplaintStatus.TRACKING, False),
    "file": ((ComplaintStatus.ACCEPTED, ComplaintStatus.TRACKING), ComplaintStatus.FILED, True),
    "dismiss": ((ComplaintStatus.ACCEPTED, ComplaintStatus.TRACKING), ComplaintStatus.DISMISSED, True),
}


@transaction.atomic
def complaint_submit(*, kind: str, content: str, complainant_name: str, complainant_mobile: str, code: str = "",
                     case_number: str = "", region_code: str = "", actor=None) -> CaseCodeComplaint:
    """Anyone may complain; the code is verified on the spot and the case found by number or code."""
    errors = {}
    if kind not in ComplaintKind.values:
        errors["kind"] = _("请选择投诉类型。")
    code, case_number = code.strip().upper(), case_number.strip()
    if kind == ComplaintKind.FORGED and not code:
        errors["code"] = _("投诉伪造办件码须填写该办件码。")
    if kind == ComplaintKind.NO_CODE and not case_number:
        errors["case_number"] = _("投诉无码办件须填写办件编号。")
    if not content.strip():
        errors["content"] = _("请填写投诉内容。")
    if not complainant_name.strip():
        errors["complainant_name"] = _("请填写投诉人。")
    try:
        validate_mobile_number(complainant_mobile.strip())
    except ValidationError as exc:
        errors["complainant_mobile"] = exc.messages
    case = Case.objects.filter(case_number=case_number).first() if case_number else None
    found = CaseCode.objects.select_related("case").filter(code=code).first() if code else None
    case = case or (found.case if found else None)
    region = case.region if case else Region.objects.filter(pk=region_code).first()
    if region is None:
        errors["region_code"] = _("请选择办件所属区划。")
    if errors:
        raise ValidationError(errors)
    complaint = CaseCodeComplaint.objects.create(
        number=f"TS{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}", kind=kind, code=code[:64],
        code_valid=case_code_verify(code) if code else None, case=case, case_number=case_number[:50], region=region,
        content=content.strip(), complainant_name=complainant_name.strip()[:64],
        complainant_mobile=complainant_mobile.strip(),
        submitted_by=actor if actor is not None and actor.is_authenticated else None)
    record_transition(obj=complaint, from_state="", to_state=ComplaintStatus.ACCEPTED, actor=complaint.submitted_by,
                      action="submit")
    return complaint


@transaction.atomic
def complaint_step(*, complaint: CaseCodeComplaint, action: str, actor, note: str = "") -> CaseCodeComplaint:
    """Supervisors track the complaint and end it by filing a case (立案) or dismissing it, with a reason."""
    if action not in STEPS:
        raise ValidationError(_("未知的操作。"))
    if actor is None or not actor.has_perm("acceptance.change_casecodecomplaint") or not can_see(actor, complaint):
        raise PermissionDenied(_("您没有处理该投诉的权限。"))
    complaint = CaseCodeComplaint.objects.select_for_update().get(pk=complaint.pk)
    sources, target, needs_note = STEPS[action]
    if complaint.status not in sources:
        raise ValidationError(_("投诉当前状态为“%(s)s”，不能执行该操作。") % {"s": complaint.get_status_display()})
    if needs_note and not note.strip():
        raise ValidationError({"note": _("请填写处理意见。")})
    previous = complaint.status
    complaint.status, complaint.handling_note = target, (note.strip() or complaint.handling_note)[:500]
    complaint.save(update_fields=["status", "handling_note"])
    record_transition(obj=complaint, from_state=previous, to_state=target, actor=actor, action=action, comment=note)
    audit_record(actor=actor, action="update", obj=complaint, detail=f"{action}: {previous} → {target}")
    return complaint
