"""Selectors of the licence work pages (entry, drafts box, work list tabs, detail actions, sealing).

Every function takes the user and goes through the data scope; the rules themselves stay in
services/licences.py and services/signing.py — these only decide what to offer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from apps.core.scope import restrict

from .models import Licence, LicenceStatus, Seal, SealStatus, TemplateMapping
from .services.licences import HISTORY


@dataclass(frozen=True)
class WorkTab:
    key: str
    label: str
    statuses: tuple


TABS = (
    WorkTab("draft", _("草稿"), (LicenceStatus.DRAFT,)),
    WorkTab("entered", _("已录入"), (LicenceStatus.ENTERED,)),
    WorkTab("in_review", _("待审核"), (LicenceStatus.IN_REVIEW,)),
    WorkTab("awaiting_sealing", _("待盖章"), (LicenceStatus.AWAITING_SEALING,)),
    WorkTab("valid", _("有效"), (LicenceStatus.VALID,)),
    WorkTab("history", _("历史"), tuple(HISTORY)),
)
TAB_BY_KEY = {tab.key: tab for tab in TABS}


def tab_for(key: str | None) -> WorkTab:
    return TAB_BY_KEY.get(key or "", TABS[1])


def work_queryset(user, tab: WorkTab):
    """Licences of one tab in the user's scope; the drafts box holds only the user's own drafts (LIC-1.9)."""
    queryset = restrict(Licence.objects.filter(status__in=tab.statuses), user)
    if tab.key == "draft":
        queryset = queryset.filter(created_by=user)
    return queryset.select_related("issuer", "template").order_by("-created_at", "-pk")


def work_counts(user) -> dict[str, int]:
    """One query: the count of every tab in the user's scope."""
    aggregates = {tab.key: Count("pk", filter=Q(status__in=tab.statuses)) for tab in TABS if tab.key != "draft"}
    aggregates["draft"] = Count("pk", filter=Q(status=LicenceStatus.DRAFT, created_by=user))
    return restrict(Licence.objects.all(), user).aggregate(**aggregates)


def entry_choices(user):
    """(template, issuer) pairs the user may enter licences with: a valid template mapped to an issuing
    organisation in the user's scope (the issuer–template–matter mapping, LIC-1.5)."""
    mappings = restrict(TemplateMapping.objects.filter(template__is_valid=True), user)
    return mappings.select_related("template", "issuer").order_by("template__name", "issuer__name", "item_code")


def entry_pair(user, template_id, issuer_id) -> TemplateMapping | None:
    """The mapping that allows entry with this template for this issuer, or None."""
    try:
        template_id, issuer_id = int(template_id), int(issuer_id)
    except (TypeError, ValueError):
        return None
    return entry_choices(user).filter(template_id=template_id, issuer_id=issuer_id).first()


@dataclass(frozen=True)
class SignerChoice:
    """A seal the user holds a grant for, with one certificate from its list."""

    seal: Seal
    certificate: object

    @property
    def value(self) -> str:
        return f"{self.seal.pk}:{self.certificate.pk}"

    @property
    def label(self) -> str:
        return _("%(seal)s（证书：%(cn)s）") % {"seal": self.seal.name,
                                               "cn": certificate_common_name(self.certificate.subject)}


def certificate_common_name(subject: str) -> str:
    """The CN of a stored subject ("Common Name: X, Organization: Y", asn1crypto's human-friendly form)."""
    for part in (subject or "").split(", "):
        if part.startswith("Common Name: "):
            return part.removeprefix("Common Name: ")
    return subject


def signer_choices(user) -> list[SignerChoice]:
    """Valid seals in the user's scope granted to the user or one of their roles, with their certificates.
    Whether a seal may really sign is checked again by the signing service at the moment it signs."""
    if not (user.is_authenticated and user.has_perm("licences.seal_licence") and user.has_perm("licences.use_seal")):
        return []
    granted = Q(grants__user=user) | Q(grants__role__in=user.roles.all())
    seals = restrict(Seal.objects.filter(granted, status=SealStatus.VALID), user).distinct()
    seals = seals.only("pk", "name").prefetch_related("certificates").order_by("name", "pk")
    return [SignerChoice(seal, cert) for seal in seals for cert in seal.certificates.all()
            if cert.is_enabled and not cert.revoked_at]


def signer_from_value(user, value: str) -> tuple[Seal, object] | None:
    """Seal and certificate named by a ``seal:certificate`` form value, both in the user's scope, or None
    (grant, status and certificate rules are the signing service's)."""
    try:
        seal_id, cert_id = (int(part) for part in (value or "").split(":"))
    except ValueError:
        return None
    seal = restrict(Seal.objects.filter(pk=seal_id), user).first()
    if seal is None:
        return None
    certificate = seal.certificates.filter(pk=cert_id).first()
    if certificate is None:
        from .models import SigningCertificate

        certificate = SigningCertificate.objects.filter(pk=cert_id).first()
    return (seal, certificate) if certificate is not None else None


def licence_actions(user, licence: Licence) -> set[str]:
    """The actions the detail page offers for this licence's status and the user's permissions; every
    POST re-checks through the services."""
    can = user.has_perm
    offered: set[str] = set()
    status = licence.status
    if status == LicenceStatus.DRAFT and can("licences.change_licence") and licence.created_by_id == user.pk:
        offered.add("complete")
    if status == LicenceStatus.ENTERED and can("licences.change_licence"):
        offered.add("submit")
    if status == LicenceStatus.IN_REVIEW and can("licences.review_licence"):
        offered |= {"approve", "reject"}
    if status == LicenceStatus.AWAITING_SEALING and can("licences.seal_licence") and can("licences.use_seal"):
        offered.add("seal")
    if status == LicenceStatus.VALID and can("licences.change_licence"):
        offered |= {"change", "annual_inspection", "cancel", "abolish", "report_lost"}
    return offered
