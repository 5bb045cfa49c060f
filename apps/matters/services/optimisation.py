"""Error correction (纠错, MAT-5.3) and dynamic inspection tags (动态标签, MAT-5.4)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from apps.matters.models import (
    CORRECTION_TABS, CorrectionRequest, CorrectionStatus, MatterTag, NotificationKind, TagGrant, TaggedItem,
)
from apps.matters.services.kernel import owner_kwargs, record_transition, require_in_scope, require_permission
from apps.matters.services.notifications import notify

UPPER_PLATFORM_FIELDS = ("name", "matter_type", "legal_basis")     # 事项名称、事项类别、设定依据


def _owner(item):
    return item.department if item.kind == "catalogue" else item.implementing_body


def is_upper_platform_field(item, field: str) -> bool:
    """Synchronised elements are fixed on the upper platform (MAT-5.3.2); catalogue items synced from
    the national catalogue too."""
    return field in UPPER_PLATFORM_FIELDS and (item.kind == "implementation" or getattr(item, "is_national", False))


def handles_tag_on(actor, item) -> bool:
    """True when `actor` maintains, through a grant, a tag that is on `item` (the tag handler, MAT-5.4.3)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return TaggedItem.objects.filter(**owner_kwargs(item), tag__grants__user=actor,
                                     tag__grants__can_maintain=True).exists()


# --- error correction --------------------------------------------------------------------------

def correction_register(*, actor, item, tab: str, description: str, field: str = "") -> CorrectionRequest:
    """An inspector registers a problem on a tab; the owning department gets a to-do (MAT-5.3.1).
    A handler holding a maintainable tag on the item may start one from the tag too (MAT-5.4.4)."""
    if not handles_tag_on(actor, item):
        require_permission(actor, "matters.add_correctionrequest")
    if tab not in dict(CORRECTION_TABS):
        raise ValidationError({"tab": _("请选择问题所在页签。")})
    if not description.strip():
        raise ValidationError({"description": _("请描述发现的问题。")})
    with transaction.atomic():
        correction = CorrectionRequest.objects.create(
            **owner_kwargs(item), tab=tab, field=field, description=description,
            upper_platform=is_upper_platform_field(item, field), region_id=item.region_id, department=_owner(item),
            reported_by=actor)
        record_transition(obj=correction, from_state="", to_state=CorrectionStatus.OPEN, actor=actor,
                          action="register", comment=description)
        notify(recipients=[_owner(item)], kind=NotificationKind.CORRECTION,
               title=_("事项“%(n)s”有待处理的纠错问题") % {"n": item.name}, body=description,
               url=item.get_absolute_url(), catalogue_item=item if item.kind == "catalogue" else item.catalogue_item)
    return correction


def correction_report(*, actor, correction: CorrectionRequest, result: str) -> None:
    """The owning department reports what it did; the inspector is asked to re-check (MAT-5.3.2)."""
    require_in_scope(actor, correction.matter)
    if not result.strip():
        raise ValidationError({"result": _("请填写处理结果。")})
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if locked.status != CorrectionStatus.OPEN:
            raise ValidationError(_("该纠错问题不在待处理状态。"))
        locked.status, locked.result = CorrectionStatus.FIXED, result
        locked.save(update_fields=["status", "result", "updated_at"])
        record_transition(obj=locked, from_state=CorrectionStatus.OPEN, to_state=CorrectionStatus.FIXED, actor=actor,
                          action="report", comment=result)
    correction.refresh_from_db()


def correction_recheck(*, actor, correction: CorrectionRequest, passed: bool, comment: str = "") -> None:
    """The inspector who registered it re-checks: closed, or back to the department."""
    if actor.pk != correction.reported_by_id:
        raise PermissionDenied(_("由登记该问题的人员复核。"))
    if not passed and not comment.strip():
        raise ValidationError({"comment": _("复核不通过时请说明原因。")})
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
        if locked.status != CorrectionStatus.FIXED:
            raise ValidationError(_("该纠错问题尚未处理，不能复核。"))
        locked.status = CorrectionStatus.CLOSED if passed else CorrectionStatus.OPEN
        locked.save(update_fields=["status", "updated_at"])
        record_transition(obj=locked, from_state=CorrectionStatus.FIXED, to_state=locked.status, actor=actor,
                          action="recheck_pass" if passed else "recheck_fail", comment=comment)
    correction.refresh_from_db()


