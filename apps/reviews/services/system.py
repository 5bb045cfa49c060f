"""Writes of 好差评 system management (REV-10.1, 10.3, 10.5, 10.6): department profile, columns,
dictionaries and their entries, announcements. Each checks `reviews.manage_system`, validates
through the model's full_clean (Chinese messages), writes, and records an audit row."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.scope import can_see
from apps.core.services.audit import audit_record, diff_instance
from apps.reviews.models import (
    DepartmentProfile, ReviewAnnouncement, ReviewColumn, ReviewDictionary, ReviewDictionaryEntry,
)

MANAGE = "reviews.manage_system"
EDITABLE = {
    ReviewColumn: ("parent", "kind", "name", "url", "open_in_new_window", "permission", "order", "icon", "is_visible"),
    ReviewDictionary: ("name", "code", "status", "remarks"),
    ReviewDictionaryEntry: ("dictionary", "label", "value", "order", "status"),
    ReviewAnnouncement: ("title", "kind", "content", "status"),
    DepartmentProfile: ("order", "head", "phone", "email"),
}


def _check(actor) -> None:
    if not (actor.is_superuser or actor.has_perm(MANAGE)):
        raise PermissionDenied(_("您没有好差评系统管理权限。"))


@transaction.atomic
def system_record_save(*, model, data: dict, actor, instance=None):
    """Create (instance None) or update one system-management row from `data`."""
    _check(actor)
    obj = instance or model()
    before = None if instance is None else model.objects.get(pk=instance.pk)
    for name in EDITABLE[model]:
        if name in data:
            setattr(obj, name, data[name])
    if model is ReviewAnnouncement and instance is None:
        obj.created_by = actor
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action="create" if before is None else "update", obj=obj,
                 changes=diff_instance(before, obj) if before is not None else None)
    return obj


@transaction.atomic
def system_record_delete(*, obj, actor) -> None:
    _check(actor)
    audit_record(actor=actor, action="delete", obj=obj)
    obj.delete()


@transaction.atomic
def department_profile_save(*, organisation, data: dict, actor) -> DepartmentProfile:
    """REV-10.1: the department's order, head, phone and email (and status through the kernel)."""
    _check(actor)
    if not can_see(actor, organisation):
        raise PermissionDenied(_("只能维护本区划内的部门。"))
    profile, _created = DepartmentProfile.objects.select_for_update().get_or_create(organisation=organisation)
    profile = system_record_save(model=DepartmentProfile, data=data, actor=actor, instance=profile)
    if "is_enabled" in data and bool(data["is_enabled"]) != organisation.is_enabled:
        from apps.core.services.organisations import organisation_update

        organisation_update(organisation=organisation, actor=actor, is_enabled=bool(data["is_enabled"]))
    return profile
