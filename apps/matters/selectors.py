"""Reads of the matters app, already scoped to the acting user (apps.core.scope.restrict)."""
from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from apps.core.models import OrganisationKind
from apps.core.models.regions import parent_code_of
from apps.core.navigation import InboxItem
from apps.core.scope import restrict
from apps.core.workflow import timeline_for
from apps.matters.models import (
    ApplicationMaterial, CatalogueItem, ChangeRequest, ChangeRequestStatus, ImplementationItem, MatterStatus,
    MatterVersion, ProcessStep,
)

ITEM_RELATED = ("region", "handling_department")
REVIEWING_KINDS = (OrganisationKind.ESTABLISHMENT_OFFICE, OrganisationKind.LEGAL_AFFAIRS_OFFICE)


def _ancestor_codes(code: str) -> list[str]:
    codes = []
    while code:
        codes.append(code)
        code = parent_code_of(code)
    return codes


def _matter_scope(queryset: QuerySet, user, *, catalogue: bool) -> QuerySet:
    """The kernel's data scope, widened in two matters-specific ways:

    * 编办 and 法制办 review every matter of their region subtree, so they see it;
    * published catalogue items of the user's own region and the regions above are visible to
      every department below, which claims them into its implementation list (MAT-2.2).
    """
    scoped = restrict(queryset, user)
    organisation = getattr(user, "organisation", None)
    if organisation is None or not getattr(user, "is_staff_user", False) or user.is_superuser:
        return scoped
    extra = Q(pk__in=[])
    if organisation.kind in REVIEWING_KINDS:
        extra |= Q(region__code__startswith=organisation.region.prefix)
    if catalogue:
        extra |= Q(status=MatterStatus.PUBLISHED, region_id__in=_ancestor_codes(organisation.region_id))
    return queryset.filter(Q(pk__in=scoped.values("pk")) | extra)


def catalogue_item_list(*, user) -> QuerySet[CatalogueItem]:
    queryset = CatalogueItem.objects.select_related(*ITEM_RELATED, "department", "parent")
    return _matter_scope(queryset, user, catalogue=True)


def implementation_list(*, user) -> QuerySet[ImplementationItem]:
    queryset = ImplementationItem.objects.select_related(*ITEM_RELATED, "implementing_body", "implementing_agency")
    return _matter_scope(queryset, user, catalogue=False)


def can_edit(user, item) -> bool:
    """Edits (change, submit, correct) need the item inside the kernel scope, not just visibility."""
    return restrict(type(item).objects.filter(pk=item.pk), user).exists()


def _children(queryset):
    return queryset.prefetch_related("situations", "materials", "steps", "fees")


def access_catalogue_item(user, pk) -> CatalogueItem:
    """One catalogue item in the user's scope, or 404 (never 403)."""
    item = _children(catalogue_item_list(user=user)).filter(pk=pk).first()
    if item is None:
        raise Http404(_("事项不存在或不在您的数据范围内。"))
    return item


def access_implementation_item(user, pk) -> ImplementationItem:
    item = _children(implementation_list(user=user)).filter(pk=pk).first()
    if item is None:
        raise Http404(_("事项不存在或不在您的数据范围内。"))
    return item


def access_matter(user, kind: str, pk):
    if kind == "catalogue":
        return access_catalogue_item(user, pk)
    if kind == "implementation":
        return access_implementation_item(user, pk)
    raise Http404


def versions_of(item) -> QuerySet[MatterVersion]:
    return MatterVersion.objects.filter(**{f"{item.kind}_item": item}).select_related("created_by")


def matter_timeline(item) -> list:
    return timeline_for(item)


# --- change requests -------------------------------------------------------------------------

def _reviewable_q(user) -> Q:
    organisation = getattr(user, "organisation", None)
    if organisation is None or organisation.kind != OrganisationKind.LEGAL_AFFAIRS_OFFICE:
        return Q(pk__in=[])
    return Q(current_region_id=organisation.region_id, status=ChangeRequestStatus.PENDING_REVIEW)


def change_request_list(*, user) -> QuerySet[ChangeRequest]:
    """Requests the user filed (scope) plus those waiting for the user's legal-affairs office."""
    base = ChangeRequest.objects.select_related("catalogue_item", "implementation_item", "department",
                                                "current_region", "submitted_by")
    visible = restrict(ChangeRequest.objects.all(), user).values("pk")
    return base.filter(Q(pk__in=visible) | _reviewable_q(user))


def review_queue(*, user) -> QuerySet[ChangeRequest]:
    return change_request_list(user=user).filter(_reviewable_q(user))


def access_change_request(user, pk) -> ChangeRequest:
    change = change_request_list(user=user).filter(pk=pk).first()
    if change is None:
        raise Http404(_("变更申请不存在或不在您的数据范围内。"))
    return change


def inbox_items(*, user) -> list[InboxItem]:
    """Pending change reviews of the user's legal-affairs office, for the staff inbox."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("matters.review_changerequest"):
        return []
    return [InboxItem(title=str(change.matter), url=change.get_absolute_url(), category=_("事项变更审核"),
                      created_at=change.submitted_at) for change in review_queue(user=user)[:50]]


# --- public read side ------------------------------------------------------------------------

def public_guides() -> QuerySet[ImplementationItem]:
    """Published implementation items: the public guide list (same source for every channel)."""
    return (ImplementationItem.objects.published()
            .select_related("region", "handling_department", "implementing_body")
            .order_by("implementation_code"))


def public_guide(pk) -> ImplementationItem:
    """The guide with its child rows, plus — as JSON sub-selects of the same query — the "one thing"
    bundles its catalogue item belongs to (`bundle_list`) and the laws cited as its legal basis
    (`law_list`)."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef
    from django.db.models.functions import JSONObject

    from apps.matters.models import LawItemLink, OneThing

    bundles = (OneThing.objects.filter(catalogue_items=OuterRef("catalogue_item_id")).order_by("name")
               .values(json=JSONObject(pk="pk", name="name")))
    laws = (LawItemLink.objects.filter(catalogue_item_id=OuterRef("catalogue_item_id")).order_by("law__title")
            .values(json=JSONObject(title="law__title", article="article", law_type="law__law_type")))
    item = (public_guides().annotate(bundle_list=ArraySubquery(bundles), law_list=ArraySubquery(laws))
            .prefetch_related("situations", "fees", Prefetch("materials", queryset=ApplicationMaterial.objects.all()),
                              Prefetch("steps", queryset=ProcessStep.objects.all())).filter(pk=pk).first())
    if item is None:
        raise Http404(_("办事指南不存在或未发布。"))
    return item


def bundle_guides(bundle) -> QuerySet[ImplementationItem]:
    """Published guides of the items a bundle involves, with their materials, in one query plus one prefetch."""
    return (public_guides().filter(catalogue_item__one_things=bundle).prefetch_related("materials")
            .order_by("name", "implementation_code"))
