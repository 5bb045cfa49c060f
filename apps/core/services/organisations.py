"""Writes to the organisation table: create and update, with USCC validation and tree paths."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from apps.core.models import Organisation, OrganisationKind, Region
from apps.core.scope import can_see
from apps.core.validators import normalise_credit_code, validate_credit_code

EDITABLE_FIELDS = ("name", "short_name", "credit_code", "region", "parent", "kind", "is_enabled")


def _check_actor(actor, perm: str, region: Region | None) -> None:
    if actor is None:
        return
    if not actor.has_perm(perm):
        raise PermissionDenied(_("您没有维护机构信息的权限。"))
    if region is not None and not _region_in_scope(actor, region):
        raise PermissionDenied(_("该区划不在您的数据范围内。"))


def _region_in_scope(actor, region: Region) -> bool:
    if actor.is_superuser or getattr(actor, "is_system_admin", False):
        return True
    organisation = getattr(actor, "organisation", None)
    return bool(organisation and organisation.is_region_wide and region.code.startswith(organisation.region.prefix))


def validate_organisation_data(*, name: str, credit_code: str, region: Region | None, parent: Organisation | None,
                               kind: str, instance: Organisation | None = None) -> dict[str, list[str]]:
    """Field errors for proposed organisation data (empty dict = valid). Shared with cleansing."""
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("机构名称不能为空。")]
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    else:
        duplicate = Organisation.objects.filter(credit_code=credit_code)
        if instance is not None:
            duplicate = duplicate.exclude(pk=instance.pk)
        if duplicate.exists():
            errors["credit_code"] = [_("统一社会信用代码 %(code)s 已被机构“%(name)s”使用。")
                                     % {"code": credit_code, "name": duplicate.first().name}]
    if region is None:
        errors["region"] = [_("请选择所属区划。")]
    if kind not in OrganisationKind.values:
        errors["kind"] = [_("机构类型无效：%(kind)s") % {"kind": kind}]
    if parent is not None:
        errors.update(_parent_errors(parent, region, instance))
    return errors


def _parent_errors(parent: Organisation, region: Region | None, instance: Organisation | None) -> dict:
    if instance is not None and instance.pk and (parent.pk == instance.pk
                                                 or parent.tree_path.startswith(instance.tree_path)):
        return {"parent": [_("上级机构不能是本机构或其下级机构。")]}
    if region is not None and not region.code.startswith(parent.region.prefix):
        return {"parent": [_("上级机构“%(parent)s”的区划不包含所选区划。") % {"parent": parent.name}]}
    return {}


@transaction.atomic
def organisation_create(*, name: str, credit_code: str, region: Region, kind: str = OrganisationKind.DEPARTMENT,
                        short_name: str = "", parent: Organisation | None = None, is_enabled: bool = True,
                        actor=None) -> Organisation:
    """Create an organisation. Invalid or duplicate USCC, a missing region or a parent outside
    the region is refused with field errors; nothing is written."""
    _check_actor(actor, "core.add_organisation", region)
    credit_code = normalise_credit_code(credit_code)
    errors = validate_organisation_data(name=name, credit_code=credit_code, region=region, parent=parent, kind=kind)
    if errors:
        raise ValidationError(errors)
    organisation = Organisation(name=name.strip(), short_name=(short_name or "").strip(), credit_code=credit_code,
                                region=region, parent=parent, kind=kind, is_enabled=is_enabled)
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor=None, **changes) -> Organisation:
    """Change some of EDITABLE_FIELDS. Moving an organisation under another parent rewrites the
    tree_path of the organisation and of all its descendants in one statement."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: [_("该字段不可修改。")] for field in unknown})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _check_actor(actor, "core.change_organisation", organisation.region)
    if actor is not None and not can_see(actor, organisation):
        raise PermissionDenied(_("该机构不在您的数据范围内。"))
    if "credit_code" in changes:
        changes["credit_code"] = normalise_credit_code(changes["credit_code"])
    merged = {field: changes.get(field, getattr(organisation, field)) for field in EDITABLE_FIELDS}
    if "region" in changes:
        _check_actor(actor, "core.change_organisation", merged["region"])
    errors = validate_organisation_data(name=merged["name"], credit_code=merged["credit_code"],
                                        region=merged["region"], parent=merged["parent"], kind=merged["kind"],
                                        instance=organisation)
    if errors:
        raise ValidationError(errors)
    old_path = organisation.tree_path
    for field, value in changes.items():
        setattr(organisation, field, value.strip() if isinstance(value, str) and field != "kind" else value)
    organisation.save()
    if organisation.tree_path != old_path:
        _rewrite_descendant_paths(old_path, organisation.tree_path)
    return organisation


def _rewrite_descendant_paths(old_path: str, new_path: str) -> int:
    """'/1/5/9/' → '/2/5/9/' for every descendant of the moved organisation: one UPDATE."""
    return (Organisation.objects.filter(tree_path__startswith=old_path).exclude(tree_path=new_path)
            .update(tree_path=Concat(Value(new_path), Substr(F("tree_path"), len(old_path) + 1))))
