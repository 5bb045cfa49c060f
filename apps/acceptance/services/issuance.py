"""Unified issuance (统一发证, ACC-10.x): result sign-for, awaiting issuance → issued, delivery tracking.

When the result is a licence (the item's approval result is linked to an e-licence catalogue entry,
MAT-4.1) it is filed into apps.licences through `apps.matters.services.licence_use.licence_result_file`:
one draft per linked entry with the holder and the case number, which licence staff complete, review
and seal. The filing actor is the issuing staff member when they hold licences.add_licence over the
issuing department, else the department's configured service account (`IssuingAccount`, decision 0404);
without either nothing is written and the window is told why.
"""
from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    FINAL_EVENTS, Case, CaseDelivery, CaseStatus, DeliveryEvent, DeliveryEventKind, DeliveryMethod, IssuanceStatus,
    IssuingAccount, ResultReceipt, ResultType,
)
from apps.acceptance.services.onewindow import _notify, require_handler, validate_upload
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.workflow import record_transition

PHOTO_EXTENSIONS = {"jpg", "jpeg", "png"}
LICENCE_PERMISSION = "licences.add_licence"


def has_licence_result(item) -> bool:
    from apps.matters.models import LicenceLink, LinkTarget

    return LicenceLink.objects.filter(implementation_item=item, target=LinkTarget.RESULT).exists()


def licence_filing_actor(staff, case: Case):
    """Who files the licence result (decision 0404): the staff member if they hold licences.add_licence over
    the issuing department, else the active service account of that department or of its nearest ancestor
    whose scope covers it. Refused when there is none."""
    if staff.has_perm(LICENCE_PERMISSION) and can_see(staff, case.organisation):
        return staff
    ancestor_ids = [int(pk) for pk in case.organisation.tree_path.strip("/").split("/") if pk]
    accounts = {a.organisation_id: a for a in IssuingAccount.objects.filter(
        organisation_id__in=ancestor_ids, is_active=True, account__is_active=True).select_related("account")}
    for pk in reversed(ancestor_ids):
        account = accounts[pk].account if pk in accounts else None
        if account is not None and account.has_perm(LICENCE_PERMISSION) and can_see(account, case.organisation):
            return account
    raise PermissionDenied(_("您没有电子证照录入权限，且%(org)s未配置可用的证照归集账号，结果证照不能入库。")
                           % {"org": case.organisation.name})


def _file_licence(case: Case, staff) -> str:
    from apps.matters.services.licence_use import licence_result_file

    filer = licence_filing_actor(staff, case)
    licences = licence_result_file(actor=filer, item=case.item, holder_name=case.applicant_name,
                                   holder_code=case.applicant_id_number, case_number=case.case_number,
                                   issuer=case.organisation)
    codes = ",".join(lic.licence_code for lic in licences)
    audit_record(actor=staff, action="update", obj=case,
                 detail=f"结果证照入库 {codes}（归集账号 {filer.get_username()}）")
    return codes


@transaction.atomic
def result_sign_for(*, case: Case, actor, result_type: str, photo, checked: bool, check_note: str = "",
                    copies: int = 1) -> ResultReceipt:
    """结果签收登记 (ACC-10.1, 10.2): the window signs for the department's result, checks and photographs it;
    a licence result is filed into the e-licence library with the photo kept on the receipt."""
    if result_type not in ResultType.values:
        raise ValidationError(_("请选择结果类型。"))
    if photo is None:
        raise ValidationError(_("请上传结果照片。"))
    validate_upload(photo, label=_("结果照片"))
    if photo.name.rsplit(".", 1)[-1].lower() not in PHOTO_EXTENSIONS:
        raise ValidationError(_("结果照片须为 JPG 或 PNG 图片。"))
    if not checked:
        raise ValidationError(_("请先核对结果无误后再签收。"))
    if copies < 1:
        raise ValidationError(_("份数至少为 1。"))
    case = Case.objects.select_for_update().select_related("organisation", "item").get(pk=case.pk)
    require_handler(actor, case)
    if case.status != CaseStatus.CONCLUDED or case.issuance_status != IssuanceStatus.PENDING:
        raise ValidationError(_("办件不在待出件状态，不能签收结果。"))
    if ResultReceipt.objects.filter(case=case).exists():
        raise ValidationError(_("该办件的结果已签收。"))
    codes = _file_licence(case, actor) if result_type == ResultType.LICENCE and has_licence_result(case.item) else ""
    receipt = ResultReceipt.objects.create(case=case, result_type=result_type, copies=copies, checked=True,
                                           check_note=check_note.strip()[:500], photo=photo, licence_codes=codes,
                                           signed_by=actor)
    record_transition(obj=case, from_state=case.status, to_state=case.status, actor=actor, action="sign_for_result",
                      comment=ResultType(result_type).label)
    audit_record(actor=actor, action="create", obj=receipt)
    return receipt


