"""A user's roles and permissions, remembered across requests.

Every portal page asks "may this user …?" and draws the menu from the user's permissions: three
queries (roles, own permissions, role permissions) on each request, for data that changes a few times
a month. They are kept in the shared cache under a generation number that every change of roles or
permissions bumps — signals on the many-to-many tables and on Role / Permission rows, right away and
again after commit (a request that read the old rows between the change and its commit cannot keep
them). A bulk write that bypasses signals (a queryset delete of through rows, raw SQL) must call
`access_changed()`. Superusers are not cached: Django gives them every permission without a lookup.
"""
from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "identity:access:generation"
PROFILE_SECONDS = 300


def access_changed(**_signal_kwargs) -> None:
    """Forget every cached access profile (connected to the role and permission signals)."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def access_profile(user) -> dict:
    """{"roles": role codes, "user": own permissions, "group": role permissions, "all": every
    permission (system admins only)} — from the cache, or three/four queries on a miss."""
    profile = user.__dict__.get("_access_profile")
    if profile is None:
        key = f"identity:access:{cache.get(GENERATION_KEY, 0)}:{user.pk}"
        profile = cache.get(key)
        if profile is None:
            profile = _compute_profile(user)
            cache.set(key, profile, PROFILE_SECONDS)
        user.__dict__["_access_profile"] = profile
    return profile


def _compute_profile(user) -> dict:
    from django.contrib.auth.models import Permission

    from apps.identity.models import RoleCode

    def labels(permissions):
        return {f"{app}.{codename}" for app, codename in
                permissions.values_list("content_type__app_label", "codename").order_by()}

    roles = set(user.roles.values_list("code", flat=True))
    profile = {"roles": roles, "user": labels(Permission.objects.filter(user=user)),
               "group": labels(Permission.objects.filter(roles__users=user))}
    if RoleCode.SYSTEM_ADMIN in roles:
        profile["all"] = labels(Permission.objects.all())
    return profile


def connect_invalidation() -> None:
    """Called once from IdentityConfig.ready()."""
    from django.contrib.auth.models import Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from apps.identity.models import Role, User

    for through in (User.roles.through, User.user_permissions.through, Role.permissions.through):
        m2m_changed.connect(access_changed, sender=through, dispatch_uid=f"identity_access_{through.__name__}")
    for model in (Role, Permission):
        for signal in (post_save, post_delete):
            signal.connect(access_changed, sender=model, dispatch_uid=f"identity_access_{model.__name__}_{signal}")
