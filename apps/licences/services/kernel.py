"""Kernel helpers used by every licences service."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.core.audit import audit_record  # noqa: F401
from apps.core.scope import can_see
from apps.core.workflow import record_transition  # noqa: F401


def require_permission(actor, permission: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def require_in_scope(actor, obj) -> None:
    if not can_see(actor, obj):
        raise PermissionDenied(_("该记录不在您的数据范围内。"))
