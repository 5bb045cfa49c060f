"""Suspension (暂停), cancellation (注销), delegation (下放) and delegation batches (MAT-2.1.7, 2.1.8,
2.2.10, 2.2.11, 2.4, 2.5). Every refusal is a clear message with nothing written."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Organisation, OrganisationKind, RegionLevel
from apps.matters.models import (
    EXERCISE_LEVEL_OF_REGION, CatalogueItem, Delegation, DelegationBatch, ExerciseLevel, ImplementationItem,
    MatterStatus, NotificationKind, RequestStatus, SuspensionRequest,
)
from apps.matters.services.coding import implementation_code_generate
from apps.matters.services.declaration import REVIEWER_KINDS, replace_children
from apps.matters.services.kernel import (
    AuditAction, audit_record, owner_kwargs, record_transition, require_in_scope, require_permission,
)
from apps.matters.services.notifications import notify, notify_implementers
from apps.matters.services.versions import CHILD_SETS, ELEMENT_FIELDS, matter_snapshot

LOWER_LEVELS = [ExerciseLevel.CITY, ExerciseLevel.COUNTY, ExerciseLevel.TOWNSHIP, ExerciseLevel.VILLAGE]


def _owner(item):
    return item.department if item.kind == "catalogue" else item.implementing_body


def _move(item, to_state: str, actor, action: str, comment: str = "") -> None:
    from_state = item.status
    item.status = to_state
    item.save(update_fields=["status", "updated_at"])
    record_transition(obj=item, from_state=from_state, to_state=to_state, actor=actor, action=action, comment=comment)


# --- suspension --------------------------------------------------------------------------------

def matter_suspension_submit(*, actor, item, reason: str) -> SuspensionRequest:
    """A department asks to suspend one of its published matters (MAT-2.1.7, 2.2.10)."""
    require_permission(actor, f"matters.change_{type(item).__name__.lower()}")
    require_in_scope(actor, item)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写暂停理由。")})
    if item.status != MatterStatus.PUBLISHED:
        raise ValidationError(_("只有在用（已发布）的事项可以申请暂停。"))
    with transaction.atomic():
        type(item).objects.select_for_update().get(pk=item.pk)
        if SuspensionRequest.objects.filter(**owner_kwargs(item), status=RequestStatus.PENDING_REVIEW).exists():
            raise ValidationError(_("该事项已有待审核的暂停申请。"))
        request = SuspensionRequest.objects.create(**owner_kwargs(item), reason=reason, region_id=item.region_id,
                                                   department=_owner(item), submitted_by=actor)
        record_transition(obj=request, from_state="", to_state=RequestStatus.PENDING_REVIEW, actor=actor,
                          action="submit", comment=reason)
    return request


def matter_suspension_review(*, actor, request: SuspensionRequest, approve: bool, comment: str = "") -> None:
    """The 编办/法制办 of the matter's region decide; approval suspends the matter at once."""
    require_permission(actor, "matters.review_catalogueitem")
    own = getattr(actor, "organisation", None)
    if own is None or own.kind not in REVIEWER_KINDS or not request.region_id.startswith(own.region.prefix):
        raise PermissionDenied(_("该暂停申请应由事项所在地区的编办或法制办审核。"))
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("驳回时必须填写审核意见。")})
    with transaction.atomic():
        request = SuspensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != RequestStatus.PENDING_REVIEW:
            raise ValidationError(_("该暂停申请已办结。"))
        request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
        request.opinion, request.decided_at = comment, timezone.now()
        request.save(update_fields=["status", "opinion", "decided_at"])
        record_transition(obj=request, from_state=RequestStatus.PENDING_REVIEW, to_state=request.status,
                          actor=actor, action="approve" if approve else "reject", comment=comment)
        if approve:
            item = request.matter
            _move(item, MatterStatus.SUSPENDED, actor, "suspend", request.reason)
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=item,
                         changes={"status": [MatterStatus.PUBLISHED, MatterStatus.SUSPENDED]})
            if item.kind == "catalogue":
                notify_implementers(catalogue_item=item, kind=NotificationKind.SUSPENDED,
                                    title=_("目录事项“%(n)s”已暂停") % {"n": item.name}, body=request.reason)


# --- cancellation ------------------------------------------------------------------------------