# --- tags --------------------------------------------------------------------------------------

def _admin(user) -> bool:
    return bool(getattr(user, "is_system_admin", False))


def tag_create(*, actor, name: str, description: str = "", reserved: bool = False) -> MatterTag:
    """Reserved tags by the system administrator; custom tags by any staff user (MAT-5.4.1)."""
    require_permission(actor, "matters.add_mattertag")
    if reserved and not _admin(actor):
        raise PermissionDenied(_("只有系统管理员可以设置系统预留标签。"))
    if not name.strip():
        raise ValidationError({"name": _("请填写标签名称。")})
    return MatterTag.objects.create(name=name.strip(), description=description, is_reserved=reserved,
                                    created_by=actor)


def tag_delete(*, actor, tag: MatterTag) -> None:
    """Own custom tags only; reserved tags only by the system administrator (MAT-5.4.1)."""
    if tag.is_reserved and not _admin(actor):
        raise PermissionDenied(_("系统预留标签只能由系统管理员删除。"))
    if not tag.is_reserved and tag.created_by_id != actor.pk and not _admin(actor):
        raise PermissionDenied(_("只能删除自己创建的标签，他人授权给您的标签不能删除。"))
    tag.delete()


def tag_grant(*, actor, tag: MatterTag, user, can_maintain: bool = True) -> TagGrant:
    """The creator (or the administrator) makes a tag visible to another user (MAT-5.4.2)."""
    if tag.created_by_id != actor.pk and not _admin(actor):
        raise PermissionDenied(_("只有标签创建人可以授权。"))
    if user.pk == tag.created_by_id:
        raise ValidationError(_("创建人默认可见，无需授权。"))
    grant, _created = TagGrant.objects.update_or_create(tag=tag, user=user, defaults={
        "can_maintain": can_maintain, "granted_by": actor})
    return grant


def visible_tags(*, user):
    """Tags the user created or was granted; the administrator sees all (MAT-5.4.2)."""
    if _admin(user):
        return MatterTag.objects.all()
    return MatterTag.objects.filter(Q(created_by=user) | Q(grants__user=user)).distinct()


def can_maintain(user, tag: MatterTag) -> bool:
    return (tag.created_by_id == user.pk or _admin(user)
            or TagGrant.objects.filter(tag=tag, user=user, can_maintain=True).exists())


def tag_apply(*, actor, tag: MatterTag, items: list) -> int:
    """Put `tag` on items (creator, administrator or maintaining grantee); returns how many were new."""
    if not can_maintain(actor, tag):
        raise PermissionDenied(_("您没有维护该标签的权限。"))
    created = 0
    for item in items:
        try:
            with transaction.atomic():
                TaggedItem.objects.create(tag=tag, department=_owner(item), **owner_kwargs(item))
                created += 1
        except IntegrityError:
            continue
    return created


def tag_mark(*, actor, tagged: TaggedItem, done: bool) -> None:
    """The handler reports the item's check against the tag: 已完成 / 未完成 (MAT-5.4.3)."""
    if not can_maintain(actor, tagged.tag):
        raise PermissionDenied(_("该标签对您不可维护。"))
    tagged.is_done, tagged.updated_by = done, actor
    tagged.save(update_fields=["is_done", "updated_by", "updated_at"])


def tag_completion(*, tag: MatterTag) -> list[dict]:
    """Leader view (MAT-5.4.5): per department, tagged items, completed items and the percentage."""
    rows = (TaggedItem.objects.filter(tag=tag).order_by().values("department_id", "department__name")
            .annotate(total=Count("pk"), done=Count("pk", filter=Q(is_done=True))).order_by("department__name"))
    return [{"department": row["department__name"], "total": row["total"], "done": row["done"],
             "percent": round(100 * row["done"] / row["total"]) if row["total"] else 0} for row in rows]


def item_tags(*, user, item) -> dict[str, list[TaggedItem]]:
    """The item's tags visible to the user, split into maintainable and read-only (MAT-5.4.3)."""
    rows = TaggedItem.objects.filter(**owner_kwargs(item), tag__in=visible_tags(user=user)).select_related("tag")
    split = {"maintainable": [], "readonly": []}
    for row in rows:
        split["maintainable" if can_maintain(user, row.tag) else "readonly"].append(row)
    return split
