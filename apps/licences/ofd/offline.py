"""Offline protection of layout documents (版式文档离线保护, LIC-3.3), decision 0309.

A sealed OFD already protects itself: every package file is covered by the SM3 references of its seal
signature, the seal (with the maker's signature and the signer certificate list) and the signer certificate
travel inside it. What an offline verifier lacks is the trust anchor. The offline bundle is a ZIP with

    licence.ofd        the sealed file, unchanged
    roots/<sm3>.cer    the root certificates that issued the seal maker's and signer's certificates
    manifest.json      {"ofd_sm3": …, "roots": [sm3 …], "made_at": …}

``verify_bundle`` needs no network and no database: it checks the manifest digests, then runs the full
per-step verification with the bundled roots. The roots are pinned by their SM3 fingerprints, which the
platform publishes (and prints on the verification page): a bundle whose roots were swapped fails."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

from ..crypto.sm import sm3
from .verify import FAIL, Step, VerificationReport, verify_ofd


class BundleError(ValueError):
    """The bundle is not a well-formed offline verification bundle."""


def make_bundle(ofd: bytes, *, roots: list[bytes]) -> bytes:
    manifest = {"ofd_sm3": sm3(ofd).hex(), "roots": [sm3(r).hex() for r in roots],
                "made_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("licence.ofd", ofd)
        for root in roots:
            z.writestr(f"roots/{sm3(root).hex()}.cer", root)
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    return buf.getvalue()


def verify_bundle(bundle: bytes, *, pinned_roots: set[str]) -> VerificationReport:
    """Verify offline. ``pinned_roots``: SM3 hex fingerprints of the roots the verifier trusts."""
    try:
        with zipfile.ZipFile(io.BytesIO(bundle)) as z:
            manifest = json.loads(z.read("manifest.json"))
            ofd = z.read("licence.ofd")
            roots = [z.read(name) for name in z.namelist() if name.startswith("roots/")]
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BundleError(f"离线核验包无法读取：{exc}") from exc
    if sm3(ofd).hex() != manifest.get("ofd_sm3"):
        raise BundleError("离线核验包中的版式文件与清单摘要不符")
    trusted = [r for r in roots if sm3(r).hex() in pinned_roots and sm3(r).hex() in manifest.get("roots", [])]
    if not trusted:
        report = verify_ofd(ofd)
        report.package_steps.append(Step("trust", FAIL, "离线核验包中没有受信任（已固定指纹）的根证书"))
        return report
    return verify_ofd(ofd, trusted_roots=trusted)
