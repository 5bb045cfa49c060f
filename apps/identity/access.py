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

from apps.core.cache import generation_changed

GENERATION_KEY = "identity:access:generation"
PROFILE_SECONDS = 300


def access_changed(**_signal_kwargs) -> None:
    """Forget every cached access profile (connected to the role and permission signals)."""
    generation_changed(GENERATION_KEY)


def access_profile(user, *parts: str) -> dict:
    """The cached parts of the user's access: "roles" (role codes), "user" (own permissions), "group"
    (role permissions), "all" (every permission; for system admins). A part not cached yet costs the
    one query it always cost and is added to the cached entry. The generation and the entry come in
    one round trip; an entry stored under an older generation counts as empty."""
    memo = user.__dict__.get("_access_profile")
    if memo is None:
        memo = user.__dict__["_access_profile"] = _cached_profile(user.pk)
    missing = [part for part in parts if part not in memo["parts"]]
    if missing:
        memo["parts"] = {**memo["parts"], **{part: _COMPUTE[part](user) for part in missing}}
        cache.set(memo["key"], {"generation": memo["generation"], "parts": memo["parts"]}, PROFILE_SECONDS)
    return memo["parts"]


def _cached_profile(user_pk) -> dict:
    key = f"identity:access:user:{user_pk}"
    found = cache.get_many([GENERATION_KEY, key])
    generation, entry = found.get(GENERATION_KEY, 0), found.get(key)
    fresh = isinstance(entry, dict) and entry.get("generation") == generation
    return {"key": key, "generation": generation, "parts": entry["parts"] if fresh else {}}


def _role_codes(user) -> set[str]:
    return set(user.roles.values_list("code", flat=True))


def _permission_labels(**lookup) -> set[str]:
    from django.contrib.auth.models import Permission

    return {f"{app}.{codename}" for app, codename in
            Permission.objects.filter(**lookup).values_list("content_type__app_label", "codename").order_by()}


_COMPUTE = {
    "roles": _role_codes,
    "user": lambda user: _permission_labels(user=user),
    "group": lambda user: _permission_labels(roles__users=user),
    "all": lambda user: _permission_labels(),
}


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
