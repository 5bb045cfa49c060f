"""Demonstration items (示范事项, MAT-7.3): items of a demonstration department are reviewed by the
provincial department's review account, then by the review group; they are never reported to the
national platform and never delegated."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.matters.models import DemonstrationDepartment, DemonstrationReview, DemonstrationReviewer, MatterStatus
from apps.matters.services.kernel import record_transition, require_in_scope, require_permission


def demonstration_of(item) -> DemonstrationDepartment | None:
    if item.kind != "implementation":
        return None
    return DemonstrationDepartment.objects.filter(organisation_id=item.implementing_body_id).first()


def is_demonstration(item) -> bool:
    return demonstration_of(item) is not None


def demonstration_submit(*, actor, item) -> DemonstrationReview:
    """The demonstration department reports its filled item to the provincial review account."""
    from apps.matters.services.declaration import validate_fees, validate_time_limits

    require_permission(actor, "matters.change_implementationitem")
    require_in_scope(actor, item)
    department = demonstration_of(item)
    if department is None:
        raise ValidationError(_("该事项不属于示范部门。"))
    if item.status not in (MatterStatus.DRAFT, MatterStatus.REJECTED):
        raise ValidationError(_("只有草稿或被驳回的事项可以上报。"))
    validate_time_limits(is_immediate=item.is_immediate, statutory=item.statutory_limit_working_days,
                         committed=item.committed_limit_working_days,
                         steps=list(item.steps.values("is_acceptance", "step_limit_working_days")))
    validate_fees(is_charged=item.is_charged, fees=list(item.fees.values("name", "basis", "amount_fen")))
    try:
        with transaction.atomic():
            review = DemonstrationReview.objects.create(implementation_item=item,
                                                        business_line=department.business_line)
            record_transition(obj=review, from_state="", to_state=review.stage, actor=actor, action="submit")
            _move(item, MatterStatus.PENDING_REVIEW, actor, "submit")
    except IntegrityError as exc:
        raise ValidationError(_("该事项已在审核中。")) from exc
    return review


def _move(item, to_state, actor, action, comment=""):
    from_state = item.status
    item.status = to_state
    item.save(update_fields=["status", "updated_at"])
    record_transition(obj=item, from_state=from_state, to_state=to_state, actor=actor, action=action, comment=comment)


def demonstration_review(*, actor, review: DemonstrationReview, approve: bool, comment: str = "") -> None:
    """Initial review (the line's review account), then final review (the line's review group)."""
    from apps.matters.services.declaration import publish_version

    if not approve and not comment.strip():
        raise ValidationError({"comment": _("驳回时必须填写审核意见。")})
    with transaction.atomic():
        review = DemonstrationReview.objects.select_for_update().select_related("implementation_item").get(pk=review.pk)
        if review.stage not in (DemonstrationReview.Stage.INITIAL, DemonstrationReview.Stage.FINAL):
            raise ValidationError(_("该审核已结束。"))
        if not DemonstrationReviewer.objects.filter(user=actor, business_line=review.business_line,
                                                    role=review.stage).exists():
            raise PermissionDenied(_("该阶段由本条线的%(r)s办理。") % {
                "r": DemonstrationReviewer.Role(review.stage).label})
        from_stage = review.stage
        if not approve:
            review.stage = DemonstrationReview.Stage.REJECTED
        elif from_stage == DemonstrationReview.Stage.INITIAL:
            review.stage = DemonstrationReview.Stage.FINAL
        else:
            review.stage = DemonstrationReview.Stage.APPROVED
        review.save(update_fields=["stage"])
        record_transition(obj=review, from_state=from_stage, to_state=review.stage, actor=actor,
                          action="approve" if approve else "reject", comment=comment)
        item = review.implementation_item
        if review.stage == DemonstrationReview.Stage.REJECTED:
            _move(item, MatterStatus.REJECTED, actor, "reject", comment)
        elif review.stage == DemonstrationReview.Stage.APPROVED:
            item.version += 1
            item.published_at = timezone.now()
            item.save(update_fields=["version", "published_at", "updated_at"])
            _move(item, MatterStatus.PUBLISHED, actor, "approve", comment)
            publish_version(item=item, actor=actor, summary=_("示范事项终审通过"))     # not reported: see publish_version
