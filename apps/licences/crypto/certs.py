"""X.509 certificates with SM2 keys, built with asn1crypto and signed with tongsuopy.

tongsuopy 1.0.1 has no X.509 builder and ``cryptography`` cannot load SM2 keys,
so certificates are assembled here: SubjectPublicKeyInfo id-ecPublicKey with
namedCurve sm2p256v1, signature SM2-with-SM3 (1.2.156.10197.1.501) with the
default ID. The OpenSSL CLI verifies the result (tests). Decision: 0302.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from asn1crypto import core, keys, x509

from .sm import OID_SM2, OID_SM2_WITH_SM3, SM2PrivateKey, SM2PublicKey


@dataclass
class IssuedCertificate:
    """A DER certificate and the private key it certifies."""

    der: bytes
    key: SM2PrivateKey

    @property
    def pem(self) -> bytes:
        from asn1crypto import pem

        return pem.armor("CERTIFICATE", self.der)


def _spki(public: SM2PublicKey) -> keys.PublicKeyInfo:
    return keys.PublicKeyInfo({
        "algorithm": {"algorithm": "ec", "parameters": ("named", OID_SM2)},
        "public_key": public.point,
    })


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name.build({"country_name": "CN", "organization_name": organisation, "common_name": common_name})


def build_certificate(*, subject_cn: str, organisation: str, key: SM2PrivateKey,
                      issuer: IssuedCertificate | None = None, ca: bool = False,
                      not_before: dt.datetime | None = None, days: int = 365) -> IssuedCertificate:
    """Issue a certificate for ``key``; self-signed when ``issuer`` is None."""
    start = (not_before or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    subject = _name(subject_cn, organisation)
    issuer_name = x509.Certificate.load(issuer.der).subject if issuer else subject
    signing_key = issuer.key if issuer else key
    usage = {"key_cert_sign", "crl_sign", "digital_signature"} if ca else {"digital_signature", "non_repudiation"}
    extensions = [
        {"extn_id": "basic_constraints", "critical": True, "extn_value": {"ca": ca}},
        {"extn_id": "key_usage", "critical": True, "extn_value": usage},
    ]
    tbs = x509.TbsCertificate({
        "version": "v3",
        "serial_number": secrets.randbits(63) + 1,
        "signature": {"algorithm": OID_SM2_WITH_SM3},
        "issuer": issuer_name,
        "validity": {
            "not_before": x509.Time({"utc_time": start}),
            "not_after": x509.Time({"utc_time": start + dt.timedelta(days=days)}),
        },
        "subject": subject,
        "subject_public_key_info": _spki(key.public_key),
        "extensions": extensions,
    })
    cert = x509.Certificate({
        "tbs_certificate": tbs,
        "signature_algorithm": {"algorithm": OID_SM2_WITH_SM3},
        "signature_value": signing_key.sign(tbs.dump()),
    })
    return IssuedCertificate(der=cert.dump(), key=key)


def public_key_of(cert_der: bytes) -> SM2PublicKey:
    """The SM2 public point of a DER certificate (generic walk when vendor names break strict parsing)."""
    try:
        cert = x509.Certificate.load(cert_der)
        return SM2PublicKey(bytes(cert.public_key["public_key"].native))
    except ValueError:
        tbs = core.Sequence.load(cert_der)[0]
        for item in core.Sequence.load(tbs.dump()):
            raw = item.dump()
            if raw[:1] != b"\x30":
                continue
            try:
                return SM2PublicKey(bytes(keys.PublicKeyInfo.load(raw)["public_key"].native))
            except (ValueError, TypeError):
                continue
        raise


def certificate_signature_valid(cert_der: bytes, issuer_der: bytes) -> bool:
    """Check the issuer's SM2 signature over the TBSCertificate bytes as stored."""
    cert = x509.Certificate.load(cert_der)
    tbs = cert["tbs_certificate"].dump()
    return public_key_of(issuer_der).verify(tbs, cert["signature_value"].native)


def validity(cert_der: bytes) -> tuple[dt.datetime, dt.datetime]:
    cert = x509.Certificate.load(cert_der)
    return cert.not_valid_before, cert.not_valid_after


def subject_text(cert_der: bytes) -> str:
    try:
        return x509.Certificate.load(cert_der).subject.human_friendly
    except ValueError:
        return "（证书主题无法解析）"


def issued_by(cert_der: bytes, issuer_der: bytes) -> bool:
    """True when ``issuer_der`` names and signed ``cert_der`` (one level of chain)."""
    cert, issuer = x509.Certificate.load(cert_der), x509.Certificate.load(issuer_der)
    if cert.issuer != issuer.subject:
        return False
    try:
        return certificate_signature_valid(cert_der, issuer_der)
    except ValueError:
        return False
