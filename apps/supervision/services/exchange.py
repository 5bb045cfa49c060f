"""Messages to and from the upper platforms (PORTAL-12.x, 13.x).

Upstream (ours → gov.cn): every message is an ExchangeMessage row plus an outbox entry for peer
"govcn_inspection", written in the caller's transaction. Downstream (gov.cn → ours): the
adapter fetches messages, `govcn_receive` applies each one exactly once (keyed by the
platform's message id) and the adapter then confirms them read. See
docs/supervision-govcn-exchange.md for the message types and their data.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.outbox import enqueue
from apps.core.scope import can_see
from apps.core.workflow import record_transition
from apps.supervision.models import (
    Complaint,
    ComplaintSource,
    ComplaintStatus,
    Direction,
    ExchangeMessage,
    ExtensionRequest,
    NetizenEvaluation,
    OverdueReminder,
    PublicationNotice,
    ReconciliationRecord,
    RequestStatus,
    WithdrawalRequest,
)
from apps.supervision.services.complaints import complaint_import

GOVCN_PEER = "govcn_inspection"
NATIONAL_PEER = "national_interaction"

# 13.5: business identifiers (message types) of the exchange.
DOWNSTREAM_TYPES = {
    "clue": "获取待办理投诉与建议信息", "confirm_closed": "获取确认办结信息",
    "return_for_handling": "获取退回部门地方继续处理信息", "withdrawal_reply": "获取申请撤回审批信息",
    "netizen_evaluation": "获取网民评价信息", "publication_notice": "获取公开发布通知信息",
    "extension_reply": "获取延期申请回复信息", "overdue_reminder": "获取超期提醒信息",
    "reconciliation_data": "获取数据对账信息",
}
UPSTREAM_TYPES = {
    "return_info": "部门地方退回信息", "handling_feedback": "办理反馈信息", "retain_notice": "部门地方留存处理通知信息",
    "extension_request": "部门地方申请延期信息", "withdrawal_request": "申请撤回信息",
    "reconciliation_request": "请求获取数据对账信息", "reconciliation_data": "数据对账信息",
    "own_data": "部门或地方自有数据信息",
}


def govcn_send(*, complaint: Complaint | None, message_type: str, data: dict, key_suffix: str = "") -> ExchangeMessage:
    """Queue one upstream message (inside the caller's transaction)."""
    if message_type not in UPSTREAM_TYPES:
        raise ValueError(f"Unknown upstream message type {message_type!r}")
    business_key = complaint.business_key if complaint else ""
    message = ExchangeMessage.objects.create(direction=Direction.UPSTREAM, message_type=message_type,
                                             business_key=business_key, complaint=complaint, payload=data)
    enqueue(peer=GOVCN_PEER, kind=message_type, payload={"exchange_message_id": message.pk},
            idempotency_key=f"govcn:{message_type}:{key_suffix or message.pk}")
    return message


def national_submit(*, complaint: Complaint) -> None:
    """PORTAL-12.2: queue the handling result for the national interaction platform."""
    enqueue(peer=NATIONAL_PEER, kind="process_case",
            payload={"case_id": complaint.external_id, "case_number": complaint.case_number,
                     "result": complaint.result, "department": complaint.department.name if complaint.department else "",
                     "handled_at": (complaint.replied_at or timezone.now()).isoformat()},
            idempotency_key=f"national:process:{complaint.pk}")


# --- extension and withdrawal requests (our side) ------------------------------------------------

def _check_request(complaint: Complaint, actor, model) -> None:
    if not actor.has_perm("supervision.handle_complaint") or not can_see(actor, complaint):
        raise PermissionDenied(_("您没有为该投诉提出申请的权限。"))
    if complaint.source != ComplaintSource.GOVCN:
        raise ValidationError(_("只有中国政府网督查平台投诉可以申请延期或撤回。"))
    if complaint.is_done or complaint.status == ComplaintStatus.PENDING:
        raise ValidationError(_("投诉当前状态为“%(s)s”，不能提出申请。") % {"s": complaint.get_status_display()})
    if model.objects.filter(complaint=complaint, status=RequestStatus.PENDING).exists():
        raise ValidationError(_("已有一项待答复的申请。"))


def complaint_request_extension(*, complaint: Complaint, days: int, reason: str, actor) -> ExtensionRequest:
    if not isinstance(days, int) or not 1 <= days <= 60:
        raise ValidationError({"days": [_("延期天数应为 1 至 60 个工作日。")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写延期理由。")]})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _check_request(complaint, actor, ExtensionRequest)
        request = ExtensionRequest.objects.create(complaint=complaint, reason=reason.strip(), requested_days=days,
                                                  requested_by=actor)
        govcn_send(complaint=complaint, message_type="extension_request", key_suffix=f"{request.pk}",
                   data={"request_id": request.pk, "days": days, "reason": request.reason})
        record_transition(obj=complaint, from_state=complaint.status, to_state=complaint.status, actor=actor,
                          action="request_extension", comment=_("申请延期 %(d)s 个工作日：%(r)s") % {
                              "d": days, "r": request.reason})
    return request


def complaint_request_withdrawal(*, complaint: Complaint, reason: str, actor) -> WithdrawalRequest:
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写撤回理由。")]})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _check_request(complaint, actor, WithdrawalRequest)
        request = WithdrawalRequest.objects.create(complaint=complaint, reason=reason.strip(), requested_by=actor)
        govcn_send(complaint=complaint, message_type="withdrawal_request", key_suffix=f"{request.pk}",
                   data={"request_id": request.pk, "reason": request.reason})
        record_transition(obj=complaint, from_state=complaint.status, to_state=complaint.status, actor=actor,
                          action="request_withdrawal", comment=_("申请撤回：%(r)s") % {"r": request.reason})
    return request


# --- downstream messages (gov.cn → us) ---------------------------------------------------------

class UnknownBusinessKey(ValueError):
    """A downstream message names a complaint we do not have."""


def govcn_receive(*, message_id: str, message_type: str, business_key: str, data: dict) -> ExchangeMessage:
    """Apply one downstream message exactly once (a repeated message id returns the first row)."""
    existing = ExchangeMessage.objects.filter(direction=Direction.DOWNSTREAM, message_id=message_id).first()
    if existing:
        return existing
    if message_type not in DOWNSTREAM_TYPES:
        raise ValueError(f"Unknown downstream message type {message_type!r}")
    try:
        with transaction.atomic():
            message = ExchangeMessage.objects.create(direction=Direction.DOWNSTREAM, message_type=message_type,
                                                     message_id=message_id, business_key=business_key, payload=data)
            HANDLERS[message_type](message, data)
    except IntegrityError:
        return ExchangeMessage.objects.get(direction=Direction.DOWNSTREAM, message_id=message_id)
    return message


def _complaint_of(message: ExchangeMessage) -> Complaint:
    complaint = Complaint.objects.select_for_update().filter(source=ComplaintSource.GOVCN,
                                                             business_key=message.business_key).first()
    if complaint is None:
        raise UnknownBusinessKey(message.business_key)
    message.complaint = complaint
    message.save(update_fields=["complaint"])
    return complaint


def _move(complaint: Complaint, to_state: str, action: str, comment: str, **fields) -> None:
    from_state = complaint.status
    complaint.status = to_state
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.save(update_fields=["status", *fields])
    record_transition(obj=complaint, from_state=from_state, to_state=to_state, actor=None, action=action,
                      comment=comment)


def _on_clue(message, data):
    complaint, _created = complaint_import(source=ComplaintSource.GOVCN, external_id=message.business_key,
                                           business_key=message.business_key, data=data)
    message.complaint = complaint
    message.save(update_fields=["complaint"])


def _on_confirm_closed(message, data):
    complaint = _complaint_of(message)
    now = timezone.now()
    _move(complaint, ComplaintStatus.CONCLUDED, "confirm_closed", data.get("opinion", "") or _("督查平台确认办结"),
          conclusion_confirmed_at=now, concluded_at=now)


def _on_return_for_handling(message, data):
    complaint = _complaint_of(message)
    _move(complaint, ComplaintStatus.REOPENED, "reopen", data.get("reason", "") or _("督查平台退回继续处理"))
    from apps.supervision.services.workflow import _notify, processors_of

    recipients = list(processors_of(complaint.department)) if complaint.department_id else [complaint.handler]
    _notify(complaint, [r for r in recipients if r], "reopen", message.pk)


def _reply(model, message, data):
    complaint = _complaint_of(message)
    request = model.objects.select_for_update().filter(complaint=complaint, status=RequestStatus.PENDING).first()
    if request is None:
        raise ValueError(f"No pending {model.__name__} for {message.business_key}")
    request.status = RequestStatus.APPROVED if data.get("approved") else RequestStatus.REJECTED
    request.reply, request.replied_at = str(data.get("opinion", "")), timezone.now()
    return complaint, request


def _on_extension_reply(message, data):
    complaint, request = _reply(ExtensionRequest, message, data)
    if request.status == RequestStatus.APPROVED:
        from apps.core.calendar import add_working_days

        request.new_deadline = add_working_days(complaint.deadline or timezone.now(), request.requested_days)
        complaint.deadline = request.new_deadline
        complaint.save(update_fields=["deadline"])
    request.save()
    record_transition(obj=complaint, from_state=complaint.status, to_state=complaint.status, actor=None,
                      action="extension_reply", comment=f"{request.get_status_display()}：{request.reply}")


def _on_withdrawal_reply(message, data):
    complaint, request = _reply(WithdrawalRequest, message, data)
    request.save()
    if request.status == RequestStatus.APPROVED:
        _move(complaint, ComplaintStatus.WITHDRAWN, "withdrawal_reply", f"{request.get_status_display()}：{request.reply}",
              concluded_at=timezone.now())
    else:
        record_transition(obj=complaint, from_state=complaint.status, to_state=complaint.status, actor=None,
                          action="withdrawal_reply", comment=f"{request.get_status_display()}：{request.reply}")


def _notice(model, **extra):
    def handler(message, data):
        complaint = _complaint_of(message)
        model.objects.create(complaint=complaint, content=str(data.get("content", "")), message=message,
                             **{k: str(data.get(k, ""))[:200] for k in extra})
        record_transition(obj=complaint, from_state=complaint.status, to_state=complaint.status, actor=None,
                          action=message.message_type, comment=str(data.get("content", ""))[:500])
    return handler


def _on_reconciliation_data(message, data):
    day = date.fromisoformat(data["day"])
    platform_keys = set(data.get("business_keys", []))
    local_keys = set(_keys_of_day(day))
    record, _created = ReconciliationRecord.objects.get_or_create(day=day)
    record.received_at = timezone.now()
    record.platform_count, record.local_count = len(platform_keys), len(local_keys)
    record.missing_locally = sorted(platform_keys - local_keys)
    record.missing_on_platform = sorted(local_keys - platform_keys)
    record.save()
    govcn_send(complaint=None, message_type="reconciliation_data", key_suffix=f"data:{day.isoformat()}",
               data={"day": day.isoformat(), "business_keys": sorted(local_keys)})


HANDLERS = {
    "clue": _on_clue, "confirm_closed": _on_confirm_closed, "return_for_handling": _on_return_for_handling,
    "extension_reply": _on_extension_reply, "withdrawal_reply": _on_withdrawal_reply,
    "overdue_reminder": _notice(OverdueReminder), "netizen_evaluation": _notice(NetizenEvaluation, satisfaction=1),
    "publication_notice": _notice(PublicationNotice, published_url=1), "reconciliation_data": _on_reconciliation_data,
}


def _keys_of_day(day: date) -> list[str]:
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return list(Complaint.objects.filter(source=ComplaintSource.GOVCN, submitted_at__gte=start,
                                         submitted_at__lt=start + timedelta(days=1))
                .exclude(business_key="").values_list("business_key", flat=True))


def reconciliation_request(*, day: date) -> ReconciliationRecord:
    """Ask the platform for its reconciliation data of `day` (daily beat task)."""
    with transaction.atomic():
        record, _created = ReconciliationRecord.objects.get_or_create(day=day)
        govcn_send(complaint=None, message_type="reconciliation_request", key_suffix=f"request:{day.isoformat()}",
                   data={"day": day.isoformat()})
    return record
