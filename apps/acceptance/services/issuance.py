"""Unified issuance (统一发证, ACC-10.x): awaiting issuance → issued, delivery record, pickup info to the department.

When the result is a licence the issuance post hands it to apps.licences: `licence_enter(draft=True)`
puts a draft with the holder and case number into the licences drafts box (LIC-1.9), where licence
staff complete, review and seal it.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.acceptance.models import Case, CaseDelivery, CaseStatus, DeliveryMethod, IssuanceStatus
from apps.acceptance.services.onewindow import _notify, require_handler
from apps.core.services.audit import audit_record
from apps.core.workflow import record_transition


@transaction.atomic
def case_issue(*, case: Case, actor, method: str, recipient: str, address: str = "", waybill_number: str = "",
               licence_template=None) -> CaseDelivery:
    """出件 (ACC-10.3 – 10.5, 14.13): record how the result left, mark the case issued, tell the department."""
    if method not in DeliveryMethod.values:
        raise ValidationError(_("请选择出件方式。"))
    if not recipient.strip():
        raise ValidationError(_("请填写领取人或收件人。"))
    if method in (DeliveryMethod.EXPRESS, DeliveryMethod.DOOR) and not address.strip():
        raise ValidationError(_("快递寄送和上门投送须填写地址。"))
    if method == DeliveryMethod.EXPRESS and not waybill_number.strip():
        raise ValidationError(_("快递寄送须填写运单号。"))
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_handler(actor, case)
    if case.status != CaseStatus.CONCLUDED or case.issuance_status != IssuanceStatus.PENDING:
        raise ValidationError(_("办件不在待出件状态。"))
    licence_code = ""
    if licence_template is not None:
        from apps.licences.services.licences import licence_enter

        licence = licence_enter(actor=actor, template=licence_template, issuer=case.organisation, draft=True,
                                data={"name": case.item.result_name or case.item.name,
                                      "holder_name": case.applicant_name, "holder_code": case.applicant_id_number,
                                      "licence_number": case.case_number})
        licence_code = licence.licence_code
    delivery = CaseDelivery.objects.create(case=case, method=method, recipient=recipient.strip(),
                                           address=address.strip(), waybill_number=waybill_number.strip(),
                                           issued_by=actor, licence_code=licence_code)
    case.issuance_status, case.delivery_method, case.delivery_address = IssuanceStatus.ISSUED, method, address.strip()
    case.save(update_fields=["issuance_status", "delivery_method", "delivery_address"])
    record_transition(obj=case, from_state=case.status, to_state=case.status, actor=actor, action="issue",
                      comment=f"{DeliveryMethod(method).label} {recipient}")
    audit_record(actor=actor, action="update", obj=case, detail=f"出件 {method}")
    if case.route_id:
        from apps.acceptance.services.dispatch import send_to_department

        send_to_department(case, "pickup.info", {
            "method": method, "recipient": delivery.recipient, "address": delivery.address,
            "waybill_number": delivery.waybill_number, "issued_at": delivery.issued_at.isoformat(),
            "licence_code": licence_code}, key="pickup")
    _notify(case, _("您的办件%(n)s已出件（%(m)s）。") % {"n": case.case_number,
                                                   "m": DeliveryMethod(method).label}, f"case:{case.pk}:issued")
    return delivery
