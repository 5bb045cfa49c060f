"""Helpers every mobile service uses: permission and ownership checks and the interface operation log."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.scope import can_see
from apps.mobile.models import InterfaceLog


def require(user, perm: str) -> None:
    if user is None or not user.is_authenticated or not user.has_perm(perm):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def require_own(user, organisation_id: int) -> None:
    """Unit staff act only on their own organisation's records (administrators on any)."""
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return
    if getattr(user, "organisation_id", None) != organisation_id:
        raise PermissionDenied(_("只能维护本单位的数据。"))


def require_visible(user, obj) -> None:
    if not can_see(user, obj):
        raise PermissionDenied(_("该记录不在您的数据范围内。"))


def log(*, module: str, action: str, actor, resource=None, app=None, detail: str = "", obj=None,
        audit_action: str = "update") -> InterfaceLog:
    """One interface operation log row (APP-3.9) and the matching audit record."""
    organisation_id = (resource.organisation_id if resource is not None else
                       app.organisation_id if app is not None else getattr(actor, "organisation_id", None))
    entry = InterfaceLog.objects.create(
        module=module, action=action[:40], resource=resource, app=app, organisation_id=organisation_id,
        category_id=resource.category_id if resource is not None else None,
        operator=actor if getattr(actor, "pk", None) else None,
        operator_name=(getattr(actor, "full_name", "") or getattr(actor, "username", "") or "系统")[:64],
        detail=detail[:500])
    audit_record(actor=actor if getattr(actor, "pk", None) else None, action=audit_action,
                 obj=obj or resource or app, detail=f"{action}：{detail}"[:500])
    return entry
