"""Inbound messages of the unified acceptance exchange format (ACC-14.5 – 14.11, 19.3, 19.4).

`exchange_receive(client=…, envelope=…)` validates the envelope, refuses what the client may not
touch, applies the message and logs it once (a repeated message_id answers "duplicate").
docs/acceptance-exchange.md is the contract.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    Case, CaseChannel, CaseResult, CaseStatus, ClientSystem, Direction, DispatchStatus, ExchangeMessage,
    IssuanceStatus, MatterRoute, RouteStatus, SpecialProcedure,
)
from apps.acceptance.services.onewindow import PRE_REVIEW_WORKING_DAYS, _move, supplement_request
from apps.core.calendar import add_working_days

IN_HANDLING = (CaseStatus.ACCEPTED, CaseStatus.UNDER_EXAMINATION, CaseStatus.UNDER_APPROVAL)


class ExchangeRefused(ValidationError):
    """The message is well formed but not acceptable now (HTTP 409)."""


def _need(body: dict, *names: str) -> None:
    missing = [n for n in names if body.get(n) in (None, "")]
    if missing:
        raise ValidationError(_("报文缺少字段：%(f)s。") % {"f": ", ".join(missing)})


def _when(body: dict, name: str):
    value = body.get(name)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed or timezone.now()


def _routed_case(client: ClientSystem, case_number: str) -> Case:
    case = Case.objects.select_for_update(of=("self",)).filter(case_number=case_number).select_related("route").first()
    if case is None or case.route is None or case.route.client_id != client.pk:
        raise ExchangeRefused(_("办件 %(n)s 不存在或未分发给本系统。") % {"n": case_number})
    return case


def _acceptance_status(client, case, body):
    _need(body, "accepted")
    if case.status != CaseStatus.ACCEPTED:
        raise ExchangeRefused(_("办件不在待部门受理状态。"))
    if body["accepted"] is True:
        _move(case, to=CaseStatus.UNDER_EXAMINATION, actor=None, action="department_accept",
              comment=body.get("opinion", ""))
    else:
        case.decision_reason = str(body.get("opinion", ""))[:500]
        _move(case, to=CaseStatus.NOT_ACCEPTED, actor=None, action="department_refuse",
              comment=case.decision_reason, fields=["decision_reason"])


def _process_step(client, case, body):
    _need(body, "step", "stage")
    if case.status not in IN_HANDLING:
        raise ExchangeRefused(_("办件不在办理中，不能接收过程信息。"))
    to = {"examination": CaseStatus.UNDER_EXAMINATION, "approval": CaseStatus.UNDER_APPROVAL}.get(body["stage"])
    if to is None:
        raise ValidationError(_("stage 只能是 examination 或 approval。"))
    _move(case, to=to, actor=None, action="department_step",
          comment=f"{body['step']} {body.get('handler', '')} {body.get('opinion', '')}".strip())


def _special_start(client, case, body):
    _need(body, "procedure_id", "procedure_kind")
    if case.status not in IN_HANDLING:
        raise ExchangeRefused(_("办件不在办理中，不能申请特别程序。"))
    try:
        with transaction.atomic():
            SpecialProcedure.objects.create(case=case, procedure_id=body["procedure_id"],
                                            kind=body["procedure_kind"], reason=str(body.get("reason", ""))[:500],
                                            started_at=_when(body, "started_at"))
    except IntegrityError:
        raise ExchangeRefused(_("特别程序 %(p)s 已申请。") % {"p": body["procedure_id"]}) from None


def _special_end(client, case, body):
    _need(body, "procedure_id", "result")
    procedure = SpecialProcedure.objects.select_for_update().filter(
        case=case, procedure_id=body["procedure_id"]).first()
    if procedure is None:
        raise ExchangeRefused(_("特别程序 %(p)s 尚未申请，不能发送结果（须先申请后结束）。") % {"p": body["procedure_id"]})
    if procedure.ended_at:
        raise ExchangeRefused(_("特别程序 %(p)s 已结束。") % {"p": body["procedure_id"]})
    procedure.ended_at, procedure.result = _when(body, "ended_at"), str(body["result"])[:500]
    procedure.save(update_fields=["ended_at", "result"])


def _supplement_notice(client, case, body):
    _need(body, "content", "working_days")
    if case.status not in IN_HANDLING:
        raise ExchangeRefused(_("办件不在办理中，不能要求补正。"))
    try:
        days = int(body["working_days"])
    except (TypeError, ValueError):
        raise ValidationError(_("working_days 须为整数。")) from None
    supplement_request(case=case, content=str(body["content"]), working_days=days, client=client)


def _concluded(client, case, body):
    _need(body, "result")
    if body["result"] not in CaseResult.values:
        raise ValidationError(_("result 只能是 approved、denied 或 other。"))
    if case.status not in IN_HANDLING:
        raise ExchangeRefused(_("办件不在办理中，不能办结。"))
    case.concluded_at, case.result = _when(body, "concluded_at"), body["result"]
    case.result_note = str(body.get("note", ""))[:500]
    case.issuance_status = IssuanceStatus.PENDING
    _move(case, to=CaseStatus.CONCLUDED, actor=None, action="department_conclude", comment=case.result_note,
          fields=["concluded_at", "result", "result_note", "issuance_status"])


def _signed(client, case, body):
    if case.dispatch_status not in (DispatchStatus.PENDING, DispatchStatus.DISPATCHED):
        raise ExchangeRefused(_("办件不在待签收状态。"))
    case.dispatch_status = DispatchStatus.SIGNED_FOR
    case.save(update_fields=["dispatch_status"])


CASE_HANDLERS = {
    "acceptance.status": _acceptance_status,         # ACC-14.10
    "process.step": _process_step,                   # ACC-14.6
    "special_procedure.start": _special_start,       # ACC-14.5
    "special_procedure.end": _special_end,           # ACC-14.5
    "supplement.notice": _supplement_notice,         # ACC-14.9
    "case.concluded": _concluded,                    # ACC-14.11
    "dispatch.signed": _signed,                      # signed-for (ACC-15.5)
}
DECLARATION_KINDS = ("declaration.online", "declaration.revoke")   # ACC-14.7, 14.8


def _declaration_online(client, body) -> Case:
    """A department system's own online declaration (ACC-14.7): the applicant then brings the materials."""
    from apps.acceptance.services.cases import case_register

    _need(body, "item_code", "applicant")
    applicant = body["applicant"] if isinstance(body["applicant"], dict) else {}
    binding = MatterRoute.objects.select_related("item", "route").filter(
        item__implementation_code=body["item_code"], is_active=True, route__client=client,
        route__status=RouteStatus.PUBLISHED).first()
    if binding is None:
        raise ExchangeRefused(_("事项 %(c)s 未配置到本系统的路由。") % {"c": body["item_code"]})
    case = case_register(item=binding.item, applicant_name=str(applicant.get("name", "")),
                         applicant_id_number=str(applicant.get("id_number", "")),
                         applicant_mobile=str(applicant.get("mobile", "")),
                         applicant_kind=applicant.get("kind") or "natural_person",
                         channel=CaseChannel.DEPARTMENT_SYSTEM, status=CaseStatus.PENDING_PRE_REVIEW)
    case.form_data, case.route = body.get("form") or {}, binding.route
    case.pre_review_due = add_working_days(timezone.localdate(), PRE_REVIEW_WORKING_DAYS)
    case.save(update_fields=["form_data", "route", "pre_review_due"])
    return case


