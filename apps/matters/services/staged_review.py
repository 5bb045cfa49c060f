"""Custom two-stage review (MAT-7.12): attachment required, county bureau first, provincial
competent department last. The rule is data (`CustomReviewRule`); 哈尔滨市 is one row."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import OrganisationKind, RegionLevel
from apps.matters.models import CustomReviewRule, MatterStatus, StagedReview
from apps.matters.services.kernel import record_transition, require_in_scope, require_permission

ATTACHMENT_TYPES = (".pdf", ".ofd", ".doc", ".docx", ".jpg", ".jpeg", ".png")


def custom_rule_for(item) -> CustomReviewRule | None:
    """The enabled rule covering a county-level implementation item, if any."""
    if item.kind != "implementation" or item.level != RegionLevel.COUNTY:
        return None
    city = item.region_id[:4] + "00000000"
    return CustomReviewRule.objects.filter(region_id=city, is_enabled=True).first()


def original_platform_link(item) -> str:
    rule = custom_rule_for(item)
    if rule is None or not rule.original_platform_url:
        return ""
    return rule.original_platform_url.replace("{code}", item.implementing_body.credit_code)


def staged_submit(*, actor, item, action: str, attachment_name: str, attachment: bytes,
                  reason: str = "") -> StagedReview:
    """上报 or 注销 with the mandatory attachment; goes to the county bureau first."""
    require_permission(actor, "matters.change_implementationitem")
    require_in_scope(actor, item)
    rule = custom_rule_for(item)
    if rule is None:
        raise ValidationError(_("该事项不适用个性化审核。"))
    if action not in StagedReview.Action.values:
        raise ValidationError({"action": _("请选择上报或注销。")})
    if not attachment or not attachment_name.lower().endswith(ATTACHMENT_TYPES):
        raise ValidationError({"attachment": _("上报、修改或注销事项须上传情况说明附件（PDF、OFD、Word 或图片）。")})
    allowed = (MatterStatus.DRAFT, MatterStatus.REJECTED) if action == StagedReview.Action.DECLARE \
        else (MatterStatus.PUBLISHED, MatterStatus.SUSPENDED)
    if item.status not in allowed:
        raise ValidationError(_("事项当前状态为“%(s)s”，不能%(a)s。") % {
            "s": item.get_status_display(), "a": StagedReview.Action(action).label})
    final = item.catalogue_item.department
    if final.region.level != RegionLevel.PROVINCE:
        raise ValidationError(_("该事项的目录清单不属于省直部门，无法确定终审部门。"))
    try:
        with transaction.atomic():
            review = StagedReview(implementation_item=item, action=action, reason=reason, final_department=final,
                                  submitted_by=actor)
            review.attachment.save(attachment_name, ContentFile(attachment), save=False)
            review.save()
            record_transition(obj=review, from_state="", to_state=StagedReview.Stage.INITIAL, actor=actor,
                              action=action, comment=reason)
            if action == StagedReview.Action.DECLARE:
                _move_item(item, MatterStatus.PENDING_REVIEW, actor, "submit")
    except IntegrityError as exc:
        raise ValidationError(_("该事项已有审核中的申请。")) from exc
    return review


def _move_item(item, to_state, actor, action, comment=""):
    from_state = item.status
    item.status = to_state
    item.save(update_fields=["status", "updated_at"])
    record_transition(obj=item, from_state=from_state, to_state=to_state, actor=actor, action=action, comment=comment)


def staged_review_decide(*, actor, review: StagedReview, approve: bool, comment: str = "") -> StagedReview:
    """Initial review by the item's county 营商局, then final review by the provincial department."""
    from apps.matters.services.declaration import publish_version

    if not approve and not comment.strip():
        raise ValidationError({"comment": _("驳回时必须填写审核意见。")})
    with transaction.atomic():
        review = StagedReview.objects.select_for_update().select_related("implementation_item").get(pk=review.pk)
        item = review.implementation_item
        own = getattr(actor, "organisation", None)
        if review.stage == StagedReview.Stage.INITIAL:
            if own is None or own.kind != OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU or own.region_id != item.region_id:
                raise PermissionDenied(_("初审由事项所在区县的营商局办理。"))
            to_stage = StagedReview.Stage.FINAL if approve else StagedReview.Stage.REJECTED
        elif review.stage == StagedReview.Stage.FINAL:
            if own is None or own.pk != review.final_department_id:
                raise PermissionDenied(_("终审由省直主管部门办理。"))
            to_stage = StagedReview.Stage.APPROVED if approve else StagedReview.Stage.REJECTED
        else:
            raise ValidationError(_("该申请已审核结束。"))
        from_stage = review.stage
        review.stage = to_stage
        review.save(update_fields=["stage"])
        record_transition(obj=review, from_state=from_stage, to_state=to_stage, actor=actor,
                          action="approve" if approve else "reject", comment=comment)
        if to_stage == StagedReview.Stage.REJECTED and review.action == StagedReview.Action.DECLARE:
            _move_item(item, MatterStatus.REJECTED, actor, "reject", comment)
        elif to_stage == StagedReview.Stage.APPROVED and review.action == StagedReview.Action.DECLARE:
            item.version += 1
            item.published_at = timezone.now()
            item.save(update_fields=["version", "published_at", "updated_at"])
            _move_item(item, MatterStatus.PUBLISHED, actor, "approve", comment)
            publish_version(item=item, actor=actor, summary=_("两级审核通过，发布"))
        elif to_stage == StagedReview.Stage.APPROVED:
            _move_item(item, MatterStatus.CANCELLED, actor, "cancel", comment)
    return review
