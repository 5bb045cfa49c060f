"""Electronic seals (SESeal) and seal signatures (SES_Signature), v4 and v1.

``make_seal_v4`` is what the seal-making system (制章系统) does: it signs the
seal information with the maker's key. ``sign_data_v4`` is what a signer does
when sealing a document: it wraps the seal, the signing time and the digest of
the protected data in TBS_Sign and signs it. ``parse_seal`` / ``parse_signature``
read both GB/T 38540 (v4) and GM/T 0031 (v1) structures from any producer and
keep the raw bytes every signature covers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from asn1crypto import core

from . import asn1
from .certs import public_key_of
from .sm import OID_SM2_WITH_SM3, SM2PrivateKey, normalise_signature

SEAL_VENDOR_ID = "HLJGOV"


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).replace(microsecond=0)


def make_seal_v4(*, es_id: str, name: str, seal_type: int, signer_certs: list[bytes],
                 picture: bytes, picture_type: str, width_mm: int, height_mm: int,
                 valid_start: dt.datetime, valid_end: dt.datetime,
                 maker_cert: bytes, maker_key: SM2PrivateKey,
                 created: dt.datetime | None = None) -> bytes:
    """Build and sign a GB/T 38540 SESeal; returns its DER."""
    if not signer_certs:
        raise ValueError("a seal needs at least one signer certificate")
    created = _utc(created or dt.datetime.now(dt.timezone.utc))
    cert_list = asn1.CertInfoList(signer_certs)
    info = asn1.SESSealInfoV4({
        "header": {"id": "ES", "version": 4, "vid": SEAL_VENDOR_ID},
        "es_id": es_id,
        "property": {
            "type": seal_type,
            "name": name,
            "cert_list_type": 1,
            "cert_list": core.Any.load(cert_list.dump()),
            "create_date": created,
            "valid_start": _utc(valid_start),
            "valid_end": _utc(valid_end),
        },
        "picture": {"type": picture_type, "data": picture, "width": width_mm, "height": height_mm},
    })
    info_der = info.dump()
    seal = asn1.SESealV4({
        "e_seal_info": asn1.SESSealInfoV4.load(info_der),
        "cert": maker_cert,
        "sign_alg_id": OID_SM2_WITH_SM3,
        "signed_value": maker_key.sign(info_der),
    })
    return seal.dump()


def tbs_sign_v4(*, seal_der: bytes, data_hash: bytes, property_info: str, when: dt.datetime | None = None) -> bytes:
    """DER of the GB/T 38540 TBS_Sign the signer's key signs (prepared server-side for a UKey)."""
    return asn1.TBSSignV4({
        "version": 4,
        "eseal": asn1.SESealV4.load(seal_der),
        "time_info": _utc(when or dt.datetime.now(dt.timezone.utc)),
        "data_hash": data_hash,
        "property_info": property_info,
    }).dump()


def assemble_signature_v4(*, tbs_der: bytes, signer_cert: bytes, signature: bytes) -> bytes:
    """SES_Signature from a TBS_Sign and the signer's DER SM2 signature over it."""
    return asn1.SESSignatureV4({
        "to_sign": asn1.TBSSignV4.load(tbs_der),
        "cert": signer_cert,
        "signature_alg_id": OID_SM2_WITH_SM3,
        "signature": signature,
    }).dump()


def sign_data_v4(*, seal_der: bytes, data_hash: bytes, property_info: str,
                 signer_cert: bytes, signer_key: SM2PrivateKey, when: dt.datetime | None = None) -> bytes:
    """Build and sign a GB/T 38540 SES_Signature; returns its DER (SignedValue.dat)."""
    tbs_der = tbs_sign_v4(seal_der=seal_der, data_hash=data_hash, property_info=property_info, when=when)
    return assemble_signature_v4(tbs_der=tbs_der, signer_cert=signer_cert, signature=signer_key.sign(tbs_der))


@dataclass
class ParsedSeal:
    """Decoded seal with the exact bytes its maker signature covers."""

    version: int
    der: bytes
    header_version: int
    vendor: str
    es_id: str
    name: str
    seal_type: int
    cert_list_type: int
    signer_certs: list[bytes]
    cert_digests: list[tuple[str, bytes]]
    create_date: dt.datetime | None
    valid_start: dt.datetime | None
    valid_end: dt.datetime | None
    picture_type: str
    picture: bytes
    width_mm: int
    height_mm: int
    maker_cert: bytes
    signed_bytes: bytes
    maker_signature: bytes
    maker_signature_raw: bool = False

    def maker_signature_valid(self) -> bool:
        return public_key_of(self.maker_cert).verify(self.signed_bytes, self.maker_signature)


def parse_seal(der: bytes) -> ParsedSeal:
    """Decode a SESeal of either version (chosen by element count, reference §3.4)."""
    count = asn1.element_count(der)
    if count == 2:
        return _parse_seal_v1(der)
    return _parse_seal_v4(der)


