"""Every non-trivial read of identity, already cut to the acting user's data scope."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.identity.filters import AccessRequestFilterSet, UserFilterSet
from apps.identity.models import (
    REVIEW_ACCESS_REQUEST_PERMISSION,
    AccessRequestStatus,
    SystemAccessRequest,
    User,
)


def user_queryset(*, user) -> QuerySet[User]:
    """Users `user` may manage, with everything a list row shows loaded up front."""
    base = (User.objects.filter(deleted_at__isnull=True).select_related("organisation__region")
            .prefetch_related("roles").order_by("username"))
    return restrict(base, user)


def user_list(*, user, filters: dict | None = None, request=None) -> QuerySet[User]:
    filterset = UserFilterSet(filters, queryset=user_queryset(user=user), request=request)
    return filterset.qs if filterset.is_valid() else User.objects.none()


def user_get(*, user, pk) -> User:
    """One user inside `user`'s scope, or 404 (never 403: out-of-scope users do not exist)."""
    try:
        return user_queryset(user=user).get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise Http404(_("用户不存在或不在您的管理范围内。")) from None


@dataclass
class TreeRegion:
    code: str
    name: str
    level: int
    organisations: list[tuple[int, str]] = field(default_factory=list)


def organisation_tree(*, user) -> list[TreeRegion]:
    """The left-hand tree of PORTAL-9.2: organisations in scope, grouped under their regions (one query)."""
    rows = restrict(Organisation.objects.filter(is_enabled=True), user).order_by("region_id", "name").values_list(
        "id", "name", "region_id", "region__name", "region__level")
    groups: dict[str, TreeRegion] = {}
    for pk, name, code, region_name, level in rows:
        groups.setdefault(code, TreeRegion(code, region_name, level)).organisations.append((pk, name))
    return list(groups.values())


def access_request_queryset(*, user) -> QuerySet[SystemAccessRequest]:
    """Reviewers see the requests in their scope; everybody sees their own."""
    base = SystemAccessRequest.objects.select_related("applicant__organisation", "reviewer")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if user.has_perm(REVIEW_ACCESS_REQUEST_PERMISSION):
        return restrict(base, user) | base.filter(applicant=user)
    return base.filter(applicant=user)


def access_request_list(*, user, filters: dict | None = None) -> QuerySet[SystemAccessRequest]:
    filterset = AccessRequestFilterSet(filters, queryset=access_request_queryset(user=user))
    return filterset.qs if filterset.is_valid() else SystemAccessRequest.objects.none()


def access_request_get(*, user, pk) -> SystemAccessRequest:
    try:
        return access_request_queryset(user=user).get(pk=pk)
    except (SystemAccessRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(_("申请不存在或不在您的管理范围内。")) from None


def access_requests_to_review(*, user, limit: int = 50) -> list[SystemAccessRequest]:
    """Pending requests `user` may decide (not their own): the inbox of PORTAL-9.3."""
    if not (getattr(user, "is_authenticated", False) and user.has_perm(REVIEW_ACCESS_REQUEST_PERMISSION)):
        return []
    pending = SystemAccessRequest.objects.pending().exclude(applicant=user).select_related("applicant")
    return list(restrict(pending, user).order_by("created_at")[:limit])


def granted_systems(*, user) -> set[str]:
    """The systems `user` may use: those with an approved request."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(SystemAccessRequest.objects.filter(applicant=user, status=AccessRequestStatus.APPROVED)
               .values_list("system", flat=True))


__all__ = ["access_request_get", "access_request_list", "access_request_queryset",
           "access_requests_to_review", "granted_systems", "organisation_tree", "user_get", "user_list",
           "user_queryset"]


# --- agents (IDN-8.x) ----------------------------------------------------------------------


def agent_active_for(*, agent):
    """Active, unexpired authorisations the natural person holds (for claims and the switcher)."""
    from apps.identity.models import AgentAuthorisation

    return AgentAuthorisation.objects.active_now().filter(agent=agent).select_related("legal_person")


def agent_authorisations_given(*, user):
    from apps.identity.models import AgentAuthorisation

    return AgentAuthorisation.objects.filter(legal_person=user).select_related("agent")


def agent_authorisations_received(*, user):
    from apps.identity.models import AgentAuthorisation

    return AgentAuthorisation.objects.filter(agent=user).select_related("legal_person")
