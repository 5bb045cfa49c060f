"""Guard rails for handing out power: nobody grants what they do not hold themselves.

* only system administrators grant (or take away) the `system_admin` role;
* a role may be granted or removed only if the actor holds every permission in it;
* a direct permission may be granted or removed only if the actor holds it.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.identity.models import Role, RoleCode


def is_unrestricted(actor) -> bool:
    return bool(actor.is_superuser or actor.is_system_admin)


def permission_label(permission: Permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _held(actor) -> set[str]:
    return set(actor.get_all_permissions())


def grantable_permissions(actor) -> QuerySet[Permission]:
    """Permissions `actor` may put into roles or grant directly."""
    permissions = Permission.objects.select_related("content_type").order_by(
        "content_type__app_label", "content_type__model", "codename")
    if is_unrestricted(actor):
        return permissions
    held = _held(actor)
    ids = [p.pk for p in permissions if permission_label(p) in held]
    return permissions.filter(pk__in=ids)


def grantable_roles(actor) -> QuerySet[Role]:
    """Roles `actor` may assign to (or remove from) a user."""
    roles = Role.objects.prefetch_related("permissions__content_type").order_by("code")
    if is_unrestricted(actor):
        return roles
    held = _held(actor)
    ids = [role.pk for role in roles if role.code != RoleCode.SYSTEM_ADMIN
           and all(permission_label(p) in held for p in role.permissions.all())]
    return Role.objects.filter(pk__in=ids).order_by("code")


def role_refusals(actor, changed_roles: Iterable[Role]) -> list[str]:
    """Messages for each role in `changed_roles` that `actor` may not grant or remove."""
    if is_unrestricted(actor):
        return []
    held = _held(actor)
    messages = []
    for role in changed_roles:
        if role.code == RoleCode.SYSTEM_ADMIN:
            messages.append(_("只有系统管理员可以授予或收回“%(role)s”角色。") % {"role": role.name})
            continue
        missing = sorted(permission_label(p) for p in role.permissions.select_related("content_type")
                         if permission_label(p) not in held)
        if missing:
            messages.append(_("您本人不具备角色“%(role)s”所含的权限（%(perms)s），不能授予或收回该角色。")
                            % {"role": role.name, "perms": "、".join(missing)})
    return messages


def permission_refusals(actor, changed_permissions: Iterable[Permission]) -> list[str]:
    if is_unrestricted(actor):
        return []
    held = _held(actor)
    missing = sorted(permission_label(p) for p in changed_permissions if permission_label(p) not in held)
    if not missing:
        return []
    return [_("您本人不具备以下权限，不能授予或收回：%(perms)s") % {"perms": "、".join(missing)}]
