"""Client-side (UKey) signing of OFD documents and licences (LIC-9.4, LIC-1.17 distributed sealing).

1. ``client_sign_prepare`` — the server checks the sealer, seal and UKey certificate, builds the package
   with one more seal signature except the signer's SM2 signature, keeps the document, time and the SM3 of
   the TBS_Sign, and hands the TBS_Sign to the client.
2. The client's UKey signs the TBS_Sign (SM2 with SM3 and the default ID). The private key never
   reaches the server: the certificate row of a UKey has no key (key store refuses to sign with it).
3. ``client_sign_complete`` — the server rebuilds the same TBS_Sign, checks it matches the one handed out,
   verifies the client's signature with the certificate's public key, writes SignedValue.dat and logs
   the signing. For a licence, the sealed file is stored and the licence becomes valid (as LIC-1.18).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.crypto import sm3_hex

from ..crypto.certs import public_key_of
from ..crypto.sm import normalise_signature
from ..models import (
    ClientSigningRequest, ClientSigningStatus, KeyStorage, Licence, LicenceStatus, Seal, SigningCertificate,
    SigningLog,
)
from ..ofd.package import OFDError, OFDPackage
from ..ofd.sign import StampPosition, prepare_entries
from ..ofd.writer import zip_entries
from .kernel import audit_record, require_in_scope, require_permission
from .pki import certificate_usable
from .signing import MAX_DOCUMENT_BYTES, _authorised, seal_usable

REQUEST_LIFETIME = dt.timedelta(minutes=10)


def _check_ukey(actor, seal: Seal, certificate: SigningCertificate) -> None:
    if certificate.storage != KeyStorage.UKEY:
        raise ValidationError(_("客户端签章只能使用 UKey 证书。"))
    if certificate.holder_id != actor.pk:
        raise PermissionDenied(_("该 UKey 证书不属于您。"))
    if not seal.certificates.filter(pk=certificate.pk).exists():
        raise ValidationError(_("该证书不在印章的签章证书列表中。"))
    certificate_usable(certificate)


def _prepare(document: bytes, seal: Seal, position: StampPosition, when: dt.datetime):
    try:
        return prepare_entries(OFDPackage(document), seal_der=bytes(seal.seal_der), position=position, when=when)
    except (OFDError, ValueError) as exc:
        raise ValidationError(_("不是有效的 OFD 文件或盖章位置超出页面：%(e)s") % {"e": exc}) from exc


def client_sign_prepare(*, actor, seal: Seal, certificate: SigningCertificate, position: StampPosition,
                        data: bytes | None = None, licence: Licence | None = None,
                        document_name: str = "") -> tuple[ClientSigningRequest, bytes]:
    """Open a UKey signing request; returns it and the TBS_Sign DER the client must sign."""
    _authorised(actor, seal)
    seal = Seal.objects.get(pk=seal.pk)
    certificate = SigningCertificate.objects.get(pk=certificate.pk)
    seal_usable(seal)
    _check_ukey(actor, seal, certificate)
    if licence is not None:
        from ..rendering import render_licence_ofd

        require_permission(actor, "licences.seal_licence")
        licence = Licence.objects.select_related("template", "issuer").get(pk=licence.pk)
        require_in_scope(actor, licence)
        if licence.status != LicenceStatus.AWAITING_SEALING:
            raise ValidationError(_("证照审核通过、待盖章时才能盖章。"))
        data, document_name = render_licence_ofd(licence), f"{licence.licence_code}.ofd"
    if not data or len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("文件为空或超过 20MB。"))
    when = timezone.now().replace(microsecond=0)
    prepared = _prepare(data, seal, position, when)
    request = ClientSigningRequest.objects.create(
        seal=seal, certificate=certificate, requested_by=actor, document=data, document_name=document_name[:255],
        position=[position.page_index, position.x, position.y, position.width, position.height], signed_when=when,
        tbs_sm3=sm3_hex(prepared.tbs_der), licence=licence)
    return request, prepared.tbs_der


def client_sign_complete(*, actor, request_id: int, signature: bytes,
                         ip_address: str | None = None) -> tuple[bytes, SigningLog]:
    """Finish a UKey signing request with the client's signature; all checks again, nothing written on failure."""
    with transaction.atomic():
        request = (ClientSigningRequest.objects.select_for_update().select_related("seal", "certificate")
                   .filter(pk=request_id, requested_by=actor).first())
        if request is None:
            raise PermissionDenied(_("没有这个签章请求。"))
        if request.status != ClientSigningStatus.PENDING:
            raise ValidationError(_("该签章请求已完成，不能重复签章。"))
        if timezone.now() - request.created_at > REQUEST_LIFETIME:
            raise ValidationError(_("签章请求已超过 10 分钟，请重新发起。"))
        seal = Seal.objects.select_for_update().get(pk=request.seal_id)
        _authorised(actor, seal)
        seal_usable(seal)
        _check_ukey(actor, seal, request.certificate)
        tbs, finish = _rebuild(request, seal)
        if sm3_hex(tbs) != request.tbs_sm3:
            raise ValidationError(_("待签数据已变化，请重新发起签章。"))
        try:
            value, _raw = normalise_signature(signature)
            valid = public_key_of(request.certificate.der_bytes).verify(tbs, value)
        except (ValueError, TypeError):
            valid = False
        if not valid:
            raise ValidationError(_("UKey 签名验证失败：签名与证书公钥不符。"))
        signed = finish(value)
        log = SigningLog.objects.create(
            seal=seal, certificate=request.certificate, sealer=actor, client="ukey", ip_address=ip_address,
            document_name=request.document_name, document_sm3=sm3_hex(signed),
            request_message={"mode": "ukey", "request": request.pk, "document": request.document_name,
                             "position": request.position, "tbs_sm3": request.tbs_sm3})
        if request.licence_id:
            _store_licence(actor, request.licence_id, seal, signed)
        request.status, request.completed_at = ClientSigningStatus.COMPLETED, timezone.now()
        request.save(update_fields=["status", "completed_at"])
        audit_record(actor=actor, action="update", obj=request, changes={"status": ["pending", "completed"]},
                     detail="ukey sign")
    return signed, log


