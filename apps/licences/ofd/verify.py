"""Verification of sealed / signed OFD packages from any producer.

Every signature gets an ordered list of steps (reference-ofd-seal.md §5.1):
references (SM3 CheckValues), coverage, document binding (dataHash),
signer signature, seal copy, maker signature, authorisation (signer in the
seal's certificate list), seal validity window, certificates (validity and,
when roots are configured, chain), and platform status of the seal. Each step
is ok / warn / fail / unverifiable / skipped, so the report says which step
failed. Nothing is ever reported valid that was not checked.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from ..crypto import certs as certmod
from ..crypto.seal import parse_signature
from ..crypto.sm import OID_SM2_WITH_SM3, SM2PublicKey, der_to_rs, sm3, verify_digest, z_value
from .package import OFDError, OFDPackage, child, children, descendants, text_of
from .signeddata import verify_signed_data

OK, WARN, FAIL, UNVERIFIABLE, SKIPPED = "ok", "warn", "fail", "unverifiable", "skipped"
LABELS = {
    "package": "文件结构", "references": "文件摘要", "coverage": "保护范围", "data_hash": "签章与文档绑定",
    "signer_signature": "签章人签名", "seal_match": "印章副本一致", "maker_signature": "制章人签名",
    "authorisation": "签章人授权", "seal_validity": "印章有效期", "certificate": "证书有效性",
    "seal_status": "印章状态", "trust": "证书链", "entries": "完整性清单",
}
DIGESTS = {"1.2.156.10197.1.401": "sm3", "sm3": "sm3", "1.2.156.10197.1.401.1": "sm3",
           "1.2.156.10197.1.401.2": "sm3-keyed", "md5": "md5", "sha1": "sha1", "sha256": "sha256"}


@dataclass
class Step:
    key: str
    status: str
    detail: str = ""

    @property
    def label(self) -> str:
        return LABELS.get(self.key, self.key)


@dataclass
class SignatureReport:
    """Per-signature result; ``verdict`` is the worst step."""

    id: str
    type: str
    path: str
    steps: list[Step] = field(default_factory=list)
    seal_name: str = ""
    es_id: str = ""
    signer: str = ""
    signing_time: str = ""
    version: int | None = None
    covered: set[str] = field(default_factory=set)

    def add(self, key: str, status: str, detail: str = "") -> None:
        self.steps.append(Step(key, status, detail))

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)

    @property
    def verdict(self) -> str:
        statuses = {s.status for s in self.steps}
        for status in (FAIL, UNVERIFIABLE):
            if status in statuses:
                return status
        return "valid"

    @property
    def failed_steps(self) -> list[str]:
        return [s.key for s in self.steps if s.status == FAIL]


@dataclass
class VerificationReport:
    signatures: list[SignatureReport] = field(default_factory=list)
    package_steps: list[Step] = field(default_factory=list)
    unprotected: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if any(s.status == FAIL for s in self.package_steps):
            return FAIL
        if not self.signatures:
            return "unsigned"
        verdicts = {s.verdict for s in self.signatures}
        return FAIL if FAIL in verdicts else UNVERIFIABLE if UNVERIFIABLE in verdicts else "valid"


def _digest(method: str, data: bytes, key_point: bytes | None) -> bytes | None:
    import hashlib

    kind = DIGESTS.get((method or "md5").strip().lower())
    if kind == "sm3":
        return sm3(data)
    if kind == "sm3-keyed":
        # GM/T 0006 "SM3 with key": SM3(Z_A || data) with the signer's public key (reproduces iOFD files).
        return sm3(z_value(key_point) + data) if key_point else None
    if kind in ("md5", "sha1", "sha256"):
        return hashlib.new(kind, data).digest()
    return None


def _resolve_signature_loc(pkg: OFDPackage, loc: str, signatures_path: str) -> str:
    for candidate in (pkg.resolve(loc, signatures_path), pkg.resolve(loc, "", "")):
        if pkg.find(candidate) is not None:
            return pkg.find(candidate)
    return pkg.resolve(loc, signatures_path)


def verify_ofd(data: bytes, *, at: dt.datetime | None = None, trusted_roots: list[bytes] | None = None,
               extra_certs: list[bytes] | None = None,
               seal_status: Callable[[str], tuple[str, str] | None] | None = None) -> VerificationReport:
    """Verify every signature in ``data``. ``seal_status(es_id)`` returns (status, detail) from the seal platform."""
    report = VerificationReport()
    try:
        pkg = OFDPackage(data)
    except OFDError as exc:
        report.package_steps.append(Step("package", FAIL, str(exc)))
        return report
    report.package_steps.append(Step("package", WARN if pkg.warnings else OK, "; ".join(pkg.warnings)))
    for doc in pkg.bodies:
        for warning in doc.warnings:
            report.package_steps.append(Step("package", WARN, warning))
        if doc.signatures and pkg.find(doc.signatures) is not None:
            sigs_path = pkg.find(doc.signatures)
            sigs = pkg.xml(sigs_path)
            for sig_el in children(sigs, "Signature"):
                loc = _resolve_signature_loc(pkg, sig_el.get("BaseLoc", ""), sigs_path)
                rep = SignatureReport(id=sig_el.get("ID", ""), type=sig_el.get("Type", "Seal") or "Seal", path=loc)
                try:
                    _verify_one(pkg, rep, at=at, roots=trusted_roots, extra_certs=extra_certs or [],
                                seal_status=seal_status, later=len(children(sigs, "Signature")) > 1)
                except (OFDError, ValueError, KeyError) as exc:
                    rep.add("package", FAIL, f"签名结构无法解析：{exc}")
                report.signatures.append(rep)
        elif doc.signatures:
            report.package_steps.append(Step("package", FAIL, f"签名列表 {doc.signatures} 不存在"))
    if pkg.find("OFDEntries.xml"):
        report.signatures.append(_verify_entries(pkg, extra_certs or []))
    if report.signatures:
        covered = set().union(*(s.covered for s in report.signatures))
        report.unprotected = sorted(n for n in pkg.entries if n not in covered and not n.endswith("Signatures.xml"))
    return report


def _verify_one(pkg, rep, *, at, roots, extra_certs, seal_status, later):
    sig_xml_raw = pkg.read(rep.path)
    sig_xml = pkg.xml(rep.path)
    info = child(sig_xml, "SignedInfo")
    value_loc = text_of(sig_xml, "SignedValue")
    value_path = pkg.resolve(value_loc, rep.path)
    rep.covered.update({rep.path, pkg.find(value_path) or value_path})
    raw_value = pkg.read(value_path)
    parsed = None
    key_point = None
    if rep.type == "Seal":
        parsed = parse_signature(raw_value)
        rep.version = parsed.version
        key_point = certmod.public_key_of(parsed.signer_cert).point
    refs = child(info, "References")
    method = refs.get("CheckMethod", "MD5") if refs is not None else "MD5"
    _check_references(pkg, rep, refs, method, key_point, later)
    if rep.type == "Seal":
        _check_seal_signature(pkg, rep, info, sig_xml_raw, parsed, method, key_point, at, roots, seal_status)
    else:
        _check_plain_signature(rep, sig_xml_raw, raw_value, extra_certs)


def _check_references(pkg, rep, refs, method, key_point, later):
    failures, missing, count = [], [], 0
    for ref in descendants(refs, "Reference") if refs is not None else []:
        count += 1
        path = pkg.resolve(ref.get("FileRef", ""), rep.path)
        name = pkg.find(path)
        if name is None:
            missing.append(path)
            continue
        rep.covered.add(name)
        want = base64.b64decode(text_of(ref, "CheckValue") or "")
        got = _digest(method, pkg.entries[name], key_point)
        if got is None:
            rep.add("references", UNVERIFIABLE, f"不支持的摘要算法 {method}")
            return
        if got != want:
            failures.append(name)
    if failures or missing:
        rep.add("references", FAIL, "摘要不符：" + ", ".join(failures + [f"缺失 {m}" for m in missing]))
    else:
        note = f"{count} 个文件摘要一致（{method}）"
        rep.add("references", WARN if method.endswith(".401.2") else OK,
                note + ("；带密钥 SM3（Z 值）" if method.endswith(".401.2") else ""))
    notes = []
    if "OFD.xml" not in rep.covered:
        notes.append("OFD.xml 未受保护")
    sig_lists = [n for n in rep.covered if n.endswith("Signatures.xml")]
    if sig_lists:
        notes.append("签名保护了 Signatures.xml，后续签章会使其失效" if not later else
                     "签名保护了 Signatures.xml（已被后续签章修改）")
    rep.add("coverage", WARN if notes else OK, "；".join(notes))


def _time_ok(start, end, when) -> bool:
    return bool(start and end and when and start <= when <= end)


def _check_seal_signature(pkg, rep, info, sig_xml_raw, parsed, method, key_point, at, roots, seal_status):
    seal = parsed.seal
    rep.seal_name, rep.es_id, rep.signing_time = seal.name, seal.es_id, parsed.time_info_text
    rep.signer = certmod.subject_text(parsed.signer_cert)
    # binding
    expected = sm3(sig_xml_raw)
    if parsed.data_hash == expected:
        rep.add("data_hash", OK, "dataHash = SM3(Signature.xml)")
    elif method.endswith(".401.2") and parsed.data_hash == sm3(z_value(key_point) + sig_xml_raw):
        rep.add("data_hash", WARN, "dataHash 为带密钥 SM3")
    else:
        rep.add("data_hash", FAIL, "Signature.xml 与 dataHash 不符")
    # signer signature
    note = "；签名值为裸 r‖s（非 DER，已转换）" if parsed.signature_raw else ""
    if parsed.algorithm != OID_SM2_WITH_SM3:
        rep.add("signer_signature", UNVERIFIABLE, f"签名算法 {parsed.algorithm}")
    elif parsed.signature_valid():
        rep.add("signer_signature", WARN if note else OK, "SM2-SM3 签名有效" + note)
    elif verify_digest(key_point, parsed.data_hash, parsed.signature):
        rep.add("signer_signature", WARN, "签名仅覆盖 dataHash（非标准）" + note)
    else:
        rep.add("signer_signature", FAIL, "签章人签名无效" + note)
    # seal copy
    seal_loc = child(info, "Seal")
    if seal_loc is not None and text_of(seal_loc, "BaseLoc"):
        path = pkg.find(pkg.resolve(text_of(seal_loc, "BaseLoc"), rep.path))
        same = path is not None and pkg.entries[path] == parsed.seal_der
        rep.add("seal_match", OK if same else FAIL, "" if same else "Seal.esl 与签章数据中的印章不一致")
    # maker signature
    rep.add("maker_signature", OK if seal.maker_signature_valid() else FAIL,
            f"{'v4' if seal.version == 4 else 'v1'} 印章，制章人 {certmod.subject_text(seal.maker_cert)}")
    # authorisation
    if seal.cert_list_type == 1:
        listed = parsed.signer_cert in seal.signer_certs
        rep.add("authorisation", OK if listed else FAIL, "" if listed else "签章人证书不在印章证书列表中")
    else:
        rep.add("authorisation", UNVERIFIABLE, "证书摘要列表（摘要算法未定）")
    _check_times(rep, parsed, seal, at)
    _check_trust(rep, parsed, seal, roots)
    if seal_status:
        status = seal_status(seal.es_id)
        if status is None:
            rep.add("seal_status", WARN, "印章未在本平台登记")
        else:
            rep.add("seal_status", OK if status[0] == "valid" else FAIL, status[1])


def _check_times(rep, parsed, seal, at):
    when = parsed.time_info
    problems, warnings = [], []
    if when is None:
        problems.append("签章时间无法解析")
    elif not _time_ok(seal.valid_start, seal.valid_end, when):
        problems.append(f"签章时间 {when:%Y-%m-%d} 不在印章有效期 {seal.valid_start:%Y-%m-%d}—{seal.valid_end:%Y-%m-%d} 内")
    rep.add("seal_validity", FAIL if problems else OK, "；".join(problems))
    start, end = certmod.validity(parsed.signer_cert)
    if when is not None and not _time_ok(start, end, when):
        rep.add("certificate", FAIL, f"签章时签章人证书不在有效期（{start:%Y-%m-%d}—{end:%Y-%m-%d}）")
        return
    mstart, mend = certmod.validity(seal.maker_cert)
    if seal.create_date and not _time_ok(mstart, mend, seal.create_date):
        warnings.append(f"印章制作日期 {seal.create_date:%Y-%m-%d} 不在制章人证书有效期内（{mstart:%Y-%m-%d} 起）")
    now = at or dt.datetime.now(dt.timezone.utc)
    if end < now:
        warnings.append(f"签章人证书已于 {end:%Y-%m-%d} 过期（签章时有效）")
    rep.add("certificate", WARN if warnings else OK, "；".join(warnings))


def _check_trust(rep, parsed, seal, roots):
    if not roots:
        return
    for label, cert in (("签章人", parsed.signer_cert), ("制章人", seal.maker_cert)):
        if not any(certmod.issued_by(cert, root) for root in roots):
            rep.add("trust", FAIL, f"{label}证书不是由受信任的根证书签发")
            return
    rep.add("trust", OK, "证书链可信")


def _check_plain_signature(rep, sig_xml_raw, raw_value, extra_certs):
    """Type="Sign": GB/T 35275 SignedData, or a bare DER SEQUENCE{r,s} (old ofdrw) checked with given certs."""
    try:
        der_to_rs(raw_value)
        bare = True
    except ValueError:
        bare = False
    if not bare:
        ok, detail, signer = verify_signed_data(raw_value, sig_xml_raw)
        rep.signer = signer
        rep.add("signer_signature", OK if ok else FAIL, detail)
        return
    for cert in extra_certs:
        if certmod.public_key_of(cert).verify(sig_xml_raw, raw_value):
            rep.signer = certmod.subject_text(cert)
            rep.add("signer_signature", WARN, "裸 SM2 签名（无证书），用外部提供的证书验证通过")
            return
    rep.add("signer_signature", UNVERIFIABLE, "裸 SM2 签名，文件中没有证书")


def _verify_entries(pkg, extra_certs) -> SignatureReport:
    """GM/T 0099 integrity protection: OFDEntries.xml lists the files; its SignedValueLoc signs the list."""
    rep = SignatureReport(id="entries", type="Integrity", path="OFDEntries.xml")
    raw = pkg.read("OFDEntries.xml")
    root = pkg.xml("OFDEntries.xml")
    listed = {pkg.find(pkg.resolve(f.get("FileLoc", ""), "OFDEntries.xml")) for f in descendants(root, "File")}
    value_path = pkg.find(pkg.resolve(text_of(root, "SignedValueLoc"), "OFDEntries.xml"))
    rep.covered = {n for n in listed if n} | {"OFDEntries.xml", value_path}
    extra = sorted(n for n in pkg.entries if n not in rep.covered)
    missing = None in listed
    has_digests = any(f.get("CheckValue") or child(f, "CheckValue") is not None for f in descendants(root, "File"))
    if missing or extra:
        rep.add("entries", FAIL, f"清单外文件：{', '.join(extra)}" if extra else "清单中的文件缺失")
    else:
        rep.add("entries", WARN if not has_digests else OK, "" if has_digests else "清单不含文件摘要，仅保护文件列表")
    ok, detail, signer = verify_signed_data(pkg.entries[value_path], raw) if value_path else (False, "缺少签名值", "")
    rep.signer = signer
    rep.add("signer_signature", OK if ok else FAIL, detail)
    return rep


def public_key(point: bytes) -> SM2PublicKey:
    return SM2PublicKey(point)
