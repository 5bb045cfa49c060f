"""Benchmark: generate + seal + store one-page licences with 2 worker processes (LIC-10.b, 10.c).

    .venv/bin/python bench/licences_bench.py [count] [sm2_seconds]

``sm2_seconds`` (default 2) is how long each SM2 signing rate is measured; a smoke run uses tiny values,
e.g. ``bench/licences_bench.py 20 0.3``.

Uses the standards core directly (OFD writer, SM2 key store signer, OFD sealing) and stores each file
in a temporary directory, so it measures generation and signing, not the database. Prints licences/s
against the goal (≥100/s; the tender asks ≈3/s generation and ≈4/s signing) and our SM2 signing rate
against `openssl speed sm2` measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing as mp
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qrcode  # noqa: E402

from apps.licences.crypto.certs import build_certificate  # noqa: E402
from apps.licences.crypto.seal import make_seal_v4  # noqa: E402
from apps.licences.crypto.sm import SM2PrivateKey  # noqa: E402
from apps.licences.ofd.package import OFDPackage  # noqa: E402
from apps.licences.ofd.sign import StampPosition, sign_entries  # noqa: E402
from apps.licences.ofd.writer import OFDWriter, zip_entries  # noqa: E402

WORKERS = 2
_state: dict = {}


def _png(text: str) -> bytes:
    buf = io.BytesIO()
    qrcode.make(text, border=1, box_size=4).save(buf, format="PNG")
    return buf.getvalue()


def _setup():
    ca = build_certificate(subject_cn="bench CA", organisation="bench", key=SM2PrivateKey.generate(), ca=True)
    maker = build_certificate(subject_cn="maker", organisation="bench", key=SM2PrivateKey.generate(), issuer=ca)
    signer = build_certificate(subject_cn="signer", organisation="bench", key=SM2PrivateKey.generate(), issuer=ca)
    now = dt.datetime.now(dt.timezone.utc)
    seal = make_seal_v4(es_id="23000000000001", name="基准测试专用章", seal_type=1, signer_certs=[signer.der],
                        picture=_png("seal"), picture_type="PNG", width_mm=40, height_mm=40,
                        valid_start=now - dt.timedelta(days=1), valid_end=now + dt.timedelta(days=30),
                        maker_cert=maker.der, maker_key=maker.key)
    return {"seal": seal, "signer_der": signer.der, "signer_pem": signer.key.pem()}


def _init(state, out_dir):
    _state.update(state)
    _state["key"] = SM2PrivateKey.from_pem(state["signer_pem"])
    _state["out"] = out_dir
    _state["qr"] = _png("https://zwfw.hlj.gov.cn/licences/verify/code/x/")


def _one(i: int) -> int:
    w = OFDWriter(width_mm=297, height_mm=210, title="食品经营许可证")
    p = w.add_page()
    p.rect(6, 6, 285, 198, color=(176, 32, 32), line_width=0.8)
    p.text(0, 14, "食品经营许可证", size=10, align="center", width=297, bold=True)
    for row, (label, value) in enumerate([("证照编号", f"JY1230100{i:08d}"), ("持证主体", f"哈尔滨冰城餐饮{i}有限公司"),
                                          ("颁发机构", "哈尔滨市市场监督管理局"), ("有效期", "2026年01月01日 至 2030年12月31日"),
                                          ("经营场所", "哈尔滨市道里区中央大街1号"), ("经营项目", "热食类食品制售")]):
        p.text(24, 28 + row * 8, f"{label}：{value}", size=4.2)
    p.image(_state["qr"], 261, 174, 24, 24)
    signed = zip_entries(sign_entries(OFDPackage.from_entries(w.build_entries()), seal_der=_state["seal"],
                                      signer_cert=_state["signer_der"], signer_key=_state["key"],
                                      position=StampPosition(0, 200, 150, 40, 40)))
    Path(_state["out"], f"{i}.ofd").write_bytes(signed)
    return len(signed)


def openssl_sm2_signs_per_second(seconds: float = 2.0) -> float:
    out = subprocess.run(["openssl", "speed", "-seconds", str(max(1, round(seconds))), "sm2"], capture_output=True,
                         text=True).stdout
    match = re.search(r"SM2 \(CurveSM2\)\s+\S+\s+\S+\s+([\d.]+)", out)
    return float(match.group(1)) if match else float("nan")


def our_sm2_signs_per_second(seconds: float = 2.0) -> float:
    key, message, count, start = SM2PrivateKey.generate(), os.urandom(1024), 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        key.sign(message)
        count += 1
    return count / (time.perf_counter() - start)


def main(count: int, sm2_seconds: float = 2.0) -> None:
    state = _setup()
    with tempfile.TemporaryDirectory() as out_dir:
        ctx = mp.get_context("fork")
        with ctx.Pool(WORKERS, initializer=_init, initargs=(state, out_dir)) as pool:
            pool.map(_one, range(WORKERS * 2))  # warm-up (font metrics, imports)
            start = time.perf_counter()
            sizes = pool.map(_one, range(count), chunksize=8)
            elapsed = time.perf_counter() - start
    rate = count / elapsed
    ours, theirs = our_sm2_signs_per_second(sm2_seconds), openssl_sm2_signs_per_second(sm2_seconds)
    print(f"licences generated+sealed+stored: {count} in {elapsed:.2f}s with {WORKERS} workers = {rate:.1f}/s "
          f"(avg {sum(sizes) / len(sizes) / 1024:.1f} KiB)")
    print(f"goal >=100/s: ratio {rate / 100:.2f}; tender 3/s generation: ratio {rate / 3:.1f}; "
          f"tender 4/s signing: ratio {rate / 4:.1f}")
    print(f"SM2 sign/s: ours {ours:.0f}, openssl speed {theirs:.0f}; openssl/ours = {theirs / ours:.2f} (goal <= 3)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500, float(sys.argv[2]) if len(sys.argv) > 2 else 2.0)
