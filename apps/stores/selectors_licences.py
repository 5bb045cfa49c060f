"""A store's electronic-licence catalogue (STORE-6, decision 0808): the licence templates defined by the
store's department and the organisations below it, each with its number of valid licences (one aggregate
query), and a search by licence name whose answers are masked for display — licence number, holder name
and holder code never leave the server in full."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from apps.core.crypto import mask

MAX_RESULTS = 20


def licence_catalogue(store) -> list:
    from apps.licences.models import LicenceStatus, LicenceTemplate

    return list(LicenceTemplate.objects.filter(is_valid=True,
                                               defining_organisation__tree_path__startswith=store.organisation.tree_path)
                .select_related("category")
                .annotate(licence_count=Count("licences", filter=Q(licences__status=LicenceStatus.VALID)))
                .order_by("category__name", "name"))


@dataclass(frozen=True)
class MaskedLicence:
    name: str
    licence_number: str
    holder_name: str
    holder_code: str
    issuer: str
    valid_from: object
    valid_until: object


def mask_name(value: str) -> str:
    """张** / 哈尔滨*****公司: the first character(s) and the legal-form ending stay readable."""
    if len(value) <= 1:
        return "*"
    if len(value) <= 3:
        return value[0] + "*" * (len(value) - 1)
    keep_end = 4 if value.endswith(("有限公司", "合作社")) else 1
    return value[:3] + "*" * max(1, len(value) - 3 - keep_end) + value[-keep_end:]


def licence_search(store, *, name: str) -> list[MaskedLicence]:
    """Valid licences of the store's catalogue whose licence name contains `name`, masked."""
    from apps.licences.models import Licence, LicenceStatus

    name = (name or "").strip()[:50]
    if not name:
        return []
    rows = (Licence.objects.filter(status=LicenceStatus.VALID, name__icontains=name,
                                   template__defining_organisation__tree_path__startswith=store.organisation.tree_path)
            .select_related("issuer").order_by("-issued_at", "-id")[:MAX_RESULTS])
    return [MaskedLicence(name=r.name, licence_number=mask(r.licence_number, keep_start=2, keep_end=3),
                          holder_name=mask_name(r.holder_name), holder_code=mask(r.holder_code, keep_start=2, keep_end=2),
                          issuer=r.issuer.name, valid_from=r.valid_from, valid_until=r.valid_until) for r in rows]