def _rebuild(request: ClientSigningRequest, seal: Seal):
    """(TBS_Sign, finish(signature) -> signed bytes) for an OFD request or a web-form request (LIC-9.6)."""
    cert = request.certificate.der_bytes
    if request.position:
        prepared = _prepare(bytes(request.document), seal, StampPosition(*request.position), request.signed_when)
        return prepared.tbs_der, lambda value: zip_entries(prepared.complete(signer_cert=cert, signature=value))
    from ..crypto.seal import assemble_signature_v4
    from .web_signing import web_tbs

    tbs = web_tbs(seal, bytes(request.document), request.document_name, request.signed_when)
    return tbs, lambda value: assemble_signature_v4(tbs_der=tbs, signer_cert=cert, signature=value)


def _store_licence(actor, licence_id: int, seal: Seal, signed: bytes) -> None:
    from .licences import _lock, _move

    licence = _lock(Licence(pk=licence_id))
    if licence.status != LicenceStatus.AWAITING_SEALING:
        raise ValidationError(_("证照已不在待盖章状态（可能已被盖章），不能重复盖章。"))
    licence.ofd_file.save(f"{sm3_hex(signed)[:24]}.ofd", ContentFile(signed), save=False)
    now = timezone.now()
    _move(licence, actor=actor, to=LicenceStatus.VALID, allowed=(LicenceStatus.AWAITING_SEALING,), action="seal",
          comment=_("UKey 分散式盖章"), seal=seal, ofd_sm3=sm3_hex(signed), sealed_at=now, operation="valid",
          issued_at=licence.issued_at or now)
