"""Reads of the sharing interfaces: only valid licences whose (template, issuer) has a mapping are shared
(LIC-1.5 gate); holder codes are found by their keyed digest."""

from __future__ import annotations

from apps.core.crypto import keyed_digest

from .models import Licence, LicenceStatus, LicenceTemplate
from .services.management import with_shareable

SEARCH_LIMIT = 50


def shared_licences():
    return (with_shareable(Licence.objects.filter(status=LicenceStatus.VALID)).filter(shareable=True)
            .select_related("issuer", "template"))


def shared_by_code(licence_code: str) -> Licence | None:
    return shared_licences().filter(licence_code=licence_code).first()


def shared_by_holder(holder_code: str):
    if not (holder_code or "").strip():
        return shared_licences().none()
    return shared_licences().filter(holder_code_digest=keyed_digest(holder_code.strip())).order_by("licence_code")


def shared_search(*, name: str = "", holder_name: str = "", type_code: str = "", issuer_code: str = ""):
    qs = shared_licences()
    if name:
        qs = qs.filter(name__icontains=name)
    if holder_name:
        qs = qs.filter(holder_name=holder_name)
    if type_code:
        qs = qs.filter(template__type_code=type_code)
    if issuer_code:
        qs = qs.filter(issuer__credit_code=issuer_code)
    return qs.order_by("licence_code")[:SEARCH_LIMIT]


def licence_types():
    return (LicenceTemplate.objects.filter(is_valid=True).order_by("type_code")
            .values("type_code", "name", "licence_type", "holder_kind").distinct())


def licence_info(licence: Licence) -> dict:
    return {"licence_code": licence.licence_code, "version": licence.version, "name": licence.name,
            "licence_number": licence.licence_number, "type_code": licence.template.type_code,
            "licence_type": licence.template.licence_type, "holder_name": licence.holder_name,
            "holder_kind": licence.holder_kind, "issuer_name": licence.issuer.name,
            "issuer_code": licence.issuer.credit_code, "issued_at": licence.issued_at,
            "valid_from": licence.valid_from, "valid_until": licence.valid_until, "status": licence.status}


def licence_ofd_bytes(licence: Licence) -> bytes:
    if licence.ofd_file:
        with licence.ofd_file.open("rb") as f:
            return f.read()
    from .rendering import render_licence_ofd

    return render_licence_ofd(licence)


def licence_image(licence: Licence) -> bytes:
    """亮证: the licence's OFD file (sealed if sealed) rendered to PNG (LIC-5.4 1)."""
    from .ofd.raster import render_png

    return render_png(licence_ofd_bytes(licence))


def licence_check(*, licence_number: str, type_code: str = "", licence_type: str = "", holder_name: str,
                  holder_code: str = "") -> tuple[str, Licence | None]:
    """Show-licence verification (LIC-5.4 2, 5.5 6): 'match', 'mismatch' (holder data differ) or 'not_found'."""
    qs = shared_licences().filter(licence_number=(licence_number or "").strip())
    if type_code:
        qs = qs.filter(template__type_code=type_code.strip())
    if licence_type:
        qs = qs.filter(template__licence_type=licence_type.strip())
    licence = qs.first()
    if licence is None:
        return "not_found", None
    if licence.holder_name != (holder_name or "").strip():
        return "mismatch", None
    if holder_code and licence.holder_code_digest != keyed_digest(holder_code.strip()):
        return "mismatch", None
    return "match", licence
