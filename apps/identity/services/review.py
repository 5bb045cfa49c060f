"""Review of registrations (IDN-5.2, 10.1, 10.2): reviewers approve or reject accounts waiting
for manual review; a job every 24 hours re-checks them with the national real-name service and the
provincial police and approves those that pass, without a reviewer."""
from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.crypto import mask_id_number
from apps.core.workflow import record_transition
from apps.identity.models import (
    RealNameLevel,
    RealNameVerification,
    ReviewStatus,
    User,
    UserKind,
    VerificationMethod,
)
from apps.identity.services.checks import person_check

logger = logging.getLogger(__name__)
REVIEW_PERMISSION = "identity.review_registration"


def review_queue():
    """Accounts waiting for manual review, temporary legal persons first (highlighted, IDN-10.2)."""
    return (User.objects.filter(review_status=ReviewStatus.PENDING)
            .select_related("home_region", "organisation").order_by("-is_temporary_legal_person", "date_joined"))


def _decide(*, user: User, approve: bool, actor: User | None, opinion: str, action: str) -> User:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.review_status != ReviewStatus.PENDING:
            raise ValidationError(_("该账号不在待审核状态。"))
        before = locked.review_status
        locked.review_status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        fields = ["review_status"]
        if approve and locked.kind == UserKind.STAFF and not locked.is_active:
            locked.is_active = True                     # IDN-13.1: the registered staff member may log in
            fields.append("is_active")
        if approve and locked.kind == UserKind.NATURAL_PERSON and locked.real_name_level < RealNameLevel.VERIFIED:
            locked.real_name_level = RealNameLevel.VERIFIED
            fields.append("real_name_level")
        locked.save(update_fields=fields)
        record_transition(obj=locked, from_state=before, to_state=locked.review_status, actor=actor, action=action,
                          comment=opinion)
        audit_record(actor=actor, action="update", obj=locked, detail=f"注册审核：{locked.get_review_status_display()}",
                     changes={"review_status": [before, locked.review_status]})
    return locked


def registration_review(*, user: User, approve: bool, opinion: str, actor: User) -> User:
    """Manual review (人工审核). A rejection needs an opinion; the temporary legal person's credit
    code is not part of the check (it has none yet)."""
    if not actor.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied(_("您没有审核注册用户的权限。"))
    opinion = (opinion or "").strip()
    if not approve and not opinion:
        raise ValidationError({"opinion": _("审核不通过时须填写审核意见。")})
    return _decide(user=user, approve=approve, actor=actor, opinion=opinion[:500],
                   action="review_approve" if approve else "review_reject")


def _person_of(user: User) -> dict:
    name = user.legal_representative if user.kind == UserKind.LEGAL_PERSON else user.full_name
    return {"id_type": user.id_type or "resident_id", "name": name, "id_number": user.id_number or "",
            "valid_from": user.id_valid_from, "valid_to": user.id_valid_to}


def registration_auto_review() -> dict:
    """IDN-5.2 automatic review: re-check every pending account; approve those that pass. Each
    attempt is recorded; a registry that is down leaves the account for the next run."""
    counts = {"checked": 0, "approved": 0, "failed": 0, "unavailable": 0}
    for user in list(review_queue().exclude(kind=UserKind.STAFF).filter(id_number_digest__gt="")):
        person = _person_of(user)
        counts["checked"] += 1
        try:
            person_check(**person)
        except ValidationError as exc:
            unavailable = "暂时无法访问" in exc.messages[0]
            counts["unavailable" if unavailable else "failed"] += 1
            if not unavailable:
                _record(user, passed=False, message=exc.messages[0], person=person)
            continue
        try:
            decided = _decide(user=user, approve=True, actor=None, opinion=_("自动审核：国家实名核验与省公安核验通过"),
                              action="review_auto_approve")
        except ValidationError:          # decided by a reviewer meanwhile
            continue
        _record(decided, passed=True, message=_("自动审核通过"), person=person, before=user.real_name_level)
        counts["approved"] += 1
    logger.info("identity auto review: %s", counts)
    return counts


def _record(user: User, *, passed: bool, message: str, person: dict, before: int | None = None) -> None:
    RealNameVerification.objects.create(
        user=user, method=VerificationMethod.REGISTRY_RECHECK, passed=passed, message=message[:200],
        level_before=user.real_name_level if before is None else before, level_after=user.real_name_level,
        identity={"name": person["name"], "id_number": mask_id_number(person["id_number"])})
