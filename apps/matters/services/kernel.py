"""The kernel services matters writes through (audit, workflow history, outbox), imported in one place."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

try:  # the public facade, when the kernel ships it
    from apps.core.audit import audit_record  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the kernel's progress
    from apps.core.services.audit import audit_record  # noqa: F401

from apps.core.models import AuditAction  # noqa: F401
from apps.core.outbox import enqueue, register_peer  # noqa: F401
from apps.core.workflow import history_for, timeline_for  # noqa: F401
from apps.core.workflow import record_transition as _core_record_transition


def record_transition(*, obj, **kwargs):
    """The kernel's workflow history; a transition of a matter also retires the cached public search
    answers, and that of an implementation item rewrites (or withdraws) its stored public guide."""
    from apps.matters.models import CatalogueItem, ImplementationItem
    from apps.matters.public_cache import bump_public_generation

    if isinstance(obj, (ImplementationItem, CatalogueItem)):
        bump_public_generation()
    transition = _core_record_transition(obj=obj, **kwargs)
    if isinstance(obj, ImplementationItem):
        from apps.matters.services.public_guides import guide_document_refresh

        guide_document_refresh(obj.pk)
    return transition


def require_permission(actor, permission: str) -> None:
    """Refuse the write unless `actor` holds `permission` (Django model permission through a role)."""
    if actor is None or not actor.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def owner_kwargs(item) -> dict:
    """{"catalogue_item": item} or {"implementation_item": item}: the owner columns of child rows."""
    return {f"{item.kind}_item": item}


def require_in_scope(actor, item) -> None:
    """Writes need the item inside the actor's kernel data scope (visibility alone is not enough:
    lower departments see published catalogue items above them, reviewers see their region)."""
    from apps.core.scope import can_see

    if not can_see(actor, item):
        raise PermissionDenied(_("只能修改本部门（或下属部门）的事项。"))
