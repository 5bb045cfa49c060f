"""PDF seal signatures (LIC-9.5), decision 0307: an incremental update appends a signature field whose
widget shows the seal picture, and a signature dictionary whose /Contents holds a GB/T 38540 SES_Signature
(v4, SM2-with-SM3) over SM3 of the /ByteRange bytes. The original bytes are never rewritten.

    /Type /Sig /Filter /GB.ESeal /SubFilter /GBT38540.SES_Signature /ByteRange [0 a b c] /Contents <DER…0>

``TBS_Sign.dataHash`` = SM3(bytes[0:a] ‖ bytes[b:b+c]); ``propertyInfo`` = "PDF/ByteRange". Common readers
show the seal and list the signature with an unknown handler; our verifier checks every step.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zlib
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject

from ..crypto import certs as certmod
from ..crypto.seal import assemble_signature_v4, parse_seal, parse_signature, tbs_sign_v4
from ..crypto.sm import OID_SM2_WITH_SM3, SM2PrivateKey, sm3
from .verify import FAIL, OK, SignatureReport, UNVERIFIABLE, WARN, _check_times, _check_trust

CONTENTS_BYTES = 8192
PROPERTY = "PDF/ByteRange"
MM = 72 / 25.4
BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
PLACEHOLDER = b"/ByteRange [0 0000000000 0000000000 0000000000]"


@dataclass(frozen=True)
class PdfStampPosition:
    """Seal box on a page, in mm from the page's top-left corner (like OFD)."""

    page_index: int
    x: float
    y: float
    width: float
    height: float


def _serialise(obj) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<<" + dictionary + b" /Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def _image_objects(picture: bytes) -> tuple[bytes, bytes | None, int, int]:
    """(image stream, soft-mask stream or None, width px, height px) from the seal picture."""
    img = Image.open(io.BytesIO(picture))
    img.load()
    rgba = img.convert("RGBA")
    w, h = rgba.size
    rgb = zlib.compress(rgba.convert("RGB").tobytes())
    alpha = rgba.getchannel("A")
    mask = None if alpha.getextrema() == (255, 255) else zlib.compress(alpha.tobytes())
    return rgb, mask, w, h


def _date(when: dt.datetime) -> bytes:
    return when.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%SZ").encode()


