"""GB/T 35275 SignedData (Type="Sign" signatures and GM/T 0099 integrity lists).

ContentInfo {1.2.156.10197.6.1.4.2.2, [0] SignedData}. With signed attributes
the SM2 signature (default ID) covers their DER re-tagged as SET OF, and
messageDigest must equal SM3(content); without them it covers the content.
"""

from __future__ import annotations

import base64

from asn1crypto import cms, core

from ..crypto.certs import public_key_of, subject_text
from ..crypto.sm import normalise_signature, sm3

OID_SIGNED_DATA = "1.2.156.10197.6.1.4.2.2"


class _ContentInfo(core.Sequence):
    _fields = [("content_type", core.ObjectIdentifier), ("content", core.Any)]


def verify_signed_data(der: bytes, content: bytes) -> tuple[bool, str, str]:
    """Return (valid, detail, signer subject)."""
    try:
        info = _ContentInfo.load(der)
        if info["content_type"].dotted not in (OID_SIGNED_DATA, "1.2.840.113549.1.7.2"):
            return False, f"未知的签名数据类型 {info['content_type'].dotted}", ""
        signed = cms.SignedData.load(info["content"].contents)
        signer_info = signed["signer_infos"][0]
        cert_set = core.Sequence.load(b"\x30" + signed["certificates"].dump()[1:]) if signed["certificates"].contents else None
        if cert_set is None or not len(cert_set):
            return False, "签名数据中没有证书", ""
        cert = cert_set[0].dump()
        attrs = signer_info["signed_attrs"]
        if attrs.native:
            digest = next((a["values"][0].native for a in attrs if a["type"].native == "message_digest"), None)
            if digest is None:
                for a in attrs:
                    if a["type"].dotted == "1.2.840.113549.1.9.4":
                        digest = a["values"][0].native
            if digest != sm3(content):
                return False, "messageDigest 与内容 SM3 不符", subject_text(cert)
            signed_bytes = b"\x31" + attrs.dump()[1:]
        else:
            econtent = signed["encap_content_info"]["content"]
            embedded = econtent.parsed.native if econtent.native is not None else None
            if embedded is not None:
                if embedded not in (sm3(content), base64.b64encode(sm3(content))):
                    return False, "内嵌摘要与内容 SM3 不符", subject_text(cert)
                signed_bytes = embedded
            else:
                signed_bytes = content
        signature, raw = normalise_signature(signer_info["signature"].native)
        ok = public_key_of(cert).verify(signed_bytes, signature)
        return ok, "GB/T 35275 签名有效" if ok else "GB/T 35275 签名无效", subject_text(cert)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        return False, f"签名数据无法解析：{exc}", ""