def catalogue_item_cancel(*, actor, item: CatalogueItem, reason: str) -> None:
    """注销 a catalogue item and tell every body holding an implementation item of it (MAT-2.5)."""
    require_permission(actor, "matters.change_catalogueitem")
    require_in_scope(actor, item)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写注销理由。")})
    if item.status not in (MatterStatus.PUBLISHED, MatterStatus.SUSPENDED):
        raise ValidationError(_("只有在用或暂停的事项可以注销。"))
    with transaction.atomic():
        _move(item, MatterStatus.CANCELLED, actor, "cancel", reason)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes={"status": ["", MatterStatus.CANCELLED]})
        notify_implementers(catalogue_item=item, kind=NotificationKind.CANCELLED,
                            title=_("目录事项“%(n)s”已注销，请同步处理本单位的实施清单") % {"n": item.name}, body=reason)


# --- delegation --------------------------------------------------------------------------------

def _own_level(item) -> str:
    return EXERCISE_LEVEL_OF_REGION[RegionLevel(item.level)].value


def delegable_levels(item) -> list[tuple[str, str]]:
    """The exercise levels strictly below the item's own level: the only ones that can be ticked."""
    own = _own_level(item)
    return [(level.value, level.label) for level in LOWER_LEVELS if level.value > own]


def _check_levels(item, levels: list[str]) -> list[str]:
    allowed = {value for value, _label in delegable_levels(item)}
    if not levels:
        raise ValidationError({"to_levels": _("请勾选下放至的行使层级。")})
    wrong = [level for level in levels if level not in allowed]
    if wrong:
        labels = "、".join(str(ExerciseLevel(level).label) if level in ExerciseLevel.values else level
                           for level in wrong)
        raise ValidationError({"to_levels": _("只能下放到本级以下的层级，不能下放至：%(l)s。") % {"l": labels}})
    return sorted(set(levels))


def catalogue_item_delegate(*, actor, item: CatalogueItem, levels: list[str], note: str = "") -> Delegation:
    """下放 a catalogue item to lower exercise levels: it enters their catalogue library (MAT-2.1.8, 2.4.1)."""
    require_permission(actor, "matters.change_catalogueitem")
    require_in_scope(actor, item)
    if item.status != MatterStatus.PUBLISHED:
        raise ValidationError(_("只有在用（已发布）的事项可以下放。"))
    levels = _check_levels(item, levels)
    with transaction.atomic():
        item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
        item.exercise_levels = sorted(set(item.exercise_levels) | set(levels))
        item.save(update_fields=["exercise_levels", "updated_at"])
        delegation = Delegation.objects.create(catalogue_item=item, from_level=_own_level(item), to_levels=levels,
                                               region_id=item.region_id, department=item.department, note=note,
                                               created_by=actor)
        record_transition(obj=item, from_state=item.status, to_state=item.status, actor=actor, action="delegate",
                          comment=_("下放至：%(l)s") % {"l": "、".join(str(ExerciseLevel(v).label) for v in levels)})
        notify_implementers(catalogue_item=item, kind=NotificationKind.DELEGATED,
                            title=_("目录事项“%(n)s”已下放") % {"n": item.name}, body=note)
    return delegation


def implementation_item_delegate(*, actor, item: ImplementationItem, bodies: list[Organisation],
                                 note: str = "") -> Delegation:
    """下放 an implementation item to lower bodies: each gets a copy in its list as a draft (MAT-2.2.11)."""
    require_permission(actor, "matters.change_implementationitem")
    require_in_scope(actor, item)
    if item.status != MatterStatus.PUBLISHED:
        raise ValidationError(_("只有在用（已发布）的事项可以下放。"))
    from apps.matters.services.demonstration import is_demonstration

    if is_demonstration(item):
        raise ValidationError(_("示范部门的事项不下放（MAT-7.3）。"))
    if not bodies:
        raise ValidationError({"bodies": _("请选择承接下放的下级单位。")})
    own = _own_level(item)
    for body in bodies:
        level = EXERCISE_LEVEL_OF_REGION.get(RegionLevel(body.region.level))
        if level is None or level.value <= own or not body.region_id.startswith(item.region.prefix):
            raise ValidationError({"bodies": _("“%(b)s”不是本级以下的单位，不能下放。") % {"b": body.name}})
        if ImplementationItem.objects.filter(catalogue_item=item.catalogue_item, implementing_body=body).exists():
            raise ValidationError({"bodies": _("“%(b)s”已有该事项的实施清单。") % {"b": body.name}})
    snapshot = matter_snapshot(item)
    with transaction.atomic():
        levels = set()
        for body in bodies:
            level = EXERCISE_LEVEL_OF_REGION[RegionLevel(body.region.level)].value
            levels.add(level)
            values = {name: getattr(item, name) for name in ELEMENT_FIELDS}
            values.update(region=body.region, handling_department=body)
            copy = ImplementationItem(**values, catalogue_item=item.catalogue_item, basic_code=item.basic_code,
                                      implementing_body=body, exercise_level=level, created_by=actor)
            copy.implementation_code = implementation_code_generate(item=copy)
            copy.save()
            replace_children(copy, {key: snapshot[key] for key in CHILD_SETS})
            record_transition(obj=copy, from_state="", to_state=MatterStatus.DRAFT, actor=actor, action="delegated_in",
                              comment=note)
        delegation = Delegation.objects.create(catalogue_item=item.catalogue_item, implementation_item=item,
                                               from_level=own, to_levels=sorted(levels), region_id=item.region_id,
                                               department=item.implementing_body, note=note, created_by=actor)
        delegation.to_bodies.set(bodies)
        notify(recipients=bodies, kind=NotificationKind.DELEGATED, catalogue_item=item.catalogue_item,
               title=_("上级下放事项“%(n)s”，已进入本单位实施清单，请完善后提交审核") % {"n": item.name})
    return delegation