def _declaration_revoke(client, case: Case, body) -> None:
    """Revoke a declaration before acceptance (ACC-14.8); a re-push is a new declaration.online."""
    if case.channel != CaseChannel.DEPARTMENT_SYSTEM:
        raise ExchangeRefused(_("只能撤销本系统推送的申报。"))
    if case.status not in (CaseStatus.PENDING_PRE_REVIEW, CaseStatus.PRE_REVIEW_PASSED,
                           CaseStatus.PRE_REVIEW_TIMED_OUT, CaseStatus.PENDING_ACCEPTANCE):
        raise ExchangeRefused(_("办件已受理或已结束，不能撤销。"))
    _move(case, to=CaseStatus.RESCINDED, actor=None, action="department_revoke", comment=body.get("reason", ""))


@transaction.atomic
def exchange_receive(*, client: ClientSystem, envelope: dict) -> tuple[bool, Case | None]:
    """Apply one inbound message; returns (duplicate?, case). Raises ValidationError (400) or
    ExchangeRefused (409); nothing is written then."""
    if not isinstance(envelope, dict):
        raise ValidationError(_("报文须为 JSON 对象。"))
    _need(envelope, "message_id", "kind")
    kind, body = envelope["kind"], envelope.get("body") or {}
    if not isinstance(body, dict):
        raise ValidationError(_("body 须为 JSON 对象。"))
    if kind not in CASE_HANDLERS and kind not in DECLARATION_KINDS:
        raise ValidationError(_("未知的消息类型：%(k)s。") % {"k": kind})
    message_id = str(envelope["message_id"])[:80]
    if ExchangeMessage.objects.filter(client=client, direction=Direction.INBOUND, message_id=message_id).exists():
        return True, None
    if kind == "declaration.online":
        case = _declaration_online(client, body)
    else:
        _need(envelope, "case_number")
        case = _routed_case(client, envelope["case_number"])
        (_declaration_revoke if kind == "declaration.revoke" else CASE_HANDLERS[kind])(client, case, body)
    try:
        with transaction.atomic():
            ExchangeMessage.objects.create(client=client, direction=Direction.INBOUND, message_id=message_id,
                                           kind=kind, case=case, payload=envelope)
    except IntegrityError:   # the same message raced in on another connection
        raise ExchangeRefused(_("重复报文。")) from None
    return False, case
