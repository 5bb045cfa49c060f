"""WorkOrders (工单, OPS-4.4): create from an alert or a finding, start, reassign, handle, verify
(close or send back), remind when overdue. Every step is a recorded transition and an audit row;
notifications go through the outbox (SMS, e-mail) so none is lost."""
from __future__ import annotations

import uuid
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
    Alert, AlertStatus, Finding, FindingKind, FindingStatus, WorkOrder, WorkOrderStatus, WorkOrderSubject,
)
from apps.ops.services import require

EMAIL_PEER = "ops_email"
SUBJECT_OF_FINDING = {FindingKind.VULNERABILITY: WorkOrderSubject.VULNERABILITY,
                      FindingKind.WEAK_PASSWORD: WorkOrderSubject.WEAK_PASSWORD,
                      FindingKind.CONFIGURATION: WorkOrderSubject.CONFIGURATION}
MESSAGES = {
    "created": "【安全运维】工单{number}“{title}”已创建，负责人{owner}，请于{due}前处理。",
    "assigned": "【安全运维】工单{number}“{title}”已转派给{owner}，请于{due}前处理。",
    "handled": "【安全运维】工单{number}“{title}”已处理，请验收。",
    "reopened": "【安全运维】工单{number}“{title}”验收未通过，请重新处理。",
    "closed": "【安全运维】工单{number}“{title}”已验收关闭。",
    "overdue": "【安全运维】工单{number}“{title}”已超过提醒时间{due}仍未处理完成，请尽快处理。",
}


def _is_manager(user) -> bool:
    return user.has_perm("ops.manage_work_orders")


def _notify(work_order: WorkOrder, event: str, recipients) -> None:
    """One SMS and/or one e-mail per recipient, in the caller's transaction (outbox)."""
    text = MESSAGES[event].format(number=work_order.number, title=work_order.title[:30], owner=work_order.owner,
                                  due=timezone.localtime(work_order.due_at).strftime("%m-%d %H:%M"))
    step = work_order.pk and WorkOrder.objects.filter(pk=work_order.pk).values_list("status", flat=True).first()
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        key = f"ops:work_order:{work_order.pk}:{event}:{step}:{timezone.now():%Y%m%d%H%M%S%f}:{user.pk}"
        if work_order.notify_sms and getattr(user, "mobile_number", ""):
            sms_send(mobile_number=user.mobile_number, recipient=user, purpose="ops_work_order", content=text,
                     idempotency_key=f"{key}:sms")
        if work_order.notify_email and user.email:
            enqueue(peer=EMAIL_PEER, kind="ops_work_order", idempotency_key=f"{key}:mail",
                    payload={"to": user.email, "subject": f"工单 {work_order.number}：{work_order.title}", "body": text,
                             "url": reverse("ops:work-order-detail", args=[work_order.pk])})


def _people(work_order: WorkOrder) -> list:
    return [work_order.creator, work_order.owner, *work_order.related_users.all()]


def _transition(work_order: WorkOrder, to: str, *, by, action: str, comment: str = "", fields=()) -> None:
    previous = work_order.status
    work_order.status = to
    work_order.save(update_fields=["status", *fields])
    record_transition(obj=work_order, from_state=previous, to_state=to, actor=by, action=action, comment=comment)
    audit_record(actor=by, action=AuditAction.UPDATE, obj=work_order, changes={"status": [previous, to]},
                 detail=action)


def _locked(work_order: WorkOrder, *allowed: str) -> WorkOrder:
    work_order = WorkOrder.objects.select_for_update().select_related("creator", "owner").get(pk=work_order.pk)
    if work_order.status not in allowed:
        raise ValidationError(_("工单当前状态为“%(s)s”，不能执行此操作。") % {"s": work_order.get_status_display()})
    return work_order


def work_order_create(*, title: str, subject: str, owner, by, description: str = "", priority: str = "normal",
                  related_users=(), due_at: datetime | None = None, alert: Alert | None = None,
                  finding: Finding | None = None, notify_sms: bool = True, notify_email: bool = True) -> WorkOrder:
    require(by, "ops.add_workorder")
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("请填写标题。")
    if subject not in WorkOrderSubject.values:
        errors["subject"] = _("工单类型无效。")
    if owner is None or not owner.is_active or not owner.has_perm("ops.view_workorder"):
        errors["owner"] = _("负责人必须是有工单权限的在职人员。")
    now = timezone.now()
    due_at = due_at or now + timedelta(hours=settings.OPS_WORK_ORDER_DUE_HOURS)
    if due_at <= now:
        errors["due_at"] = _("超期提醒时间必须晚于当前时间。")
    if subject == WorkOrderSubject.ALERT and alert is None:
        errors["alert"] = _("告警事件工单必须关联告警。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        work_order = WorkOrder.objects.create(
            number=f"tmp-{uuid.uuid4().hex[:16]}", title=title.strip()[:200], subject=subject,
            description=description, priority=priority, owner=owner, creator=by, due_at=due_at, alert=alert,
            finding=finding, notify_sms=notify_sms, notify_email=notify_email, created_at=now)
        work_order.number = f"GD{timezone.localtime(now):%Y%m%d}{work_order.pk:06d}"
        work_order.save(update_fields=["number"])
        work_order.related_users.set(list(related_users))
        if alert is not None and alert.status == AlertStatus.OPEN:
            Alert.objects.filter(pk=alert.pk).update(status=AlertStatus.IN_WORK_ORDER)
            record_transition(obj=alert, from_state=AlertStatus.OPEN, to_state=AlertStatus.IN_WORK_ORDER, actor=by,
                              action="work_order", comment=work_order.number)
        record_transition(obj=work_order, from_state="", to_state=WorkOrderStatus.NEW, actor=by, action="create")
        audit_record(actor=by, action=AuditAction.CREATE, obj=work_order)
        _notify(work_order, "created", _people(work_order))
    return work_order