# --- batches -----------------------------------------------------------------------------------

def _bureau(actor) -> Organisation:
    require_permission(actor, "matters.add_delegationbatch")
    own = getattr(actor, "organisation", None)
    if own is None or own.kind != OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU:
        raise PermissionDenied(_("下放批次由本级政务服务管理部门（营商局）汇总和发布。"))
    return own


def delegation_batch_aggregate(*, actor) -> DelegationBatch:
    """Collect this level's delegations not yet in a batch into the current-period list (MAT-2.4.2)."""
    bureau = _bureau(actor)
    with transaction.atomic():
        pending = list(Delegation.objects.select_for_update().filter(batch=None, region_id=bureau.region_id))
        if not pending:
            raise ValidationError(_("本期没有尚未关联批次的下放事项。"))
        batch = (DelegationBatch.objects.select_for_update()
                 .filter(region_id=bureau.region_id, status=DelegationBatch.Status.DRAFT).first())
        if batch is None:
            batch = DelegationBatch.objects.create(region_id=bureau.region_id, organisation=bureau, created_by=actor)
        Delegation.objects.filter(pk__in=[d.pk for d in pending]).update(batch=batch)
    return batch


def delegation_batch_publish(*, actor, batch: DelegationBatch, title: str, announcement: str = "") -> DelegationBatch:
    """Confirm the current-period list and publish its announcement; items read "<年>年第<n>次下放"."""
    bureau = _bureau(actor)
    if batch.region_id != bureau.region_id:
        raise PermissionDenied(_("只能发布本级的下放批次。"))
    if not title.strip():
        raise ValidationError({"title": _("请填写下放公告标题。")})
    with transaction.atomic():
        batch = DelegationBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != DelegationBatch.Status.DRAFT:
            raise ValidationError(_("该批次已发布。"))
        if not batch.delegations.exists():
            raise ValidationError(_("本期下放清单为空，不能发布。"))
        now = timezone.now()
        year = timezone.localtime(now).year
        last = DelegationBatch.objects.filter(region_id=batch.region_id, year=year).aggregate(n=Max("sequence"))["n"]
        batch.status, batch.year, batch.sequence = DelegationBatch.Status.PUBLISHED, year, (last or 0) + 1
        batch.title, batch.announcement, batch.published_at = title, announcement, now
        batch.save()
        record_transition(obj=batch, from_state=DelegationBatch.Status.DRAFT, to_state=batch.status, actor=actor,
                          action="publish", comment=title)
        provincial = _provincial_departments(batch)
        notify(recipients=provincial, kind=NotificationKind.BATCH,
               title=_("%(region)s发布%(label)s，请提出意见") % {"region": batch.region.name, "label": batch.label},
               body=title)
    return batch


def _provincial_departments(batch: DelegationBatch) -> list[Organisation]:
    """The provincial competent departments above the delegating departments (MAT-2.5 (3))."""
    ids = set()
    for path in batch.delegations.values_list("department__tree_path", flat=True):
        ids |= {int(part) for part in path.strip("/").split("/") if part}
    return list(Organisation.objects.filter(pk__in=ids, region__level=RegionLevel.PROVINCE,
                                            kind=OrganisationKind.DEPARTMENT))
