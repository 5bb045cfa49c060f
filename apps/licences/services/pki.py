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
    return [c.der_bytes for c in SigningCertificate.objects.filter(kind=CertificateKind.CA, is_enabled=True)]
