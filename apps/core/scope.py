"""Data scope (分级权限): one mechanism that cuts any queryset down to what a user may see.

A model opts in by declaring, as class attributes, which of its fields carry scope:

    scope_region_field = "region"              # FK to core.Region (its column holds the code)
    scope_organisation_field = "organisation"  # FK to core.Organisation
    scope_owner_field = "applicant"            # FK to the User who owns a public record

and by using `ScopedQuerySet` (or calling `restrict(queryset, user)` directly). The rules:

* superusers and system administrators see everything;
* staff of a region-wide organisation (business environment bureau, people's government)
  see every record inside their organisation's region subtree: the province sees all,
  a city bureau its city, a county bureau its county;
* staff of any other organisation (a department) see the records of their organisation
  and the organisations below it;
* citizens and enterprises see only the records they own;
* anybody else sees nothing.

Every list, detail, export and API of every app goes through here, so the portal, the API
and the exports cannot disagree about who sees what.
"""
from __future__ import annotations

from django.db import models
from django.db.models import Q


class ScopeNotDeclared(TypeError):
    """The model did not say which field carries its scope."""


def _field(model, name: str) -> str | None:
    return getattr(model, name, None)


def scope_filter(model, user) -> Q | None:
    """The Q that limits `model` to `user`'s data scope; None means "no limit"."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return None
    if getattr(user, "is_staff_user", False):
        return _staff_filter(model, user)
    return _owner_filter(model, user)


def _staff_filter(model, user) -> Q:
    organisation = user.organisation
    if organisation is None:
        return Q(pk__in=[])
    region_field = _field(model, "scope_region_field")
    organisation_field = _field(model, "scope_organisation_field")
    if organisation.is_region_wide:
        if region_field:
            return Q(**{f"{region_field}__code__startswith": organisation.region.prefix})
        if organisation_field:
            return Q(**{f"{organisation_field}__region__code__startswith": organisation.region.prefix})
    elif organisation_field:
        return Q(**{f"{organisation_field}__tree_path__startswith": organisation.tree_path})
    elif region_field:
        # A department's records with no organisation column: its own region only, not below.
        return Q(**{f"{region_field}_id": organisation.region_id})
    if not (region_field or organisation_field):
        raise ScopeNotDeclared(f"{model.__name__} declares no scope_region_field or scope_organisation_field")
    return Q(pk__in=[])


def _owner_filter(model, user) -> Q:
    owner_field = _field(model, "scope_owner_field")
    if not owner_field:
        return Q(pk__in=[])
    return Q(**{owner_field: user})


def restrict(queryset: models.QuerySet, user) -> models.QuerySet:
    condition = scope_filter(queryset.model, user)
    return queryset if condition is None else queryset.filter(condition)


def can_see(user, instance: models.Model) -> bool:
    """Whether a single object is inside the user's scope (one indexed query)."""
    return restrict(type(instance)._default_manager.filter(pk=instance.pk), user).exists()


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user) -> "ScopedQuerySet":
        return restrict(self, user)