@transaction.atomic
def case_issue(*, case: Case, actor, method: str, recipient: str, address: str = "",
               waybill_number: str = "") -> CaseDelivery:
    """出件 (ACC-10.3 – 10.5, 14.13): record how the result left, file a licence result (if the sign-for did
    not already), mark the case issued, tell the department."""
    if method not in DeliveryMethod.values:
        raise ValidationError(_("请选择出件方式。"))
    if not recipient.strip():
        raise ValidationError(_("请填写领取人或收件人。"))
    if method in (DeliveryMethod.EXPRESS, DeliveryMethod.DOOR, DeliveryMethod.LOCKER) and not address.strip():
        raise ValidationError(_("快递寄送、上门投送和自助取件箱须填写地址。"))
    from apps.acceptance.services.logistics import courier_connected, shipment_order

    order_shipment = method == DeliveryMethod.EXPRESS and not waybill_number.strip() and courier_connected()
    if method == DeliveryMethod.EXPRESS and not waybill_number.strip() and not order_shipment:
        raise ValidationError(_("快递寄送须填写运单号。"))
    case = Case.objects.select_for_update().select_related("organisation", "item").get(pk=case.pk)
    require_handler(actor, case)
    if case.status != CaseStatus.CONCLUDED or case.issuance_status != IssuanceStatus.PENDING:
        raise ValidationError(_("办件不在待出件状态。"))
    receipt = ResultReceipt.objects.filter(case=case).first()
    licence_code = receipt.licence_codes if receipt else ""
    if not licence_code and has_licence_result(case.item):
        licence_code = _file_licence(case, actor)
    delivery = CaseDelivery.objects.create(case=case, method=method, recipient=recipient.strip(),
                                           address=address.strip(), waybill_number=waybill_number.strip(),
                                           issued_by=actor, licence_code=licence_code)
    if order_shipment:  # ACC-10.8: the courier assigns the waybill number
        shipment_order(delivery)
    if method == DeliveryMethod.PICKUP:
        DeliveryEvent.objects.create(delivery=delivery, kind=DeliveryEventKind.HANDED_OVER, recorded_by=actor,
                                     occurred_at=timezone.now(), note=recipient.strip())
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


@transaction.atomic
def delivery_track(*, delivery: CaseDelivery, actor, kind: str, location: str = "", note: str = "",
                   occurred_at=None, external_id: str = "") -> DeliveryEvent:
    """出件跟踪 (ACC-10.6, 10.7): one movement of or operation on the certificate. A delivered, handed-over
    or returned certificate takes no further movement (only notes); time never runs backwards."""
    if kind not in DeliveryEventKind.values:
        raise ValidationError(_("请选择跟踪节点。"))
    if kind == DeliveryEventKind.NOTE and not note.strip():
        raise ValidationError(_("操作备注须填写说明。"))
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError(_("发生时间不能晚于当前时间。"))
    delivery = CaseDelivery.objects.select_for_update().select_related("case").get(pk=delivery.pk)
    if actor is not None:
        require_handler(actor, delivery.case)
    if external_id and delivery.events.filter(external_id=external_id).exists():
        return delivery.events.get(external_id=external_id)
    last = delivery.events.exclude(kind=DeliveryEventKind.NOTE).order_by("-occurred_at", "-pk").first()
    if kind != DeliveryEventKind.NOTE and last is not None:
        if last.kind in FINAL_EVENTS:
            raise ValidationError(_("证照已%(k)s，不能再登记流转。") % {"k": last.get_kind_display()})
        if occurred_at < last.occurred_at:
            raise ValidationError(_("发生时间早于上一个节点。"))
    event = DeliveryEvent.objects.create(delivery=delivery, kind=kind, location=location.strip()[:200],
                                         note=note.strip()[:300], occurred_at=occurred_at, recorded_by=actor,
                                         external_id=external_id)
    audit_record(actor=actor, action="create", obj=event)
    if kind in (DeliveryEventKind.DELIVERED, DeliveryEventKind.STORED_IN_LOCKER):
        _notify(delivery.case, _("您的办件%(n)s的证照%(k)s。") % {"n": delivery.case.case_number,
                                                           "k": event.get_kind_display()},
                f"delivery:{delivery.pk}:{kind}")
    return event
