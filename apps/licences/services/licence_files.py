"""The files a staff member takes away from a valid, sealed licence, next to its OFD: the PDF rendition
with a PDF seal signature (decision 0307) and the offline verification bundle (decision 0309)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.crypto import sm3_hex

from ..models import Licence, LicenceStatus, SigningLog
from ..ofd.offline import make_bundle
from .kernel import require_in_scope, require_permission
from .pdf_signing import licence_pdf_sign
from .pki import trusted_roots


def _sealed(actor, licence: Licence) -> None:
    require_permission(actor, "licences.view_licence")
    require_in_scope(actor, licence)
    if licence.status != LicenceStatus.VALID or not licence.ofd_file or not licence.seal_id:
        raise ValidationError(_("只有已盖章的有效证照可以下载签章 PDF 或离线核验包。"))


def licence_sealing_certificate(licence: Licence):
    """The certificate that sealed the licence's OFD (from the signing log of that exact file)."""
    log = (SigningLog.objects.select_related("certificate")
           .filter(seal_id=licence.seal_id, document_sm3=licence.ofd_sm3).order_by("-pk").first())
    if log is None:
        raise ValidationError(_("找不到该证照的盖章记录，无法确定签章证书。"))
    return log.certificate


def licence_signed_pdf(*, actor, licence: Licence, ip_address: str | None = None) -> bytes:
    """The licence's PDF rendition sealed with the seal and certificate that sealed its OFD. Signing is
    an act of the actor: it needs ``use_seal`` and a grant of that seal, and is logged (LIC-9.5)."""
    _sealed(actor, licence)
    return licence_pdf_sign(actor=actor, licence=licence, seal=licence.seal,
                            certificate=licence_sealing_certificate(licence), ip_address=ip_address)


def root_fingerprints() -> list[str]:
    """SM3 fingerprints of the platform's trusted roots, which an offline verifier pins (decision 0309)."""
    return [sm3_hex(der) for der in trusted_roots()]


def licence_offline_bundle(*, actor, licence: Licence) -> bytes:
    """The sealed OFD, unchanged, with the trusted roots and a manifest (offline verification bundle)."""
    _sealed(actor, licence)
    licence.ofd_file.open("rb")
    try:
        ofd = licence.ofd_file.read()
    finally:
        licence.ofd_file.close()
    if sm3_hex(ofd) != licence.ofd_sm3:
        raise ValidationError(_("证照文件与登记的 SM3 摘要不符，请联系管理员。"))
    return make_bundle(ofd, roots=trusted_roots())
