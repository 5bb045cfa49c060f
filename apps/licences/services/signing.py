"""Signing documents with a seal (LIC-9.2, 9.4, 9.10, 9.12) and online verification (LIC-8.6, 9.3).

A seal signs only while it is valid and inside its validity window; only with a certificate in
the seal's list whose key the key store holds; only by a user holding ``licences.use_seal`` whose
organisation owns the seal (or a system administrator). Each signing writes a SigningLog row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.scope import can_see

from apps.core.crypto import sm3_hex

from ..crypto.keystore import KeyStoreError, signer_for
from ..models import Seal, SealStatus, SigningCertificate, SigningLog, VerificationLog
from ..ofd.package import OFDError
from ..ofd.sign import StampPosition, sign_ofd
from ..ofd.verify import VerificationReport, verify_ofd
from .kernel import require_permission
from .pki import certificate_usable, trusted_roots

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass
class SignedDocument:
    data: bytes
    log: SigningLog


def seal_usable(seal: Seal, *, now=None) -> None:
    """Raise ValidationError unless the seal may sign now."""
    now = now or timezone.now()
    if seal.status != SealStatus.VALID:
        raise ValidationError(_("印章状态为“%(s)s”，不能签章。") % {"s": seal.get_status_display()})
    if not seal.seal_der or not (seal.valid_from and seal.valid_from <= now <= seal.valid_until):
        raise ValidationError(_("印章不在有效期内，不能签章。"))


def _authorised(actor, seal: Seal) -> None:
    """use_seal permission, the seal in the actor's scope, and a grant to the actor or a role (LIC-9.14)."""
    from .grants import seal_granted

    require_permission(actor, "licences.use_seal")
    if not can_see(actor, seal) or not seal_granted(actor, seal):
        raise PermissionDenied(_("您未获得该印章的使用授权。"))


def seal_batch_check(*, actor, seal: Seal, certificate: SigningCertificate) -> None:
    """Before a centralised batch seal is queued (LIC-1.18): the same rules document_sign applies to
    every licence — sealing permission, grant, seal usable now, certificate in its list and usable —
    so a batch that could seal nothing is refused up front. Each licence is checked again when signed."""
    require_permission(actor, "licences.seal_licence")
    _authorised(actor, seal)
    seal_usable(Seal.objects.get(pk=seal.pk))
    if certificate is None or not seal.certificates.filter(pk=certificate.pk).exists():
        raise ValidationError(_("该证书不在印章的签章证书列表中。"))
    certificate_usable(SigningCertificate.objects.get(pk=certificate.pk))


def document_sign(*, actor, seal: Seal, certificate: SigningCertificate, data: bytes, position: StampPosition,
                  document_name: str = "", ip_address: str | None = None, client: str = "",
                  request_message: dict | None = None) -> SignedDocument:
    """Seal an OFD document server-side and log it."""
    _authorised(actor, seal)
    with transaction.atomic():
        seal = Seal.objects.select_for_update().select_related("organisation").get(pk=seal.pk)
        seal_usable(seal)
        if not seal.certificates.filter(pk=certificate.pk).exists():
            raise ValidationError(_("该证书不在印章的签章证书列表中。"))
        certificate_usable(SigningCertificate.objects.get(pk=certificate.pk))
        if not data or len(data) > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("文件为空或超过 20MB。"))
        try:
            signed = sign_ofd(data, seal_der=bytes(seal.seal_der), signer_cert=certificate.der_bytes,
                              signer_key=signer_for(certificate), position=position)
        except OFDError as exc:
            raise ValidationError(_("不是有效的 OFD 文件：%(e)s") % {"e": exc}) from exc
        except KeyStoreError as exc:
            raise ValidationError(str(exc)) from exc
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        log = SigningLog.objects.create(
            seal=seal, certificate=certificate, sealer=actor, client=client, ip_address=ip_address,
            document_name=document_name[:255], document_sm3=sm3_hex(signed),
            request_message=request_message or {"document": document_name, "page": position.page_index,
                                                "position": [position.x, position.y]},
        )
    return SignedDocument(data=signed, log=log)


def seal_status_lookup(es_id: str):
    """Platform status of a seal for the verifier: (status, detail) or None when not ours."""
    seal = Seal.objects.filter(es_id=es_id).only("status", "valid_until", "name").first()
    if seal is None:
        return None
    status = seal.status
    if status == SealStatus.VALID and seal.valid_until < timezone.now():
        status = SealStatus.EXPIRED
    return status, _("本平台登记状态：%(s)s") % {"s": SealStatus(status).label}


def document_verify(*, data: bytes, ip_address: str | None = None, channel: str = "page") -> VerificationReport:
    """Verify any sealed OFD against our roots and seal register, and log the check (no login needed)."""
    report = verify_ofd(data, trusted_roots=trusted_roots() or None, seal_status=seal_status_lookup)
    VerificationLog.objects.create(ip_address=ip_address, document_sm3=sm3_hex(data), verdict=report.verdict,
                                   signature_count=len(report.signatures), channel=channel)
    return report
