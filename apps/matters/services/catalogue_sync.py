"""Upper-level catalogue sync (同步上级事项目录, MAT-2.1.2 (2)): pull the national catalogue rows of a
competent department over the national-platform adapter and bring them into the catalogue library.
New codes become published national catalogue items (version 1); a revised row writes the next
version (never overwrites) and tells every implementer (MAT-2.5). Invalid rows are reported, not stored."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import Organisation
from apps.matters.models import (
    EXERCISE_LEVEL_OF_REGION, CatalogueItem, ExerciseLevel, MatterStatus, MatterType, MatterVersion, NotificationKind,
)
from apps.matters.services.coding import validate_code
from apps.matters.services.kernel import AuditAction, audit_record, record_transition, require_permission
from apps.matters.services.notifications import notify_implementers, sync_catalogue_elements
from apps.matters.services.versions import matter_snapshot

SYNCED_FIELDS = ("name", "matter_type", "legal_basis", "exercise_levels")


def _clean_row(row: dict) -> dict:
    errors = []
    if not str(row.get("name", "")).strip():
        errors.append(_("缺少事项名称"))
    if row.get("matter_type") not in MatterType.values:
        errors.append(_("事项类型“%(t)s”无效") % {"t": row.get("matter_type")})
    levels = row.get("exercise_levels") or []
    if not isinstance(levels, list) or set(levels) - set(ExerciseLevel.values):
        errors.append(_("行使层级无效"))
    if errors:
        raise ValidationError("；".join(errors))
    return {"name": row["name"].strip(), "matter_type": row["matter_type"], "legal_basis": row.get("legal_basis", ""),
            "exercise_levels": sorted(levels)}


def catalogue_sync_upper(*, actor, department: Organisation, platform=None) -> dict:
    """Sync the upper catalogue of `department` (matched by its credit code). Returns counts and the
    per-row errors. Each row is its own transaction: a bad row does not stop the good ones."""
    require_permission(actor, "matters.sync_catalogueitem")
    if getattr(actor, "organisation_id", None) != department.pk and not getattr(actor, "is_system_admin", False):
        raise PermissionDenied(_("只能同步本部门的上级事项目录。"))
    if platform is None:
        from apps.matters.adapters.national_platform.client import get_platform

        platform = get_platform()
    rows = platform.catalogue(department_credit_code=department.credit_code)
    result = {"created": 0, "updated": 0, "unchanged": 0, "errors": []}
    for row in rows:
        code = str(row.get("basic_code", ""))
        try:
            values = _clean_row(row)
            with transaction.atomic():
                outcome = _apply_row(actor, department, code, values)
            result[outcome] += 1
        except ValidationError as error:
            result["errors"].append({"basic_code": code, "message": "；".join(error.messages)})
    return result


def _apply_row(actor, department: Organisation, code: str, values: dict) -> str:
    item = CatalogueItem.objects.select_for_update().filter(basic_code=code).first()
    if item is None:
        item = CatalogueItem(basic_code=code, department=department, handling_department=department,
                             region=department.region, is_national=True, status=MatterStatus.PUBLISHED, version=1,
                             published_at=timezone.now(), created_by=actor, **values)
        if not item.exercise_levels:
            item.exercise_levels = [EXERCISE_LEVEL_OF_REGION[department.region.level].value]
        validate_code(item=item, code=code)
        item.save()
        MatterVersion.objects.create(catalogue_item=item, number=1, snapshot=matter_snapshot(item),
                                     summary=_("同步上级事项目录"), created_by=actor)
        record_transition(obj=item, from_state="", to_state=MatterStatus.PUBLISHED, actor=actor, action="sync")
        audit_record(actor=actor, action=AuditAction.CREATE, obj=item, changes={"basic_code": [None, code]})
        return "created"
    if item.department_id != department.pk:
        raise ValidationError(_("基本编码 %(c)s 已属于其他部门的事项。") % {"c": code})
    changed = {name: [getattr(item, name), value] for name, value in values.items() if getattr(item, name) != value}
    if not changed:
        return "unchanged"
    for name, (_old, value) in changed.items():
        setattr(item, name, value)
    item.version += 1
    item.save()
    MatterVersion.objects.create(catalogue_item=item, number=item.version, snapshot=matter_snapshot(item),
                                 summary=_("同步上级事项目录：") + "、".join(changed), created_by=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes=changed)
    sync_catalogue_elements(catalogue_item=item, actor=actor)
    notify_implementers(catalogue_item=item, kind=NotificationKind.CHANGED,
                        title=_("上级目录事项“%(n)s”已更新为 V%(v)s") % {"n": item.name, "v": item.version})
    return "updated"
