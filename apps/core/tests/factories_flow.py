"""Factories and helpers for the calendar / workflow / outbox / SMS tests."""
from __future__ import annotations

from django.contrib.auth.models import Permission

from apps.identity.tests.factories import RoleFactory, StaffFactory


def grant(user, *perms: str):
    """Give `user` a role holding the permissions ("core.change_calendarday", ...)."""
    role = RoleFactory(code=f"test-{user.pk}-{len(perms)}-{abs(hash(perms)) % 10_000}")
    for perm in perms:
        app_label, codename = perm.split(".")
        role.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.roles.add(role)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache", "_access_profile"):
        user.__dict__.pop(cache, None)
    return user


def staff_with(*perms: str, **kwargs):
    return grant(StaffFactory(**kwargs), *perms)
