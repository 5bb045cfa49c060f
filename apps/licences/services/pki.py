"""Certificates: the demo CA and the maker / signer certificates it issues (LIC-9.9)."""

from __future__ import annotations

from asn1crypto import x509
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..crypto.certs import IssuedCertificate, build_certificate
from ..crypto.keystore import generate_software_key
from ..models import CertificateKind, KeyStorage, SigningCertificate
from .kernel import audit_record, require_permission


def _row(*, issued: IssuedCertificate, kind, organisation, issuer, pem: str) -> SigningCertificate:
    cert = x509.Certificate.load(issued.der)
    return SigningCertificate.objects.create(
        kind=kind, storage=KeyStorage.SOFTWARE, organisation=organisation, subject=cert.subject.human_friendly,
        serial=str(cert.serial_number), der=issued.der, valid_from=cert.not_valid_before,
        valid_until=cert.not_valid_after, issuer=issuer, private_key=pem,
    )


@transaction.atomic
def certificate_issue(*, actor, kind: str, organisation, common_name: str, days: int = 365,
                      issuer: SigningCertificate | None = None) -> SigningCertificate:
    """Issue a software certificate with a fresh SM2 key (the CA is self-signed)."""
    require_permission(actor, "licences.add_signingcertificate")
    if kind not in CertificateKind.values:
        raise ValidationError({"kind": _("证书类型无效。")})
    if not common_name.strip() or not 1 <= days <= 3650 * 2:
        raise ValidationError({"common_name": _("请填写证书名称，有效天数为 1–7300。")})
    if kind != CertificateKind.CA and (issuer is None or issuer.kind != CertificateKind.CA):
        raise ValidationError({"issuer": _("制章人和签章人证书必须由根证书签发。")})
    key, pem = generate_software_key()
    parent = None
    if issuer is not None:
        from ..crypto.keystore import signer_for

        parent = IssuedCertificate(der=issuer.der_bytes, key=signer_for(issuer))
    issued = build_certificate(subject_cn=common_name.strip(), organisation=organisation.name, key=key,
                               issuer=parent, ca=kind == CertificateKind.CA, days=days)
    row = _row(issued=issued, kind=kind, organisation=organisation, issuer=issuer, pem=pem)
    audit_record(actor=actor, action="create", obj=row, changes={"kind": kind, "subject": row.subject})
    return row


def trusted_roots() -> list[bytes]:
    return [c.der_bytes for c in SigningCertificate.objects.filter(kind=CertificateKind.CA, is_enabled=True,
                                                                      revoked_at__isnull=True)]


def _load_certificate(data: bytes) -> bytes:
    """DER bytes of an uploaded certificate (PEM or DER); ValidationError when it is not one."""
    from asn1crypto import pem

    raw = data or b""
    if pem.detect(raw.strip()):     # only PEM text is stripped: a DER may end in a whitespace byte
        _type, _headers, raw = pem.unarmor(raw.strip())
    try:
        cert = x509.Certificate.load(raw)
        cert.native  # force a full parse
    except (ValueError, TypeError) as exc:
        raise ValidationError({"certificate": _("不是有效的 X.509 证书（PEM 或 DER）。")}) from exc
    algorithm = cert.public_key["algorithm"]
    curve = algorithm["parameters"].native if algorithm["algorithm"].native == "ec" else None
    if curve != "1.2.156.10197.1.301":
        raise ValidationError({"certificate": _("只接受 SM2 公钥的证书。")})
    return cert.dump()


