"""Tickets (工单, OPS-4.4): create from an alert or a finding, start, reassign, handle, verify
(close or send back), remind when overdue. Every step is a recorded transition and an audit row;
notifications go through the outbox (SMS, e-mail) so none is lost."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.core.outbox import enqueue
from apps.core.sms import sms_send
from apps.core.workflow import record_transition
from apps.ops.models import (
    Alert, AlertStatus, Finding, FindingKind, FindingStatus, Ticket, TicketStatus, TicketSubject,
)
from apps.ops.services import require

EMAIL_PEER = "ops_email"
SUBJECT_OF_FINDING = {FindingKind.VULNERABILITY: TicketSubject.VULNERABILITY,
                      FindingKind.WEAK_PASSWORD: TicketSubject.WEAK_PASSWORD,
                      FindingKind.CONFIGURATION: TicketSubject.CONFIGURATION}
MESSAGES = {
    "created": "【安全运维】工单{number}“{title}”已创建，负责人{owner}，请于{due}前处理。",
    "assigned": "【安全运维】工单{number}“{title}”已转派给{owner}，请于{due}前处理。",
    "handled": "【安全运维】工单{number}“{title}”已处理，请验收。",
    "reopened": "【安全运维】工单{number}“{title}”验收未通过，请重新处理。",
    "closed": "【安全运维】工单{number}“{title}”已验收关闭。",
    "overdue": "【安全运维】工单{number}“{title}”已超过提醒时间{due}仍未处理完成，请尽快处理。",
}


def _is_manager(user) -> bool:
    return user.has_perm("ops.manage_tickets")


def _notify(ticket: Ticket, event: str, recipients) -> None:
    """One SMS and/or one e-mail per recipient, in the caller's transaction (outbox)."""
    text = MESSAGES[event].format(number=ticket.number, title=ticket.title[:30], owner=ticket.owner,
                                  due=timezone.localtime(ticket.due_at).strftime("%m-%d %H:%M"))
    step = ticket.pk and Ticket.objects.filter(pk=ticket.pk).values_list("status", flat=True).first()
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        key = f"ops:ticket:{ticket.pk}:{event}:{step}:{timezone.now():%Y%m%d%H%M%S%f}:{user.pk}"
        if ticket.notify_sms and getattr(user, "mobile_number", ""):
            sms_send(mobile_number=user.mobile_number, recipient=user, purpose="ops_ticket", content=text,
                     idempotency_key=f"{key}:sms")
        if ticket.notify_email and user.email:
            enqueue(peer=EMAIL_PEER, kind="ops_ticket", idempotency_key=f"{key}:mail",
                    payload={"to": user.email, "subject": f"工单 {ticket.number}：{ticket.title}", "body": text,
                             "url": reverse("ops:ticket-detail", args=[ticket.pk])})


def _people(ticket: Ticket) -> list:
    return [ticket.creator, ticket.owner, *ticket.related_users.all()]


def _transition(ticket: Ticket, to: str, *, by, action: str, comment: str = "", fields=()) -> None:
    previous = ticket.status
    ticket.status = to
    ticket.save(update_fields=["status", *fields])
    record_transition(obj=ticket, from_state=previous, to_state=to, actor=by, action=action, comment=comment)
    audit_record(actor=by, action=AuditAction.UPDATE, obj=ticket, changes={"status": [previous, to]},
                 detail=action)


def _locked(ticket: Ticket, *allowed: str) -> Ticket:
    ticket = Ticket.objects.select_for_update().select_related("creator", "owner").get(pk=ticket.pk)
    if ticket.status not in allowed:
        raise ValidationError(_("工单当前状态为“%(s)s”，不能执行此操作。") % {"s": ticket.get_status_display()})
    return ticket


def ticket_create(*, title: str, subject: str, owner, by, description: str = "", priority: str = "normal",
                  related_users=(), due_at: datetime | None = None, alert: Alert | None = None,
                  finding: Finding | None = None, notify_sms: bool = True, notify_email: bool = True) -> Ticket:
    require(by, "ops.add_ticket")
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写标题。")
    if subject not in TicketSubject.values:
        errors["subject"] = _("工单类型无效。")
    if owner is None or not owner.is_active or not owner.has_perm("ops.view_ticket"):
        errors["owner"] = _("负责人必须是有工单权限的在职人员。")
    now = timezone.now()
    due_at = due_at or now + timedelta(hours=settings.OPS_TICKET_DUE_HOURS)
    if due_at <= now:
        errors["due_at"] = _("超期提醒时间必须晚于当前时间。")
    if subject == TicketSubject.ALERT and alert is None:
        errors["alert"] = _("告警事件工单必须关联告警。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ticket = Ticket.objects.create(
            number=f"tmp-{now.timestamp()}-{by.pk if by else 0}"[:20], title=title.strip()[:200], subject=subject,
            description=description, priority=priority, owner=owner, creator=by, due_at=due_at, alert=alert,
            finding=finding, notify_sms=notify_sms, notify_email=notify_email, created_at=now)
        ticket.number = f"GD{timezone.localtime(now):%Y%m%d}{ticket.pk:06d}"
        ticket.save(update_fields=["number"])
        ticket.related_users.set(list(related_users))
        if alert is not None and alert.status == AlertStatus.OPEN:
            Alert.objects.filter(pk=alert.pk).update(status=AlertStatus.TICKETED)
            record_transition(obj=alert, from_state=AlertStatus.OPEN, to_state=AlertStatus.TICKETED, actor=by,
                              action="ticket", comment=ticket.number)
        record_transition(obj=ticket, from_state="", to_state=TicketStatus.NEW, actor=by, action="create")
        audit_record(actor=by, action=AuditAction.CREATE, obj=ticket)
        _notify(ticket, "created", _people(ticket))
    return ticket


