"""The complaint workflow: one table of steps, one function per step (PORTAL-1.1, 1.2, 1.4, 10.2).

Each step validates its input, checks the actor's permission and data scope, locks the row,
changes the state, records the transition, and queues its side effects (hand-off SMS, a
message to the national platform or gov.cn) in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.models import Organisation
from apps.core.scope import can_see
from apps.core.sms import sms_notify_handoff
from apps.core.workflow import record_transition
from apps.supervision.models import Complaint, ComplaintSource
from apps.supervision.models import ComplaintStatus as S
from apps.supervision.services.deadlines import deadline_from

HANDLE, PROCESS = "supervision.handle_complaint", "supervision.process_complaint"
UPPER = (ComplaintSource.NATIONAL_PLATFORM, ComplaintSource.GOVCN)
LOCAL = (ComplaintSource.PROVINCIAL, ComplaintSource.INVESTMENT_EXPRESS)
ALL = UPPER + LOCAL
TODO_DEPARTMENT_STATES = (S.TRANSFERRED, S.ASSIGNED, S.RECEIVED, S.REOPENED)


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    sources: tuple
    target: str
    permissions: tuple
    channels: tuple
    needs_department: bool = False
    needs_text: bool = False


STEPS = {s.action: s for s in [
    Step("accept", gettext_lazy("受理"), (S.PENDING,), S.ACCEPTED, (HANDLE,), ALL),
    Step("transfer", gettext_lazy("转办"), (S.ACCEPTED, S.RETURNED), S.TRANSFERRED, (HANDLE,), UPPER,
         needs_department=True),
    Step("assign", gettext_lazy("指派"), (S.ACCEPTED, S.RETURNED), S.ASSIGNED, (HANDLE,), LOCAL,
         needs_department=True),
    Step("retain", gettext_lazy("留存处理"), (S.ACCEPTED, S.RETURNED), S.RETAINED, (HANDLE,),
         (ComplaintSource.GOVCN,)),
    Step("return_upstream", gettext_lazy("退回督查平台"), (S.PENDING, S.ACCEPTED, S.RETURNED), S.RETURNED_UPSTREAM,
         (HANDLE,), (ComplaintSource.GOVCN,), needs_text=True),
    Step("receive", gettext_lazy("接收受理"), (S.TRANSFERRED, S.ASSIGNED), S.RECEIVED, (PROCESS,), ALL),
    Step("return", gettext_lazy("退回"), (S.TRANSFERRED, S.ASSIGNED, S.RECEIVED), S.RETURNED, (PROCESS,), ALL,
         needs_text=True),
    Step("enter_result", gettext_lazy("受理结果录入"), (S.RECEIVED, S.RETAINED, S.REOPENED), S.RESULT_ENTERED,
         (PROCESS, HANDLE), UPPER, needs_text=True),
    Step("review", gettext_lazy("审核通过"), (S.RESULT_ENTERED,), S.REVIEWED, (HANDLE,), UPPER),
    Step("reject", gettext_lazy("审核不通过"), (S.RESULT_ENTERED,), S.RECEIVED, (HANDLE,), UPPER, needs_text=True),
    Step("submit", gettext_lazy("提交到上级平台"), (S.REVIEWED,), S.SUBMITTED_TO_NATION, (HANDLE,), UPPER),
    Step("reply", gettext_lazy("回复"), (S.ACCEPTED, S.ASSIGNED, S.RECEIVED), S.REPLIED, (PROCESS, HANDLE), LOCAL,
         needs_text=True),
    Step("close", gettext_lazy("办结"), (S.REPLIED,), S.CONCLUDED, (HANDLE,), LOCAL),
]}


def available_steps(complaint: Complaint, user) -> list[Step]:
    """The steps `user` may take on `complaint` now (for buttons; the service checks again)."""
    return [s for s in STEPS.values() if complaint.status in s.sources and complaint.source in s.channels
            and any(user.has_perm(p) for p in s.permissions)]


def _check(step: Step, complaint: Complaint, actor) -> None:
    if not getattr(actor, "is_authenticated", False) or not (getattr(actor, "is_staff_user", False)
                                                             or actor.is_superuser):
        raise PermissionDenied(_("仅限政务工作人员办理投诉。"))
    if not any(actor.has_perm(p) for p in step.permissions):
        raise PermissionDenied(_("您没有“%(step)s”的权限。") % {"step": step.label})
    if not can_see(actor, complaint):
        raise PermissionDenied(_("该投诉不在您的数据范围内。"))
    if complaint.source not in step.channels:
        raise ValidationError(_("%(source)s投诉不能“%(step)s”。") % {
            "source": complaint.get_source_display(), "step": step.label})
    if complaint.status not in step.sources:
        raise ValidationError(_("投诉当前状态为“%(status)s”，不能“%(step)s”。") % {
            "status": complaint.get_status_display(), "step": step.label})


def _department_for(actor, department) -> Organisation:
    if department is None:
        raise ValidationError({"department": [_("请选择承办部门。")]})
    if not isinstance(department, Organisation):
        department = Organisation.objects.filter(pk=department).first()
        if department is None:
            raise ValidationError({"department": [_("所选部门不存在。")]})
    organisation = getattr(actor, "organisation", None)
    if not actor.is_superuser and (organisation is None
                                   or not department.region_id.startswith(organisation.region.prefix)):
        raise ValidationError({"department": [_("只能转办或指派给本区划内的部门。")]})
    return department


def processors_of(department: Organisation):
    """Staff of `department` who can receive complaints (recipients of the hand-off SMS)."""
    from apps.identity.models import User

    return (User.objects.filter(organisation=department, kind="staff", is_active=True,
                                roles__permissions__codename="process_complaint",
                                roles__permissions__content_type__app_label="supervision").distinct())


def _notify(complaint: Complaint, recipients, action: str, sequence: int) -> None:
    for user in recipients:
        sms_notify_handoff(recipient=user, subject=_("投诉件 %(n)s") % {"n": complaint.case_number},
                           url=complaint.get_absolute_url(),
                           idempotency_key=f"supervision:{complaint.pk}:{action}:{sequence}:{user.pk}")


def complaint_step(*, complaint: Complaint, action: str, actor, comment: str = "", department=None) -> Complaint:
    """Take workflow step `action` on `complaint` (see STEPS)."""
    step = STEPS.get(action)
    if step is None:
        raise ValidationError(_("未知的办理操作：%(a)s") % {"a": action})
    comment = (comment or "").strip()
    if step.needs_text and not comment:
        raise ValidationError({"comment": [_("请填写%(step)s意见。") % {"step": step.label}]})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _check(step, complaint, actor)
        if step.needs_department:
            department = _department_for(actor, department)
        from_state = complaint.status
        fields = _apply(step, complaint, actor, comment, department)
        complaint.status = step.target if action != "reject" else (S.RETAINED if complaint.retained else S.RECEIVED)
        complaint.save(update_fields=["status", *fields])
        transition = record_transition(obj=complaint, from_state=from_state, to_state=complaint.status,
                                       actor=actor, action=action, comment=comment)
        _side_effects(step, complaint, actor, comment, transition.pk)
    return complaint


def _apply(step: Step, complaint: Complaint, actor, comment: str, department) -> list[str]:
    now = timezone.now()
    if step.action == "accept":
        complaint.accepted_at, complaint.handler = now, actor
        complaint.deadline = deadline_from(now, complaint.source)
        return ["accepted_at", "handler", "deadline"]
    if step.needs_department:
        complaint.department = department
        return ["department"]
    if step.action == "retain":
        complaint.retained = True
        return ["retained"]
    if step.action in ("enter_result", "reply"):
        complaint.result, complaint.replied_at = comment, now
        return ["result", "replied_at"]
    if step.action in ("close", "return_upstream"):
        complaint.concluded_at = now
        return ["concluded_at"]
    return []


def _side_effects(step: Step, complaint: Complaint, actor, comment: str, sequence: int) -> None:
    from apps.supervision.services import exchange

    action = step.action
    if action in ("transfer", "assign"):
        _notify(complaint, processors_of(complaint.department), action, sequence)
    elif action in ("return", "enter_result", "reply") and complaint.handler_id and complaint.handler != actor:
        _notify(complaint, [complaint.handler], action, sequence)
    elif action == "reject" and complaint.department_id and not complaint.retained:
        _notify(complaint, processors_of(complaint.department), action, sequence)
    if complaint.source == ComplaintSource.GOVCN:
        message_type = {"retain": "retain_notice", "return_upstream": "return_info",
                        "submit": "handling_feedback"}.get(action)
        if message_type:
            exchange.govcn_send(complaint=complaint, message_type=message_type,
                                data={"opinion": comment or complaint.result, "handled_at": timezone.now().isoformat(),
                                      "department": complaint.department.name if complaint.department else ""})
    elif complaint.source == ComplaintSource.NATIONAL_PLATFORM and action == "submit":
        exchange.national_submit(complaint=complaint)


# Named entry points (one per step) for code that reads better with them.
def complaint_accept(*, complaint, actor, comment=""):
    return complaint_step(complaint=complaint, action="accept", actor=actor, comment=comment)


def complaint_transfer(*, complaint, department, actor, comment=""):
    return complaint_step(complaint=complaint, action="transfer", actor=actor, comment=comment, department=department)


def complaint_assign(*, complaint, department, actor, comment=""):
    return complaint_step(complaint=complaint, action="assign", actor=actor, comment=comment, department=department)
