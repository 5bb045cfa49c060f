"""Changing a published matter (MAT-2.1.6, 2.2.9): routed by what changed, versioned, reported upward.

* Only 咨询电话 / 监督电话 / 办理部门 / 办理地点 changed → applied at once as a new version.
* Anything else → the legal-affairs offices from the item's level up to the province approve in
  turn; the last approval applies it as a new version. Every step is in the flow history.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Organisation, OrganisationKind
from apps.core.models.regions import parent_code_of
from apps.matters.models import (
    IMMEDIATE_CHANGE_FIELDS, ChangeRequest, ChangeRequestStatus, ChangeRoute, MatterStatus,
)
from apps.matters.services.declaration import publish_version, replace_children, validate_fees, validate_time_limits
from apps.matters.services.kernel import (
    AuditAction, audit_record, owner_kwargs, record_transition, require_in_scope, require_permission,
)
from apps.matters.services.versions import CHILD_SETS, ELEMENT_FIELDS, changed_fields, matter_snapshot

CHANGEABLE_FIELDS = [name for name in ELEMENT_FIELDS if name != "region"]


def _proposed_snapshot(item, proposed: dict) -> dict:
    unknown = set(proposed) - set(CHANGEABLE_FIELDS) - set(CHILD_SETS)
    if unknown:
        raise ValidationError(_("不能变更这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    current = matter_snapshot(item)
    new = dict(current)
    for name, value in proposed.items():
        if name == "materials":
            new[name] = [{"situation_name": "", **row} for row in value]     # forms without the situation column
        elif name in CHILD_SETS:
            new[name] = value
        elif hasattr(value, "pk"):
            new[name] = {"id": value.pk, "label": str(value)}
        else:
            new[name] = value
    return new


def matter_change_preview(*, item, proposed: dict) -> list[str]:
    """The fields a proposal changes (for highlighting before submission); raises on locked elements."""
    changed = changed_fields(matter_snapshot(item), _proposed_snapshot(item, proposed))
    locked = [name for name in changed if name in getattr(item, "synced_elements", ())]
    if locked:
        labels = "、".join(str(type(item)._meta.get_field(name).verbose_name) for name in locked)
        raise ValidationError(_("%(labels)s 由目录清单同步，不能在实施清单中修改。") % {"labels": labels})
    from apps.matters.services.control import controlled_fields

    controlled = [name for name in changed if name in controlled_fields(item)]
    if controlled:
        labels = "、".join(str(type(item)._meta.get_field(name).verbose_name) for name in controlled)
        raise ValidationError(_("%(labels)s 已由省级主管部门统一管控（三级N同），由省级统一维护，本级不能修改。")
                              % {"labels": labels})
    return changed


def review_chain(item) -> list[str]:
    """Region codes whose legal-affairs office approves, lowest first, from the item's level
    (township and village items start at their county) up to the province."""
    codes, code = [], item.region_id
    while code:
        codes.append(code)
        code = parent_code_of(code)
    with_office = set(Organisation.objects.filter(kind=OrganisationKind.LEGAL_AFFAIRS_OFFICE, is_enabled=True,
                                                  region_id__in=codes).values_list("region_id", flat=True))
    return [c for c in codes if c in with_office]


def matter_change_submit(*, actor, item, proposed: dict, reason: str = "") -> ChangeRequest:
    """File a change of a published matter; immediate fields apply now, the rest go to 法制办."""
    require_permission(actor, f"matters.change_{type(item).__name__.lower()}")
    require_in_scope(actor, item)
    if item.status != MatterStatus.PUBLISHED:
        raise ValidationError(_("只有在用（已发布）的事项可以变更。"))
    if ChangeRequest.objects.filter(**owner_kwargs(item), status=ChangeRequestStatus.PENDING_REVIEW).exists():
        raise ValidationError(_("该事项已有待审核的变更申请，请等待审核结束。"))
    changed = matter_change_preview(item=item, proposed=proposed)
    if not changed:
        raise ValidationError(_("没有任何修改，无需提交变更。"))
    new = _proposed_snapshot(item, proposed)
    validate_time_limits(is_immediate=new["is_immediate"], statutory=new["statutory_limit_working_days"],
                         committed=new["committed_limit_working_days"], steps=new["steps"])
    validate_fees(is_charged=new["is_charged"], fees=new["fees"])
    immediate = set(changed) <= set(IMMEDIATE_CHANGE_FIELDS)
    chain = [] if immediate else review_chain(item)
    if not immediate and not chain:
        raise ValidationError(_("未找到审核该变更的法制办，请联系管理员配置。"))
    with transaction.atomic():
        change = ChangeRequest.objects.create(
            **owner_kwargs(item), base_version=item.version, proposed=_serialisable(proposed), changed_fields=changed,
            route=ChangeRoute.IMMEDIATE if immediate else ChangeRoute.ESCALATED, review_chain=chain,
            current_region_id=chain[0] if chain else None, reason=reason, region_id=item.region_id,
            department=_owning_department(item), submitted_by=actor)
        record_transition(obj=change, from_state="", to_state=ChangeRequestStatus.PENDING_REVIEW, actor=actor,
                          action="submit", comment=reason)
        if immediate:
            _apply(change, item, actor, _("即时生效的变更"))
    return change


def matter_change_review(*, actor, change: ChangeRequest, approve: bool, comment: str = "") -> ChangeRequest:
    """One legal-affairs office decides; approval passes the request up, or applies it at the top."""
    require_permission(actor, "matters.review_changerequest")
    with transaction.atomic():
        change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
        own = getattr(actor, "organisation", None)
        if (own is None or own.kind != OrganisationKind.LEGAL_AFFAIRS_OFFICE
                or own.region_id != change.current_region_id):
            raise PermissionDenied(_("该变更当前不由您所在的法制办审核。"))
        if change.status != ChangeRequestStatus.PENDING_REVIEW:
            raise ValidationError(_("该变更申请已办结。"))
        if not approve and not comment.strip():
            raise ValidationError({"comment": _("驳回时必须填写审核意见。")})
        if not approve:
            _finish(change, ChangeRequestStatus.REJECTED, actor, "reject", comment)
            return change
        if change.current_step + 1 < len(change.review_chain):
            change.current_step += 1
            change.current_region_id = change.review_chain[change.current_step]
            change.save(update_fields=["current_step", "current_region"])
            record_transition(obj=change, from_state=ChangeRequestStatus.PENDING_REVIEW,
                              to_state=ChangeRequestStatus.PENDING_REVIEW, actor=actor, action="approve_and_escalate",
                              comment=comment)
            return change
        _apply(change, change.matter, actor, comment)
    return change


def _apply(change: ChangeRequest, item, actor, comment: str) -> None:
    item = type(item).objects.select_for_update().get(pk=item.pk)
    if item.version != change.base_version:
        raise ValidationError(_("事项已有新版本（V%(v)s），请基于最新版本重新提交变更。") % {"v": item.version})
    before = matter_snapshot(item)
    proposed = _deserialise(change.proposed)
    for name, value in proposed.items():
        if name not in CHILD_SETS:
            setattr(item, name, value)
    item.version += 1
    item.full_clean(exclude=["level", "basic_code", "implementation_code"], validate_unique=False)
    item.save()
    replace_children(item, {key: value for key, value in proposed.items() if key in CHILD_SETS})
    publish_version(item=item, actor=actor, change_request=change,
                    summary=_("变更：") + "、".join(change.changed_fields))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item,
                 changes={name: [before.get(name), change.proposed.get(name)] for name in change.changed_fields})
    record_transition(obj=item, from_state=item.status, to_state=item.status, actor=actor, action="change",
                      comment=_("发布V%(v)s") % {"v": item.version})
    _finish(change, ChangeRequestStatus.APPROVED, actor, "approve", comment)
    if item.kind == "catalogue":
        from apps.matters.models import NotificationKind
        from apps.matters.services.notifications import notify_implementers, sync_catalogue_elements

        sync_catalogue_elements(catalogue_item=item, actor=actor)

        notify_implementers(catalogue_item=item, kind=NotificationKind.CHANGED,
                            title=_("目录事项“%(n)s”已变更（V%(v)s）：%(f)s") % {
                                "n": item.name, "v": item.version, "f": "、".join(change.changed_fields)})


def _finish(change: ChangeRequest, status: str, actor, action: str, comment: str) -> None:
    change.status = status
    change.decided_at = timezone.now()
    change.save(update_fields=["status", "decided_at"])
    record_transition(obj=change, from_state=ChangeRequestStatus.PENDING_REVIEW, to_state=status, actor=actor,
                      action=action, comment=comment)


def _owning_department(item):
    return item.department if item.kind == "catalogue" else item.implementing_body


def _serialisable(proposed: dict) -> dict:
    return {name: ({"id": value.pk, "label": str(value)} if hasattr(value, "pk") else value)
            for name, value in proposed.items()}


def _deserialise(proposed: dict) -> dict:
    values = {}
    for name, value in proposed.items():
        if isinstance(value, dict) and "id" in value:
            values[f"{name}_id"] = value["id"]
        else:
            values[name] = value
    return values

