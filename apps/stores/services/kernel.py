"""Shared checks of the stores services: staff permission and organisation scope."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from apps.core.scope import can_see


def require_staff_permission(actor, permission: str, message: str) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if not (getattr(actor, "is_staff_user", False) or actor.is_superuser) or not actor.has_perm(permission):
        raise PermissionDenied(message)


def require_in_scope(actor, obj, message: str) -> None:
    if not can_see(actor, obj):
        raise PermissionDenied(message)


def value_of(value):
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
