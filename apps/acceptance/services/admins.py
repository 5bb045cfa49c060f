"""Tiered administrators (分级权限, ACC-5.12): open an administrator account below one's own tier,
inside one's own data scope, with at most one's own capabilities; revoke it again.

The rules, checked before anything is written:

* the actor is a system administrator (super admin, tier 0) or holds an active grant with the
  `admins` capability;
* the new tier is strictly below the actor's tier, and the unit (and hall) lie inside the actor's
  data scope (kernel `can_see`);
* every capability given is one the actor holds;
* the tier follows from the unit: a hall → hall or sub-hall tier; a region-wide bureau → province,
  city or county by its region; any other organisation → department.
"""
from __future__ import annotations

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import (
    CAPABILITY_PERMISSIONS,
    AdminCapability,
    AdminGrant,
    AdminLevel,
    Hall,
)
from apps.core.models import Organisation, RegionLevel
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.validators import validate_mobile_number
from apps.identity.models import User, UserKind

SUPER_TIER = 0
_REGION_TIERS = {RegionLevel.PROVINCE: AdminLevel.PROVINCE, RegionLevel.CITY: AdminLevel.CITY}


def active_grant(user) -> AdminGrant | None:
    if not getattr(user, "pk", None):
        return None
    return AdminGrant.objects.filter(user=user, revoked_at__isnull=True).first()


def actor_tier(actor) -> tuple[int, set[str]]:
    """The actor's tier and capabilities; refuses anyone who may not open administrators."""
    if not (actor and actor.is_authenticated and actor.is_active):
        raise PermissionDenied(_("请先登录。"))
    if actor.is_superuser or getattr(actor, "is_system_admin", False):
        return SUPER_TIER, set(AdminCapability.values)
    grant = active_grant(actor)
    if grant is None or AdminCapability.ADMINS not in grant.capabilities:
        raise PermissionDenied(_("您不是可开通下级管理员的分级管理员。"))
    return grant.level, set(grant.capabilities)


def manageable_organisations(user):
    """Units the user may open administrators for: the region subtree of a region-wide bureau, the
    organisation subtree of a department (the kernel scope rules, applied to organisations themselves)."""
    units = Organisation.objects.select_related("region")
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return units
    own = getattr(user, "organisation", None)
    if own is None:
        return units.none()
    if own.is_region_wide:
        return units.filter(region__code__startswith=own.region.prefix)
    return units.filter(tree_path__startswith=own.tree_path)


def level_for(organisation: Organisation, hall: Hall | None) -> int:
    if hall is not None:
        return AdminLevel.SUB_HALL if hall.parent_hall_id else AdminLevel.HALL
    if organisation.is_region_wide:
        return _REGION_TIERS.get(organisation.region.level, AdminLevel.COUNTY)
    return AdminLevel.DEPARTMENT


def _check_target(actor, tier: int, held: set[str], *, organisation, hall, capabilities) -> tuple[int, dict]:
    errors: dict[str, list[str]] = {}
    if organisation is None:
        return 0, {"organisation": [_("请选择管理单位。")]}
    if hall is not None and hall.organisation_id != organisation.pk:
        errors["hall"] = [_("大厅管理员的管理单位必须是该大厅的管理机构。")]
    level = level_for(organisation, hall)
    if level <= tier:
        errors.setdefault("level", []).append(_("只能开通低于本级的管理员（本级：%(own)s，目标：%(target)s）。") % {
            "own": _("超级管理员") if tier == SUPER_TIER else AdminLevel(tier).label,
            "target": AdminLevel(level).label})
    inside = can_see(actor, hall) if hall is not None else \
        manageable_organisations(actor).filter(pk=organisation.pk).exists()
    if tier != SUPER_TIER and not inside:
        errors.setdefault("organisation", []).append(_("该单位或大厅不在您的管理范围内。"))
    unknown = [c for c in capabilities if c not in AdminCapability.values]
    if unknown or not capabilities:
        errors["capabilities"] = [_("请选择有效的授权范围。")]
    elif not set(capabilities) <= held:
        errors["capabilities"] = [_("不能授予本人未拥有的权限：%(c)s。") % {
            "c": "、".join(str(AdminCapability(c).label) for c in sorted(set(capabilities) - held))}]
    return level, errors