def ticket_from_alert(*, alert: Alert, owner, by, **kwargs) -> Ticket:
    kwargs.setdefault("title", alert.title)
    kwargs.setdefault("description", alert.detail)
    return ticket_create(subject=TicketSubject.ALERT, alert=alert, owner=owner, by=by, **kwargs)


def ticket_from_finding(*, finding: Finding, owner, by, **kwargs) -> Ticket:
    kwargs.setdefault("title", f"{finding.asset.name}：{finding.title}")
    kwargs.setdefault("description", finding.solution)
    return ticket_create(subject=SUBJECT_OF_FINDING[finding.kind], finding=finding, owner=owner, by=by, **kwargs)


def ticket_start(*, ticket: Ticket, by, comment: str = "") -> Ticket:
    require(by, "ops.view_ticket")
    with transaction.atomic():
        ticket = _locked(ticket, TicketStatus.NEW)
        if by.pk != ticket.owner_id:
            raise PermissionDenied(_("只有负责人可以开始处理。"))
        _transition(ticket, TicketStatus.IN_PROGRESS, by=by, action="start", comment=comment)
    return ticket


def ticket_assign(*, ticket: Ticket, owner, by, comment: str = "") -> Ticket:
    require(by, "ops.manage_tickets")
    if owner is None or not owner.is_active or not owner.has_perm("ops.view_ticket"):
        raise ValidationError({"owner": _("负责人必须是有工单权限的在职人员。")})
    with transaction.atomic():
        ticket = _locked(ticket, TicketStatus.NEW, TicketStatus.IN_PROGRESS)
        previous = ticket.owner
        ticket.owner = owner
        ticket.save(update_fields=["owner"])
        record_transition(obj=ticket, from_state=ticket.status, to_state=ticket.status, actor=by, action="assign",
                          comment=_("负责人：%(a)s → %(b)s。%(c)s") % {"a": previous, "b": owner, "c": comment})
        audit_record(actor=by, action=AuditAction.UPDATE, obj=ticket, changes={"owner": [previous.pk, owner.pk]})
        _notify(ticket, "assigned", [owner, ticket.creator])
    return ticket


def ticket_handle(*, ticket: Ticket, resolution: str, by) -> Ticket:
    require(by, "ops.view_ticket")
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("请填写处理结果。")})
    with transaction.atomic():
        ticket = _locked(ticket, TicketStatus.NEW, TicketStatus.IN_PROGRESS)
        if by.pk != ticket.owner_id:
            raise PermissionDenied(_("只有负责人可以提交处理结果。"))
        ticket.resolution, ticket.handled_at = resolution.strip(), timezone.now()
        _transition(ticket, TicketStatus.HANDLED, by=by, action="handle", comment=ticket.resolution[:500],
                    fields=["resolution", "handled_at"])
        _notify(ticket, "handled", [ticket.creator])
    return ticket


def ticket_verify(*, ticket: Ticket, approved: bool, by, comment: str = "") -> Ticket:
    """The creator or a ticket manager accepts the handling (closed) or sends it back (in progress)."""
    require(by, "ops.view_ticket")
    with transaction.atomic():
        ticket = _locked(ticket, TicketStatus.HANDLED)
        if by.pk != ticket.creator_id and not _is_manager(by):
            raise PermissionDenied(_("只有创建人或工单管理员可以验收。"))
        if by.pk == ticket.owner_id and not _is_manager(by):
            raise PermissionDenied(_("负责人不能验收自己处理的工单。"))
        if approved:
            ticket.closed_at = timezone.now()
            _transition(ticket, TicketStatus.CLOSED, by=by, action="verify", comment=comment, fields=["closed_at"])
            if ticket.finding_id:
                Finding.objects.filter(pk=ticket.finding_id).update(status=FindingStatus.FIXED)
            if ticket.alert_id:
                Alert.objects.filter(pk=ticket.alert_id).update(status=AlertStatus.CLOSED)
            _notify(ticket, "closed", _people(ticket))
        else:
            if not (comment or "").strip():
                raise ValidationError({"comment": _("退回时请说明原因。")})
            ticket.handled_at = None
            _transition(ticket, TicketStatus.IN_PROGRESS, by=by, action="reject", comment=comment,
                        fields=["handled_at"])
            _notify(ticket, "reopened", [ticket.owner])
    return ticket


def tickets_remind_overdue(*, now: datetime | None = None) -> int:
    """Remind owner and creator once for each open ticket past its overdue-reminder time."""
    now = now or timezone.now()
    reminded = 0
    due = Ticket.objects.filter(status__in=[TicketStatus.NEW, TicketStatus.IN_PROGRESS], due_at__lte=now,
                                reminded_at__isnull=True).values_list("pk", flat=True)
    for pk in list(due[:500]):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update(skip_locked=True).select_related("creator", "owner").filter(
                pk=pk, reminded_at__isnull=True).first()
            if ticket is None:
                continue
            ticket.reminded_at = now
            ticket.save(update_fields=["reminded_at"])
            record_transition(obj=ticket, from_state=ticket.status, to_state=ticket.status, actor=None,
                              action="remind", comment=_("超期提醒"))
            _notify(ticket, "overdue", [ticket.owner, ticket.creator])
            reminded += 1
    return reminded
