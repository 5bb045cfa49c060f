"""System access requests (系统访问权限申请, PORTAL-9.3): apply → approve | reject."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.scope import can_see
from apps.core.workflow import record_transition
from apps.identity.models import (
    REVIEW_ACCESS_REQUEST_PERMISSION,
    AccessRequestStatus,
    SystemAccessRequest,
    TargetSystem,
    User,
)

REASON_MAX_LENGTH = 1000


def access_request_create(*, applicant: User, system: str, reason: str) -> SystemAccessRequest:
    """A registered staff user applies for access to another system."""
    if not (applicant and applicant.is_authenticated and applicant.is_active and applicant.is_staff_user):
        raise PermissionDenied(_("只有已注册的政务工作人员可以申请系统访问权限。"))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if system not in TargetSystem.values:
        errors["system"] = [_("请选择要申请的系统。")]
    if not reason:
        errors["reason"] = [_("请填写申请理由。")]
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("申请理由不能超过 %(n)d 个字。") % {"n": REASON_MAX_LENGTH}]
    if not errors:
        existing = set(SystemAccessRequest.objects.filter(applicant=applicant, system=system).exclude(
            status=AccessRequestStatus.REJECTED).values_list("status", flat=True))
        label = TargetSystem(system).label
        if AccessRequestStatus.APPROVED in existing:
            errors["system"] = [_("您已拥有“%(system)s”的访问权限，无需重复申请。") % {"system": label}]
        elif AccessRequestStatus.PENDING_REVIEW in existing:
            errors["system"] = [_("您对“%(system)s”的申请正在审核中，请勿重复提交。") % {"system": label}]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            access_request = SystemAccessRequest.objects.create(applicant=applicant, system=system, reason=reason)
            record_transition(obj=access_request, from_state="", to_state=AccessRequestStatus.PENDING_REVIEW,
                              actor=applicant, action="submit", comment=reason)
    except IntegrityError:     # a second submit raced the first one past the check above
        raise ValidationError({"system": [_("您对该系统的申请正在审核中，请勿重复提交。")]}) from None
    return access_request


def _lock_for_decision(access_request: SystemAccessRequest, actor: User) -> SystemAccessRequest:
    if not (actor and actor.is_authenticated and actor.has_perm(REVIEW_ACCESS_REQUEST_PERMISSION)):
        raise PermissionDenied(_("您没有审核系统访问权限申请的权限。"))
    if not can_see(actor, access_request):
        raise PermissionDenied(_("该申请不在您的管理范围内。"))
    locked = SystemAccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.applicant_id == actor.pk:
        raise ValidationError({"comment": [_("不能审核自己提交的申请。")]})
    if locked.status != AccessRequestStatus.PENDING_REVIEW:
        raise ValidationError({"status": [_("该申请已审核（%(status)s），不能再次审核。")
                                          % {"status": locked.get_status_display()}]})
    return locked


def _decide(access_request, *, actor, to_state: str, action: str, comment: str) -> SystemAccessRequest:
    locked = _lock_for_decision(access_request, actor)
    locked.status, locked.reviewer, locked.decided_at, locked.comment = to_state, actor, timezone.now(), comment
    locked.save(update_fields=["status", "reviewer", "decided_at", "comment", "updated_at"])
    record_transition(obj=locked, from_state=AccessRequestStatus.PENDING_REVIEW, to_state=to_state, actor=actor,
                      action=action, comment=comment)
    return locked


@transaction.atomic
def access_request_approve(*, access_request: SystemAccessRequest, actor: User,
                           comment: str = "") -> SystemAccessRequest:
    return _decide(access_request, actor=actor, to_state=AccessRequestStatus.APPROVED, action="approve",
                   comment=(comment or "").strip())


@transaction.atomic
def access_request_reject(*, access_request: SystemAccessRequest, actor: User, comment: str) -> SystemAccessRequest:
    comment = (comment or "").strip()
    if not comment:
        _lock_for_decision(access_request, actor)      # permission and state errors come first
        raise ValidationError({"comment": [_("驳回时必须填写驳回理由。")]})
    return _decide(access_request, actor=actor, to_state=AccessRequestStatus.REJECTED, action="reject",
                   comment=comment)