def _hexname(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def sign_pdf(data: bytes, *, seal_der: bytes, signer_cert: bytes, signer_key: SM2PrivateKey,
             position: PdfStampPosition, when: dt.datetime | None = None) -> bytes:
    """Append one seal signature to ``data`` (an unencrypted PDF with a classic or stream xref)."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ValueError("加密的 PDF 不能签章")
    if not 0 <= position.page_index < len(reader.pages):
        raise ValueError("盖章页码超出文档页数")
    page = reader.pages[position.page_index]
    page_ref = page.indirect_reference
    box = page.mediabox
    page_w, page_h = float(box.width), float(box.height)
    x0, y1 = position.x * MM + float(box.left), page_h - position.y * MM + float(box.bottom)
    w, h = position.width * MM, position.height * MM
    if position.width <= 0 or x0 < float(box.left) or y1 - h < float(box.bottom) or x0 + w > page_w + 0.01 \
            or y1 > page_h + float(box.bottom) + 0.01:
        raise ValueError(f"印章位置超出页面范围（页面 {page_w / MM:.0f}×{page_h / MM:.0f} 毫米）")
    seal = parse_seal(seal_der)
    when = (when or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    root_ref = reader.trailer.raw_get("/Root")
    size = int(reader.trailer["/Size"])
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    n_img, n_mask, n_ap, n_sig, n_widget = range(size, size + 5)
    rgb, mask, pw, ph = _image_objects(seal.picture)
    objects: dict[int, bytes] = {}
    objects[n_img] = _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                             b"/BitsPerComponent 8 /Filter /FlateDecode" % (pw, ph)
                             + (b" /SMask %d 0 R" % n_mask if mask else b""), rgb)
    if mask:
        objects[n_mask] = _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                                  b"/BitsPerComponent 8 /Filter /FlateDecode" % (pw, ph), mask)
    content = b"q %.3f 0 0 %.3f 0 0 cm /Im0 Do Q" % (w, h)
    objects[n_ap] = _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 %.3f %.3f] /Resources << /XObject "
                            b"<< /Im0 %d 0 R >> >>" % (w, h, n_img), content)
    objects[n_sig] = (b"<< /Type /Sig /Filter /GB.ESeal /SubFilter /GBT38540.SES_Signature " + PLACEHOLDER
                      + b" /Contents <" + b"0" * (2 * CONTENTS_BYTES) + b"> /M (" + _date(when) + b") /Name "
                      + _hexname(seal.name) + b" /Prop_Build << /App << /Name /HLJ-GovPlatform-Licences >> >> >>")
    objects[n_widget] = (b"<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /Rect [%.3f %.3f %.3f %.3f] "
                         b"/T (Seal%d) /V %d 0 R /P %d 0 R /AP << /N %d 0 R >> >>"
                         % (x0, y1 - h, x0 + w, y1, n_sig, n_sig, page_ref.idnum, n_ap))
    page_dict = DictionaryObject(page.get_object())
    annots = page_dict.get("/Annots")
    annots = ArrayObject(list(annots.get_object()) if annots is not None else [])
    annots.append(IndirectObject(n_widget, 0, reader))
    page_dict[NameObject("/Annots")] = annots
    objects[page_ref.idnum] = _serialise(page_dict)
    catalog = DictionaryObject(reader.trailer["/Root"].get_object())
    form = DictionaryObject(catalog["/AcroForm"].get_object()) if "/AcroForm" in catalog else DictionaryObject()
    fields = ArrayObject(list(form["/Fields"].get_object()) if "/Fields" in form else [])
    fields.append(IndirectObject(n_widget, 0, reader))
    form[NameObject("/Fields")] = fields
    form[NameObject("/SigFlags")] = NumberObject(3)
    catalog[NameObject("/AcroForm")] = form
    objects[root_ref.idnum] = _serialise(catalog)

    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Prev %d" % (n_widget + 1, root_ref.idnum, startxref)
            + (b" /Info %d 0 R" % reader.trailer.raw_get("/Info").idnum if "/Info" in reader.trailer else b"")
            + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref_at)
    # ByteRange: everything except the hex string <…> of /Contents
    start = out.index(b"/Contents <", offsets[n_sig]) + len(b"/Contents ")
    end = start + 2 * CONTENTS_BYTES + 2
    byte_range = b"/ByteRange [0 %010d %010d %010d]" % (start, end, len(out) - end)
    at = out.index(PLACEHOLDER, offsets[n_sig])
    out[at:at + len(PLACEHOLDER)] = byte_range
    digest = sm3(bytes(out[:start]) + bytes(out[end:]))
    tbs = tbs_sign_v4(seal_der=seal_der, data_hash=digest, property_info=PROPERTY, when=when)
    der = assemble_signature_v4(tbs_der=tbs, signer_cert=signer_cert, signature=signer_key.sign(tbs))
    if len(der) > CONTENTS_BYTES:
        raise ValueError("签章数据超过预留空间")
    out[start + 1:start + 1 + 2 * len(der)] = der.hex().upper().encode()
    return bytes(out)


def _der_length(der: bytes) -> int:
    if len(der) < 2:
        raise ValueError("empty")
    first = der[1]
    if first < 0x80:
        return 2 + first
    n = first & 0x7F
    return 2 + n + int.from_bytes(der[2:2 + n], "big")


def verify_pdf(data: bytes, *, at: dt.datetime | None = None, trusted_roots: list[bytes] | None = None,
               seal_status=None) -> list[SignatureReport]:
    """Per-signature reports of every /ByteRange signature in the file (empty list: unsigned)."""
    reports = []
    for i, match in enumerate(BYTE_RANGE.finditer(data)):
        a, b, c, d = (int(v) for v in match.groups())
        rep = SignatureReport(id=f"pdf{i + 1}", type="Seal", path="PDF")
        reports.append(rep)
        if a != 0 or b > c or c + d > len(data) or data[b:b + 1] != b"<" or data[c - 1:c] != b">":
            rep.add("data_hash", FAIL, "ByteRange 不合法")
            continue
        covers_all = c + d == len(data)
        try:
            raw = bytes.fromhex(data[b + 1:c - 1].decode())
            der = raw[:_der_length(raw)]
            parsed = parse_signature(der)
        except (ValueError, UnicodeDecodeError, KeyError, TypeError) as exc:
            rep.add("signer_signature", FAIL, f"签章数据无法解析：{exc}")
            continue
        seal = parsed.seal
        rep.seal_name, rep.es_id, rep.signing_time = seal.name, seal.es_id, parsed.time_info_text
        rep.signer, rep.version = certmod.subject_text(parsed.signer_cert), parsed.version
        ok_hash = parsed.data_hash == sm3(data[a:a + b] + data[c:c + d])
        rep.add("data_hash", OK if ok_hash else FAIL, "dataHash = SM3(ByteRange)" if ok_hash else "文件内容与签名摘要不符")
        if not covers_all:
            rep.add("coverage", WARN, "签名后文件有追加内容（增量更新）")
        if parsed.algorithm != OID_SM2_WITH_SM3:
            rep.add("signer_signature", UNVERIFIABLE, f"签名算法 {parsed.algorithm}")
        else:
            rep.add("signer_signature", OK if parsed.signature_valid() else FAIL,
                    "SM2-SM3 签名有效" if parsed.signature_valid() else "签章人签名无效")
        rep.add("maker_signature", OK if seal.maker_signature_valid() else FAIL,
                f"制章人 {certmod.subject_text(seal.maker_cert)}")
        listed = seal.cert_list_type != 1 or parsed.signer_cert in seal.signer_certs
        rep.add("authorisation", OK if listed else FAIL, "" if listed else "签章人证书不在印章证书列表中")
        _check_times(rep, parsed, seal, at)
        _check_trust(rep, parsed, seal, trusted_roots)
        if seal_status:
            status = seal_status(seal.es_id)
            if status is None:
                rep.add("seal_status", WARN, "印章未在本平台登记")
            else:
                rep.add("seal_status", OK if status[0] == "valid" else FAIL, status[1])
    return reports