def work_order_from_alert(*, alert: Alert, owner, by, **kwargs) -> WorkOrder:
    kwargs.setdefault("title", alert.title)
    kwargs.setdefault("description", alert.detail)
    return work_order_create(subject=WorkOrderSubject.ALERT, alert=alert, owner=owner, by=by, **kwargs)


def work_order_from_finding(*, finding: Finding, owner, by, **kwargs) -> WorkOrder:
    kwargs.setdefault("title", f"{finding.asset.name}：{finding.title}")
    kwargs.setdefault("description", finding.solution)
    return work_order_create(subject=SUBJECT_OF_FINDING[finding.kind], finding=finding, owner=owner, by=by, **kwargs)


def work_order_start(*, work_order: WorkOrder, by, comment: str = "") -> WorkOrder:
    require(by, "ops.view_workorder")
    with transaction.atomic():
        work_order = _locked(work_order, WorkOrderStatus.NEW)
        if by.pk != work_order.owner_id:
            raise PermissionDenied(_("只有负责人可以开始处理。"))
        _transition(work_order, WorkOrderStatus.IN_PROGRESS, by=by, action="start", comment=comment)
    return work_order


def work_order_assign(*, work_order: WorkOrder, owner, by, comment: str = "") -> WorkOrder:
    require(by, "ops.manage_work_orders")
    if owner is None or not owner.is_active or not owner.has_perm("ops.view_workorder"):
        raise ValidationError({"owner": _("负责人必须是有工单权限的在职人员。")})
    with transaction.atomic():
        work_order = _locked(work_order, WorkOrderStatus.NEW, WorkOrderStatus.IN_PROGRESS)
        previous = work_order.owner
        work_order.owner = owner
        work_order.save(update_fields=["owner"])
        record_transition(obj=work_order, from_state=work_order.status, to_state=work_order.status, actor=by, action="assign",
                          comment=_("负责人：%(a)s → %(b)s。%(c)s") % {"a": previous, "b": owner, "c": comment})
        audit_record(actor=by, action=AuditAction.UPDATE, obj=work_order, changes={"owner": [previous.pk, owner.pk]})
        _notify(work_order, "assigned", [owner, work_order.creator])
    return work_order


def work_order_handle(*, work_order: WorkOrder, resolution: str, by) -> WorkOrder:
    require(by, "ops.view_workorder")
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("请填写处理结果。")})
    with transaction.atomic():
        work_order = _locked(work_order, WorkOrderStatus.NEW, WorkOrderStatus.IN_PROGRESS)
        if by.pk != work_order.owner_id:
            raise PermissionDenied(_("只有负责人可以提交处理结果。"))
        work_order.resolution, work_order.handled_at = resolution.strip(), timezone.now()
        _transition(work_order, WorkOrderStatus.HANDLED, by=by, action="handle", comment=work_order.resolution[:500],
                    fields=["resolution", "handled_at"])
        _notify(work_order, "handled", [work_order.creator])
    return work_order


def work_order_verify(*, work_order: WorkOrder, approved: bool, by, comment: str = "") -> WorkOrder:
    """The creator or a work_order manager accepts the handling (closed) or sends it back (in progress)."""
    require(by, "ops.view_workorder")
    with transaction.atomic():
        work_order = _locked(work_order, WorkOrderStatus.HANDLED)
        if by.pk != work_order.creator_id and not _is_manager(by):
            raise PermissionDenied(_("只有创建人或工单管理员可以验收。"))
        if by.pk == work_order.owner_id and not _is_manager(by):
            raise PermissionDenied(_("负责人不能验收自己处理的工单。"))
        if approved:
            work_order.closed_at = timezone.now()
            _transition(work_order, WorkOrderStatus.CLOSED, by=by, action="verify", comment=comment, fields=["closed_at"])
            if work_order.finding_id:
                Finding.objects.filter(pk=work_order.finding_id).update(status=FindingStatus.FIXED)
            if work_order.alert_id:
                Alert.objects.filter(pk=work_order.alert_id).update(status=AlertStatus.CLOSED)
            _notify(work_order, "closed", _people(work_order))
        else:
            if not (comment or "").strip():
                raise ValidationError({"comment": _("退回时请说明原因。")})
            work_order.handled_at = None
            _transition(work_order, WorkOrderStatus.IN_PROGRESS, by=by, action="reject", comment=comment,
                        fields=["handled_at"])
            _notify(work_order, "reopened", [work_order.owner])
    return work_order


def work_orders_remind_overdue(*, now: datetime | None = None) -> int:
    """Remind owner and creator once for each open work_order past its overdue-reminder time."""
    now = now or timezone.now()
    reminded = 0
    due = WorkOrder.objects.filter(status__in=[WorkOrderStatus.NEW, WorkOrderStatus.IN_PROGRESS], due_at__lte=now,
                                reminded_at__isnull=True).values_list("pk", flat=True)
    for pk in list(due[:500]):
        with transaction.atomic():
            work_order = WorkOrder.objects.select_for_update(skip_locked=True).select_related("creator", "owner").filter(
                pk=pk, reminded_at__isnull=True).first()
            if work_order is None:
                continue
            work_order.reminded_at = now
            work_order.save(update_fields=["reminded_at"])
            record_transition(obj=work_order, from_state=work_order.status, to_state=work_order.status, actor=None,
                              action="remind", comment=_("超期提醒"))
            _notify(work_order, "overdue", [work_order.owner, work_order.creator])
            reminded += 1
    return reminded
