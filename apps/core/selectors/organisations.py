"""Reads of organisations and change requests, already cut to the acting user's data scope."""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from apps.core.models import ChangeStatus, Organisation, OrganisationChangeRequest
from apps.core.scope import restrict


def organisation_queryset(*, user) -> QuerySet[Organisation]:
    """Scoped organisations with everything a list row shows loaded (no N+1)."""
    return restrict(Organisation.objects.select_related("region", "parent"), user)


def organisation_list(*, user, filters: dict | None = None) -> QuerySet[Organisation]:
    from apps.core.filters.organisations import OrganisationFilterSet

    return OrganisationFilterSet(filters, queryset=organisation_queryset(user=user)).qs


def organisation_get(*, user, pk) -> Organisation:
    """One organisation the user may see; 404 (never 403) otherwise."""
    organisation = organisation_queryset(user=user).filter(pk=pk).first()
    if organisation is None:
        raise Http404("机构不存在或不在您的数据范围内。")
    return organisation


def change_request_queryset(*, user) -> QuerySet[OrganisationChangeRequest]:
    return restrict(OrganisationChangeRequest.objects.select_related(
        "target", "applicant", "applicant_organisation", "reviewer", "result_organisation"), user)


def change_request_get(*, user, pk) -> OrganisationChangeRequest:
    request = change_request_queryset(user=user).filter(pk=pk).first()
    if request is None:
        raise Http404("申请不存在或不在您的数据范围内。")
    return request


def change_requests_mine(*, user) -> QuerySet[OrganisationChangeRequest]:
    """The requests of the user's own unit (what the applicant follows)."""
    return change_request_queryset(user=user).filter(applicant_organisation_id=user.organisation_id)


def change_requests_to_review(*, user) -> QuerySet[OrganisationChangeRequest]:
    from apps.core.services.org_changes import can_review

    if not can_review(user):
        return OrganisationChangeRequest.objects.none()
    return change_request_queryset(user=user).filter(status=ChangeStatus.PENDING_REVIEW).exclude(applicant=user)


def change_request_diff(request: OrganisationChangeRequest) -> list[dict]:
    """Rows of (field, current, proposed, changed) for the detail page."""
    from apps.core.services.org_changes import FIELD_LABELS, snapshot

    current = snapshot(request.target) if request.target_id else {}
    proposed = request.proposed_data or {}
    rows = []
    for name in ("name", "short_name", "credit_code", "region_code", "parent_id", "kind"):
        old, new = current.get(name), proposed.get(name)
        if request.kind == "delete":
            new = None
        rows.append({"field": name, "label": FIELD_LABELS[name], "current": old, "proposed": new,
                     "changed": request.kind != "delete" and str(old or "") != str(new or "")})
    return rows