def _parse_seal_v4(der: bytes) -> ParsedSeal:
    seal = asn1.SESealV4.load(der)
    info = seal["e_seal_info"]
    prop = info["property"]
    list_type = prop["cert_list_type"].native
    certs, digests = [], []
    if list_type == 1:
        certs = [c.native for c in asn1.CertInfoList.load(prop["cert_list"].dump())]
    else:
        digests = [(d["type"].native, d["value"].native) for d in asn1.CertDigestList.load(prop["cert_list"].dump())]
    sig, raw = normalise_signature(seal["signed_value"].contents[1:])
    pic = info["picture"]
    return ParsedSeal(
        version=4, der=der, header_version=info["header"]["version"].native,
        vendor=info["header"]["vid"].native, es_id=info["es_id"].native, name=prop["name"].native,
        seal_type=prop["type"].native, cert_list_type=list_type, signer_certs=certs, cert_digests=digests,
        create_date=prop["create_date"].native, valid_start=prop["valid_start"].native,
        valid_end=prop["valid_end"].native, picture_type=pic["type"].native, picture=pic["data"].native,
        width_mm=pic["width"].native, height_mm=pic["height"].native, maker_cert=seal["cert"].native,
        signed_bytes=info.dump(), maker_signature=sig, maker_signature_raw=raw,
    )


def _parse_seal_v1(der: bytes) -> ParsedSeal:
    seal = asn1.SESealV1.load(der)
    info = seal["e_seal_info"]
    prop = info["property"]
    sign_info = seal["sign_info"]
    # GM/T 0031: the maker signs DER SEQUENCE{sealInfo, cert, signatureAlgorithm}.
    covered = core.Sequence()
    covered.contents = info.dump() + sign_info["cert"].dump() + sign_info["signature_algorithm"].dump()
    sig, raw = normalise_signature(asn1.bit_or_octet_contents(sign_info["sign_data"]))
    pic = info["picture"]
    return ParsedSeal(
        version=1, der=der, header_version=info["header"]["version"].native,
        vendor=info["header"]["vid"].native, es_id=info["es_id"].native, name=prop["name"].native,
        seal_type=prop["type"].native, cert_list_type=1, signer_certs=[asn1.bit_or_octet_contents(c) for c in prop["cert_list"]],
        cert_digests=[], create_date=asn1.any_time(prop["create_date"]),
        valid_start=asn1.any_time(prop["valid_start"]), valid_end=asn1.any_time(prop["valid_end"]),
        picture_type=pic["type"].native, picture=pic["data"].native, width_mm=pic["width"].native,
        height_mm=pic["height"].native, maker_cert=sign_info["cert"].native, signed_bytes=covered.dump(),
        maker_signature=sig, maker_signature_raw=raw,
    )


@dataclass
class ParsedSignature:
    """Decoded SES_Signature with the TBS_Sign bytes the signer's signature covers."""

    version: int
    seal: ParsedSeal
    seal_der: bytes
    time_info: dt.datetime | None
    time_info_text: str
    data_hash: bytes
    property_info: str
    signer_cert: bytes
    algorithm: str
    tbs_bytes: bytes
    signature: bytes
    signature_raw: bool
    has_timestamp: bool = False
    notes: list[str] = field(default_factory=list)

    def signature_valid(self) -> bool:
        return public_key_of(self.signer_cert).verify(self.tbs_bytes, self.signature)


def parse_signature(der: bytes) -> ParsedSignature:
    """Decode SignedValue.dat of Type="Seal" (v4 by 4–5 elements, v1 by 2)."""
    if asn1.element_count(der) == 2:
        return _parse_signature_v1(der)
    sig = asn1.SESSignatureV4.load(der)
    tbs = sig["to_sign"]
    seal_der = tbs["eseal"].dump()
    value, raw = normalise_signature(sig["signature"].contents[1:])
    time_info = tbs["time_info"].native
    return ParsedSignature(
        version=4, seal=parse_seal(seal_der), seal_der=seal_der, time_info=time_info,
        time_info_text=time_info.isoformat() if time_info else "", data_hash=tbs["data_hash"].contents[1:],
        property_info=tbs["property_info"].native, signer_cert=sig["cert"].native,
        algorithm=sig["signature_alg_id"].dotted, tbs_bytes=tbs.dump(), signature=value, signature_raw=raw,
        has_timestamp=sig["time_stamp"].native is not None if "time_stamp" in sig else False,
    )


def _parse_signature_v1(der: bytes) -> ParsedSignature:
    sig = asn1.SESSignatureV1.load(der)
    tbs = sig["to_sign"]
    seal_der = tbs["eseal"].dump()
    value, raw = normalise_signature(asn1.bit_or_octet_contents(sig["signature"]))
    time_text = asn1.bit_or_octet_contents(tbs["time_info"]).decode("utf-8", "replace")
    return ParsedSignature(
        version=1, seal=parse_seal(seal_der), seal_der=seal_der, time_info=_parse_loose_time(time_text),
        time_info_text=time_text, data_hash=asn1.bit_or_octet_contents(tbs["data_hash"]),
        property_info=tbs["property_info"].native, signer_cert=tbs["cert"].native,
        algorithm=tbs["signature_algorithm"].dotted, tbs_bytes=tbs.dump(), signature=value, signature_raw=raw,
    )


def _parse_loose_time(text: str) -> dt.datetime | None:
    """v1 timeInfo carries free text such as '2020-01-25T07:31:56.377Z' or 'yyyy-MM-dd HH:mm:ss'."""
    cleaned = text.strip().replace("Z", "+00:00")
    for candidate in (cleaned, cleaned.replace(" ", "T")):
        try:
            value = dt.datetime.fromisoformat(candidate)
            return value if value.tzinfo else value.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
        except ValueError:
            continue
    return None
