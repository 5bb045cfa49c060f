"""Sealing an OFD package (GB/T 33190 §18 with a GB/T 38540 seal).

Order that keeps every digest valid (reference-ofd-seal.md §2.6): OFD.xml
gets its <Signatures> pointer first; the seal copy Seal.esl is written; the
References cover every entry except Signatures.xml and this signature's own
Signature.xml / SignedValue.dat (so later seals do not break this one);
Signature.xml bytes are final before dataHash = SM3(bytes) is taken;
SignedValue.dat is the DER SES_Signature. Existing entries are never
re-serialised.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from ..crypto.seal import assemble_signature_v4, tbs_sign_v4
from ..crypto.sm import OID_SM2_WITH_SM3, OID_SM3, SM2PrivateKey, sm3
from . import NS
from .package import OFDPackage, child, children, text_of
from .writer import E, _box, serialise, zip_entries

PROVIDER = {"ProviderName": "HLJ-GovPlatform-Licences", "Version": "1.0", "Company": "黑龙江省政务服务平台"}


@dataclass(frozen=True)
class StampPosition:
    """Where the seal picture goes: page index (0-based) and box in mm."""

    page_index: int
    x: float
    y: float
    width: float
    height: float


def _page_box(pkg: OFDPackage, doc, index: int) -> tuple[float, ...] | None:
    """The page's PhysicalBox (x, y, w, h in mm): its own Area if it has one, else the document's."""
    page = pkg.xml(doc.pages[index].path) if pkg.find(doc.pages[index].path) else None
    area = child(page, "Area") if page is not None else None
    box = text_of(area, "PhysicalBox") if area is not None else ""
    if box:
        return tuple(float(v) for v in box.split())
    return tuple(doc.physical_box) if getattr(doc, "physical_box", None) else None


def _check_on_page(position: StampPosition, box: tuple[float, ...] | None) -> None:
    """A seal picture must lie wholly on the page: off the page it is invisible to every reader."""
    if position.width <= 0 or position.height <= 0:
        raise ValueError("印章尺寸必须大于0")
    if box is None:
        return
    left, top, width, height = box[:4]
    if (position.x < left or position.y < top or position.x + position.width > left + width
            or position.y + position.height > top + height):
        raise ValueError(f"印章位置超出页面范围（页面 {width:g}×{height:g} 毫米，印章 {position.width:g}×"
                         f"{position.height:g} 毫米，须在页面内）")


def _add_signatures_pointer(ofd_xml: bytes, loc: str) -> bytes:
    root = etree.fromstring(ofd_xml)
    body = child(root, "DocBody")
    if child(body, "Signatures") is not None:
        return ofd_xml
    el = etree.Element(f"{{{NS}}}Signatures")
    el.text = loc
    anchor = child(body, "Versions")
    if anchor is None:
        anchor = child(body, "DocRoot")
    anchor.addnext(el)
    return serialise(root)


def _next_sign_dir(pkg: OFDPackage, signs_dir: str) -> str:
    used = {int(m.group(1)) for name in pkg.entries
            if (m := re.match(re.escape(signs_dir) + r"/Sign_(\d+)/", name))}
    return f"{signs_dir}/Sign_{max(used, default=-1) + 1}"


def _signatures_xml(existing: bytes | None, sign_loc: str) -> tuple[bytes, str, str]:
    """Append a Signature entry; returns (bytes, signature id, stamp annot id)."""
    if existing:
        root = etree.fromstring(existing)
    else:
        root = E("Signatures")
    numbers = [int(m.group(1)) for el in root.iter() for v in [el.get("ID") or el.text or ""]
               if (m := re.fullmatch(r"s(\d+)", v.strip()))]
    base = max(numbers, default=0)
    sig_id, stamp_id = f"s{base + 1:03d}", f"s{base + 2:03d}"
    for old in children(root, "MaxSignId"):
        root.remove(old)
    max_el = etree.Element(f"{{{NS}}}MaxSignId")
    max_el.text = stamp_id
    root.insert(0, max_el)
    E("Signature", {"ID": sig_id, "Type": "Seal", "BaseLoc": sign_loc}, parent=root)
    return serialise(root), sig_id, stamp_id


def sign_ofd(data: bytes, *, seal_der: bytes, signer_cert: bytes, signer_key: SM2PrivateKey,
             position: StampPosition, when: dt.datetime | None = None) -> bytes:
    """Return the package with one more v4 seal signature."""
    return zip_entries(sign_entries(OFDPackage(data), seal_der=seal_der, signer_cert=signer_cert,
                                    signer_key=signer_key, position=position, when=when))


def sign_entries(pkg: OFDPackage, *, seal_der: bytes, signer_cert: bytes, signer_key: SM2PrivateKey,
                 position: StampPosition, when: dt.datetime | None = None) -> dict[str, bytes]:
    """Seal an opened package; returns the new entries (``OFDPackage.from_entries`` avoids a ZIP round trip)."""
    prepared = prepare_entries(pkg, seal_der=seal_der, position=position, when=when)
    return prepared.complete(signer_cert=signer_cert, signature=signer_key.sign(prepared.tbs_der))


@dataclass
class PreparedSignature:
    """A package with everything of one more seal signature except the signer's SM2 signature:
    ``tbs_der`` is the TBS_Sign to sign (by the key store, or by a UKey on the client, LIC-9.4)."""

    files: dict[str, bytes]
    value_path: str
    tbs_der: bytes

    def complete(self, *, signer_cert: bytes, signature: bytes) -> dict[str, bytes]:
        files = dict(self.files)
        files[self.value_path] = assemble_signature_v4(tbs_der=self.tbs_der, signer_cert=signer_cert,
                                                       signature=signature)
        return files


def prepare_entries(pkg: OFDPackage, *, seal_der: bytes, position: StampPosition,
                    when: dt.datetime | None = None) -> PreparedSignature:
    """Everything of the signature that does not need the private key; deterministic for the same inputs."""
    doc = pkg.bodies[0]
    if not 0 <= position.page_index < len(doc.pages):
        raise ValueError("盖章页码超出文档页数")
    _check_on_page(position, _page_box(pkg, doc, position.page_index))
    files = dict(pkg.entries)
    doc_dir = doc.doc_root.rsplit("/", 1)[0]
    signatures_path = doc.signatures or f"{doc_dir}/Signs/Signatures.xml"
    files["OFD.xml"] = _add_signatures_pointer(files["OFD.xml"], signatures_path)
    sign_dir = _next_sign_dir(pkg, signatures_path.rsplit("/", 1)[0])
    signature_path, value_path, seal_path = (f"{sign_dir}/Signature.xml", f"{sign_dir}/SignedValue.dat",
                                             f"{sign_dir}/Seal.esl")
    files[seal_path] = seal_der
    sigs_bytes, _sig_id, stamp_id = _signatures_xml(files.get(signatures_path), "/" + signature_path)
    files[signatures_path] = sigs_bytes

    when = (when or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    root = E("Signature")
    info = E("SignedInfo", parent=root)
    E("Provider", PROVIDER, parent=info)
    E("SignatureMethod", text=OID_SM2_WITH_SM3, parent=info)
    E("SignatureDateTime", text=when.strftime("%Y%m%d%H%M%SZ"), parent=info)
    refs = E("References", {"CheckMethod": OID_SM3}, parent=info)
    for name in files:
        if name in (signatures_path, signature_path, value_path):
            continue
        ref = E("Reference", {"FileRef": "/" + name}, parent=refs)
        E("CheckValue", text=base64.b64encode(sm3(files[name])).decode(), parent=ref)
    E("StampAnnot", {"ID": stamp_id, "PageRef": doc.pages[position.page_index].id,
                     "Boundary": _box(position.x, position.y, position.width, position.height)}, parent=info)
    seal_el = E("Seal", parent=info)
    E("BaseLoc", text="/" + seal_path, parent=seal_el)
    E("SignedValue", text="/" + value_path, parent=root)
    signature_bytes = serialise(root)
    files[signature_path] = signature_bytes
    tbs_der = tbs_sign_v4(seal_der=seal_der, data_hash=sm3(signature_bytes), property_info="/" + signature_path,
                          when=when)
    return PreparedSignature(files=files, value_path=value_path, tbs_der=tbs_der)
