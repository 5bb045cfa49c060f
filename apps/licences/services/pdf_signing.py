"""PDF signing with the e-seal (LIC-9.5, decision 0307): a licence's PDF rendition — or any uploaded PDF —
gets a real PDF signature (incremental update, /ByteRange, GB/T 38540 SES_Signature in /Contents) with the
seal picture on the page; the same authorisation, seal and certificate checks as OFD signing, and logged."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.crypto import sm3_hex

from ..crypto.keystore import KeyStoreError, signer_for
from ..models import Licence, LicenceStatus, Seal, SigningCertificate, SigningLog
from ..ofd.pdfsign import PdfStampPosition, sign_pdf, verify_pdf
from ..ofd.render import render_pdf
from ..rendering import render_licence_ofd, seal_position
from .kernel import require_in_scope
from .pki import certificate_usable, trusted_roots
from .signing import MAX_DOCUMENT_BYTES, _authorised, seal_status_lookup, seal_usable


def pdf_sign(*, actor, seal: Seal, certificate: SigningCertificate, data: bytes, position: PdfStampPosition,
             document_name: str = "", ip_address: str | None = None, request_message: dict | None = None) -> bytes:
    """Seal a PDF server-side; refused unless the actor holds a grant and seal and certificate may sign."""
    _authorised(actor, seal)
    with transaction.atomic():
        seal = Seal.objects.select_for_update().get(pk=seal.pk)
        seal_usable(seal)
        if not seal.certificates.filter(pk=certificate.pk).exists():
            raise ValidationError(_("该证书不在印章的签章证书列表中。"))
        certificate_usable(SigningCertificate.objects.get(pk=certificate.pk))
        if not data.startswith(b"%PDF-") or len(data) > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("不是 PDF 文件或超过 20MB。"))
        try:
            signed = sign_pdf(data, seal_der=bytes(seal.seal_der), signer_cert=certificate.der_bytes,
                              signer_key=signer_for(certificate), position=position)
        except (ValueError, KeyError, KeyStoreError) as exc:
            raise ValidationError(_("PDF 签章失败：%(e)s") % {"e": exc}) from exc
        SigningLog.objects.create(seal=seal, certificate=certificate, sealer=actor, ip_address=ip_address,
                                  document_name=document_name[:255], document_sm3=sm3_hex(signed),
                                  request_message=request_message or {"document": document_name, "format": "pdf"})
    return signed


def licence_pdf_sign(*, actor, licence: Licence, seal: Seal, certificate: SigningCertificate,
                     ip_address: str | None = None) -> bytes:
    """The valid licence's face as PDF (rendered from its template and data), sealed with a PDF signature."""
    require_in_scope(actor, licence)
    if licence.status != LicenceStatus.VALID:
        raise ValidationError(_("只有有效的证照可以签发 PDF 版本。"))
    pos = seal_position(licence, seal)
    return pdf_sign(actor=actor, seal=seal, certificate=certificate, data=render_pdf(render_licence_ofd(licence)),
                    position=PdfStampPosition(pos.page_index, pos.x, pos.y, pos.width, pos.height),
                    document_name=f"{licence.licence_code}.pdf", ip_address=ip_address,
                    request_message={"licence": licence.licence_code, "version": licence.version, "format": "pdf"})


def pdf_verify(data: bytes):
    """Per-signature reports of a PDF against our roots and seal register."""
    return verify_pdf(data, trusted_roots=trusted_roots() or None, seal_status=seal_status_lookup)
