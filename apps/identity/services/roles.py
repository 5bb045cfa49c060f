"""Role management (角色): named permission sets, chosen per app (PORTAL-9.1)."""
from __future__ import annotations

import re

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.identity.models import Role, RoleCode
from apps.identity.services.grants import is_unrestricted, permission_refusals
from apps.identity.services.users import MISSING, _resolve, require_permission

_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


def _clean(data: dict, *, role: Role | None, actor) -> tuple[dict, list[Permission], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    values = {}
    if role is None or "code" in data:
        code = (data.get("code") or "").strip()
        if not _CODE_RE.match(code):
            errors["code"] = [_("角色编码须为 2–64 位小写字母、数字或下划线，并以字母开头。")]
        elif Role.objects.filter(code=code).exclude(pk=getattr(role, "pk", None)).exists():
            errors["code"] = [_("角色编码“%(code)s”已存在。") % {"code": code}]
        values["code"] = code
    if role is None or "name" in data:
        name = (data.get("name") or "").strip()
        if not name:
            errors["name"] = [_("请填写角色名称。")]
        elif len(name) > 64:
            errors["name"] = [_("角色名称不能超过 64 个字。")]
        values["name"] = name
    if "description" in data:
        values["description"] = (data.get("description") or "").strip()
    permissions = [_resolve(Permission, p) for p in data.get("permissions") or []]
    if MISSING in permissions:
        errors["permissions"] = [_("所选权限不存在。")]
        permissions = []
    before = set(role.permissions.all()) if role else set()
    refusals = permission_refusals(actor, before.symmetric_difference(permissions)) if "permissions" in data else []
    if refusals:
        errors["permissions"] = refusals
    return values, permissions, errors


@transaction.atomic
def role_create(*, data: dict, actor) -> Role:
    require_permission(actor, "identity.add_role")
    values, permissions, errors = _clean(data, role=None, actor=actor)
    if values.get("code") == RoleCode.SYSTEM_ADMIN and not is_unrestricted(actor):
        errors.setdefault("code", []).append(_("只有系统管理员可以创建系统管理员角色。"))
    if errors:
        raise ValidationError(errors)
    role = Role.objects.create(**values)
    role.permissions.set(permissions)
    return role


@transaction.atomic
def role_update(*, role: Role, data: dict, actor) -> Role:
    require_permission(actor, "identity.change_role")
    if role.code == RoleCode.SYSTEM_ADMIN and not is_unrestricted(actor):
        raise PermissionDenied(_("只有系统管理员可以修改系统管理员角色。"))
    values, permissions, errors = _clean(data, role=role, actor=actor)
    if values.get("code") == RoleCode.SYSTEM_ADMIN and role.code != RoleCode.SYSTEM_ADMIN:
        errors.setdefault("code", []).append(_("角色编码“system_admin”为保留编码。"))
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(role, field, value)
    role.save()
    if "permissions" in data:
        role.permissions.set(permissions)
    return role