@transaction.atomic
def certificate_import(*, actor, data: bytes, kind: str, organisation, storage: str = KeyStorage.EXTERNAL,
                       private_key_pem: str = "", hsm_key_ref: str = "", holder=None) -> SigningCertificate:
    """Register an existing SM2 certificate (LIC-9.9): server soft certificate (with its key, kept SM4
    encrypted), HSM certificate (key index), UKey or external system certificate (no key here).

    A non-CA certificate must be issued by an enabled CA certificate already registered (chain checked
    by signature); an expired certificate, a key that does not match, or a duplicate is refused."""
    from django.utils import timezone

    from ..crypto.certs import issued_by, public_key_of
    from ..crypto.sm import SM2PrivateKey

    require_permission(actor, "licences.add_signingcertificate")
    from .kernel import require_in_scope

    require_in_scope(actor, organisation)
    if kind not in CertificateKind.values or storage not in KeyStorage.values:
        raise ValidationError({"kind": _("证书类型或私钥存放方式无效。")})
    der = _load_certificate(data)
    cert = x509.Certificate.load(der)
    if cert.not_valid_after <= timezone.now():
        raise ValidationError({"certificate": _("证书已过期（%(d)s），不能登记。") % {"d": cert.not_valid_after.date()}})
    issuer = None
    if kind == CertificateKind.CA:
        from ..crypto.certs import certificate_signature_valid

        if cert.self_signed != "maybe" or not certificate_signature_valid(der, der):
            raise ValidationError({"certificate": _("根证书必须是自签名证书。")})
    else:
        issuer = next((ca for ca in SigningCertificate.objects.filter(kind=CertificateKind.CA, is_enabled=True,
                                                                        revoked_at__isnull=True)
                       if issued_by(der, ca.der_bytes)), None)
        if issuer is None:
            raise ValidationError({"certificate": _("证书不是由本平台登记的根证书签发的，不能信任。")})
    if storage == KeyStorage.SOFTWARE:
        try:
            key = SM2PrivateKey.from_pem(private_key_pem.encode())
        except (ValueError, TypeError) as exc:
            raise ValidationError({"private_key": _("服务器软证书需要与之匹配的 SM2 私钥（PEM）。")}) from exc
        if key.public_key.point != public_key_of(der).point:
            raise ValidationError({"private_key": _("私钥与证书公钥不匹配。")})
    elif storage == KeyStorage.HSM and not hsm_key_ref.strip():
        raise ValidationError({"hsm_key_ref": _("加密机证书需要填写密钥索引。")})
    serial = str(cert.serial_number)
    if SigningCertificate.objects.filter(issuer=issuer, serial=serial).exists():
        raise ValidationError({"certificate": _("该证书已登记。")})
    row = SigningCertificate.objects.create(
        kind=kind, storage=storage, organisation=organisation, subject=cert.subject.human_friendly[:255],
        serial=serial, der=der, valid_from=cert.not_valid_before, valid_until=cert.not_valid_after, issuer=issuer,
        private_key=private_key_pem if storage == KeyStorage.SOFTWARE else "",
        hsm_key_ref=hsm_key_ref.strip() if storage == KeyStorage.HSM else "", holder=holder)
    audit_record(actor=actor, action="create", obj=row,
                 changes={"kind": kind, "storage": storage, "subject": row.subject, "serial": serial})
    return row


@transaction.atomic
def certificate_revoke(*, actor, certificate: SigningCertificate, reason: str) -> SigningCertificate:
    """Revoke a certificate (LIC-9.9): it can no longer sign, log in, or make seals."""
    from django.utils import timezone

    from .kernel import require_in_scope

    require_permission(actor, "licences.change_signingcertificate")
    certificate = SigningCertificate.objects.select_for_update().get(pk=certificate.pk)
    require_in_scope(actor, certificate)
    if certificate.revoked_at:
        raise ValidationError(_("证书已吊销。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写吊销原因。")})
    certificate.revoked_at, certificate.revocation_reason, certificate.is_enabled = timezone.now(), reason[:255], False
    certificate.save(update_fields=["revoked_at", "revocation_reason", "is_enabled"])
    audit_record(actor=actor, action="update", obj=certificate, changes={"revoked_at": [None, str(certificate.revoked_at)]},
                 detail="revoke")
    return certificate


def certificate_usable(certificate: SigningCertificate, *, now=None) -> None:
    """Raise ValidationError unless the certificate may sign now (enabled, not revoked, in its window)."""
    from django.utils import timezone

    now = now or timezone.now()
    if certificate.revoked_at or not certificate.is_enabled:
        raise ValidationError(_("签章证书已吊销或停用，不能签章。"))
    if not certificate.valid_from <= now <= certificate.valid_until:
        raise ValidationError(_("签章证书不在有效期内（%(a)s — %(b)s），不能签章。") % {
            "a": certificate.valid_from.date(), "b": certificate.valid_until.date()})
