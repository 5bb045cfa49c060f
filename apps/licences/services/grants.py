"""Seal authorisation (印章授权, LIC-9.14) by sealing user or by system role, and connected business
systems with signing rules (LIC-9.1, 9.8) for automatic server-side signing (LIC-9.12)."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from apps.core.crypto import keyed_digest

from ..models import BusinessSystem, Seal, SealGrant, SealStatus
from .kernel import audit_record, require_in_scope, require_permission


def seal_granted(user, seal: Seal) -> bool:
    """The user may sign with the seal: a grant to the user or to one of their roles."""
    if user is None or not user.is_authenticated:
        return False
    return SealGrant.objects.filter(Q(user=user) | Q(role__in=user.roles.all()), seal=seal).exists()


@transaction.atomic
def seal_grant(*, actor, seal: Seal, user=None, role=None) -> SealGrant:
    """Authorise one user or one role to use a produced seal."""
    require_permission(actor, "licences.add_sealgrant")
    require_in_scope(actor, seal)
    if (user is None) == (role is None):
        raise ValidationError(_("请选择授权的盖章用户或系统角色（二选一）。"))
    if seal.status in (SealStatus.REQUESTED, SealStatus.IMPRESSION_APPROVED, SealStatus.REJECTED):
        raise ValidationError(_("印章尚未制作，不能授权。"))
    if user is not None and not (user.is_staff_user and user.organisation_id == seal.organisation_id):
        raise ValidationError(_("只能授权给用章单位的工作人员。"))
    try:
        with transaction.atomic():
            grant = SealGrant.objects.create(seal=seal, user=user, role=role, granted_by=actor)
    except IntegrityError as exc:
        raise ValidationError(_("已经授权过。")) from exc
    audit_record(actor=actor, action="create", obj=grant,
                 changes={"grant": [None, f"user:{user.pk}" if user else f"role:{role.code}"]})
    return grant


@transaction.atomic
def seal_grant_revoke(*, actor, grant: SealGrant) -> None:
    require_permission(actor, "licences.delete_sealgrant")
    require_in_scope(actor, grant)
    audit_record(actor=actor, action="delete", obj=grant,
                 changes={"grant": [f"user:{grant.user_id}" if grant.user_id else f"role:{grant.role_id}", None]})
    grant.delete()


@transaction.atomic
def business_system_register(*, actor, code: str, name: str, organisation) -> tuple[BusinessSystem, str]:
    """Register a business system (not yet connected); returns it and its token, shown once."""
    require_permission(actor, "licences.add_businesssystem")
    require_in_scope(actor, organisation)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ValidationError(_("请填写系统编码和名称。"))
    if BusinessSystem.objects.filter(code=code).exists():
        raise ValidationError({"code": _("系统编码已存在。")})
    token = secrets.token_urlsafe(32)
    system = BusinessSystem.objects.create(code=code, name=name, organisation=organisation,
                                           token_digest=keyed_digest(token))
    audit_record(actor=actor, action="create", obj=system, changes={"code": [None, code]})
    return system, token


@transaction.atomic
def business_system_connect(*, actor, system: BusinessSystem, connected: bool) -> BusinessSystem:
    require_permission(actor, "licences.change_businesssystem")
    system = BusinessSystem.objects.select_for_update().get(pk=system.pk)
    require_in_scope(actor, system)
    before, system.is_connected = system.is_connected, connected
    system.save(update_fields=["is_connected"])
    audit_record(actor=actor, action="update", obj=system, changes={"is_connected": [before, connected]})
    return system


def business_system_for_token(token: str) -> BusinessSystem:
    """The connected system presenting this token; refuses unknown or unconnected systems (LIC-9.1)."""
    system = BusinessSystem.objects.filter(token_digest=keyed_digest(token or "")).first() if token else None
    if system is None:
        raise PermissionDenied(_("业务系统未登记，不能使用电子印章。"))
    if not system.is_connected:
        raise PermissionDenied(_("业务系统“%(s)s”尚未接入，不能使用电子印章。") % {"s": system.name})
    return system
