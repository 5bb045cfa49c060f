"""ASN.1 (DER) of the electronic seal and signature structures.

v4 = GB/T 38540-2020, v1 = GM/T 0031-2014. Field names follow the standards'
names as used by ofdrw and the Chingliu verifier (see
docs/decisions/0301-licences-seal-structures.md). Readers keep the raw TLV
slices (``.dump()`` of an unmodified parsed value returns the original
bytes in asn1crypto) so that signatures are verified over the bytes as stored.
"""

from asn1crypto import core, parser


class SESHeader(core.Sequence):
    _fields = [("id", core.IA5String), ("version", core.Integer), ("vid", core.IA5String)]


class CertInfoList(core.SequenceOf):
    _child_spec = core.OctetString


class AnyList(core.SequenceOf):
    """Lenient list: vendors put other string types where OCTET STRINGs are specified."""

    _child_spec = core.Any


class CertDigestObj(core.Sequence):
    _fields = [("type", core.PrintableString), ("value", core.OctetString)]


class CertDigestList(core.SequenceOf):
    _child_spec = CertDigestObj


class ExtData(core.Sequence):
    _fields = [
        ("extn_id", core.ObjectIdentifier),
        ("critical", core.Boolean),
        ("extn_value", core.OctetString),
    ]


class ExtensionDatas(core.SequenceOf):
    _child_spec = ExtData


class SESPictureInfo(core.Sequence):
    """SES_ESPictrueInfo: type (PNG/JPG/OFD…), data, width and height in mm."""

    _fields = [
        ("type", core.IA5String),
        ("data", core.OctetString),
        ("width", core.Integer),
        ("height", core.Integer),
    ]


# ---------------------------------------------------------------- v4

class SESPropertyInfoV4(core.Sequence):
    """certList is an untagged CHOICE chosen by certListType; kept as Any and decoded on demand."""

    _fields = [
        ("type", core.Integer),
        ("name", core.UTF8String),
        ("cert_list_type", core.Integer),
        ("cert_list", core.Any),
        ("create_date", core.GeneralizedTime),
        ("valid_start", core.GeneralizedTime),
        ("valid_end", core.GeneralizedTime),
    ]


class SESSealInfoV4(core.Sequence):
    _fields = [
        ("header", SESHeader),
        ("es_id", core.IA5String),
        ("property", SESPropertyInfoV4),
        ("picture", SESPictureInfo),
        ("ext_datas", ExtensionDatas, {"optional": True}),
    ]


class SESealV4(core.Sequence):
    _fields = [
        ("e_seal_info", SESSealInfoV4),
        ("cert", core.OctetString),
        ("sign_alg_id", core.ObjectIdentifier),
        ("signed_value", core.OctetBitString),
    ]


class TBSSignV4(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("eseal", SESealV4),
        ("time_info", core.GeneralizedTime),
        ("data_hash", core.OctetBitString),
        ("property_info", core.IA5String),
        ("ext_datas", ExtensionDatas, {"explicit": 0, "optional": True}),
    ]


class SESSignatureV4(core.Sequence):
    _fields = [
        ("to_sign", TBSSignV4),
        ("cert", core.OctetString),
        ("signature_alg_id", core.ObjectIdentifier),
        ("signature", core.OctetBitString),
        ("time_stamp", core.Any, {"optional": True}),
    ]


# ---------------------------------------------------------------- v1

class SESPropertyInfoV1(core.Sequence):
    """Dates are UTCTime by the standard; GeneralizedTime seen in the wild, so kept as Any."""

    _fields = [
        ("type", core.Integer),
        ("name", core.UTF8String),
        ("cert_list", AnyList),
        ("create_date", core.Any),
        ("valid_start", core.Any),
        ("valid_end", core.Any),
    ]


class SESSealInfoV1(core.Sequence):
    _fields = [
        ("header", SESHeader),
        ("es_id", core.IA5String),
        ("property", SESPropertyInfoV1),
        ("picture", SESPictureInfo),
        ("ext_datas", core.Any, {"optional": True}),
    ]


class SESSignInfoV1(core.Sequence):
    _fields = [
        ("cert", core.OctetString),
        ("signature_algorithm", core.ObjectIdentifier),
        ("sign_data", core.Any),
    ]


class SESealV1(core.Sequence):
    _fields = [("e_seal_info", SESSealInfoV1), ("sign_info", SESSignInfoV1)]


class TBSSignV1(core.Sequence):
    _fields = [
        ("version", core.Integer),
        ("eseal", SESealV1),
        ("time_info", core.Any),
        ("data_hash", core.Any),
        ("property_info", core.IA5String),
        ("cert", core.OctetString),
        ("signature_algorithm", core.ObjectIdentifier),
    ]


class SESSignatureV1(core.Sequence):
    _fields = [("to_sign", TBSSignV1), ("signature", core.Any)]


def bit_or_octet_contents(value) -> bytes:
    """Contents of a BIT STRING (minus the unused-bits octet) or of a lenient OCTET STRING."""
    if isinstance(value, core.OctetBitString):
        return value.contents[1:]
    _cls, _method, tag, _header, contents, _trailer = parser.parse(value.dump())
    return contents[1:] if tag == 3 else contents


def any_time(value):
    """Decode a UTCTime or GeneralizedTime held in an Any (v1 dates); None when it is neither."""
    raw = value.dump()
    if raw[:1] == b"\x17":
        return core.UTCTime.load(raw).native
    if raw[:1] == b"\x18":
        return core.GeneralizedTime.load(raw).native
    return None


def element_count(der: bytes) -> int:
    """Number of elements of a top-level SEQUENCE (version detection, §3.4 of the reference)."""
    seq = core.Sequence.load(der)
    return len(seq)