def _permissions_for(capabilities) -> list[Permission]:
    codenames = {name for c in capabilities for name in CAPABILITY_PERMISSIONS[c]}
    return list(Permission.objects.filter(content_type__app_label="acceptance", codename__in=codenames))


@transaction.atomic
def admin_account_open(*, actor, username: str, full_name: str, mobile_number: str, password: str,
                       organisation: Organisation | None, hall: Hall | None = None,
                       capabilities: list[str]) -> AdminGrant:
    """开通分级管理员: a new staff account of the unit with the grant and its permissions, audited."""
    tier, held = actor_tier(actor)
    capabilities = sorted(set(capabilities or []))
    level, errors = _check_target(actor, tier, held, organisation=organisation, hall=hall,
                                  capabilities=capabilities)
    username = (username or "").strip()
    if not username or len(username) > 150:
        errors["username"] = [_("请填写登录账号。")]
    elif User.objects.filter(username=username).exists():
        errors["username"] = [_("登录账号已存在。")]
    if not (full_name or "").strip():
        errors["full_name"] = [_("请填写姓名。")]
    try:
        validate_mobile_number(mobile_number or "")
    except ValidationError:
        errors["mobile_number"] = [_("请填写正确的手机号码。")]
    if len(password or "") < 10:
        errors["password"] = [_("初始密码至少10位。")]
    if errors:
        raise ValidationError(errors)
    user = User(username=username, full_name=full_name.strip(), kind=UserKind.STAFF, organisation=organisation,
                mobile_number=mobile_number)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"username": [_("登录账号已存在。")]}) from None
    user.user_permissions.set(_permissions_for(capabilities))
    grant = AdminGrant.objects.create(user=user, level=level, organisation=organisation, hall=hall,
                                      capabilities=capabilities, granted_by=actor)
    audit_record(actor=actor, action="create", obj=grant, changes={
        "user": [None, username], "level": [None, AdminLevel(level).label], "organisation": [None, str(organisation)],
        "hall": [None, str(hall) if hall else ""], "capabilities": [None, capabilities]})
    return grant


def _require_above(actor, grant: AdminGrant) -> None:
    tier, _held = actor_tier(actor)
    if grant.level <= tier or (tier != SUPER_TIER and not can_see(actor, grant)):
        raise PermissionDenied(_("只能管理本级以下、本人管理范围内的管理员。"))


@transaction.atomic
def admin_grant_revoke(*, actor, grant: AdminGrant, reason: str) -> AdminGrant:
    """撤销分级管理员: the grant ends and its permissions are taken back; the account stays (disabled)."""
    _require_above(actor, grant)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写撤销原因。")]})
    grant = AdminGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError(_("该管理员已撤销。"))
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    grant.user.user_permissions.remove(*_permissions_for(grant.capabilities))
    User.objects.filter(pk=grant.user_id).update(is_active=False)
    audit_record(actor=actor, action="update", obj=grant, changes={"revoked": [False, True], "reason": [None, reason]})
    return grant


@transaction.atomic
def admin_grant_change(*, actor, grant: AdminGrant, capabilities: list[str]) -> AdminGrant:
    """调整授权: a higher tier changes what a lower administrator may do (never beyond its own)."""
    _require_above(actor, grant)
    _tier, held = actor_tier(actor)
    capabilities = sorted(set(capabilities or []))
    if not capabilities or not set(capabilities) <= held or set(capabilities) - set(AdminCapability.values):
        raise ValidationError({"capabilities": [_("只能授予本人拥有的有效权限。")]})
    grant = AdminGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise ValidationError(_("该管理员已撤销。"))
    before = list(grant.capabilities)
    grant.user.user_permissions.remove(*_permissions_for(before))
    grant.user.user_permissions.add(*_permissions_for(capabilities))
    grant.capabilities = capabilities
    grant.save(update_fields=["capabilities"])
    audit_record(actor=actor, action="update", obj=grant, changes={"capabilities": [before, capabilities]})
    return grant
