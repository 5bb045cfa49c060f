"""Fixtures for the licences standards core: a demo PKI, a seal, the external corpus."""

import datetime as dt
import io
from pathlib import Path

import pytest
import qrcode

from apps.licences.crypto.certs import build_certificate
from apps.licences.crypto.seal import make_seal_v4
from apps.licences.crypto.sm import SM2PrivateKey

CORPUS = Path("/work/shared/corpus/ofd")
if not CORPUS.exists():
    CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "ofd"


def png_bytes(text="seal") -> bytes:
    buf = io.BytesIO()
    qrcode.make(text).save(buf)
    return buf.getvalue()


@pytest.fixture(scope="session")
def corpus():
    if not CORPUS.exists():
        pytest.fail(f"OFD corpus missing at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def pki():
    """Demo CA, seal maker and signer certificates (SM2, SM2-with-SM3)."""
    ca = build_certificate(subject_cn="HLJ Demo SM2 CA", organisation="黑龙江省政务服务平台",
                           key=SM2PrivateKey.generate(), ca=True, days=3650)
    maker = build_certificate(subject_cn="省电子印章制作中心", organisation="黑龙江省政务服务平台",
                              key=SM2PrivateKey.generate(), issuer=ca, days=730)
    signer = build_certificate(subject_cn="哈尔滨市市场监督管理局签章", organisation="哈尔滨市市场监督管理局",
                               key=SM2PrivateKey.generate(), issuer=ca, days=365)
    other = build_certificate(subject_cn="未授权签章人", organisation="其他单位",
                              key=SM2PrivateKey.generate(), issuer=ca, days=365)
    return {"ca": ca, "maker": maker, "signer": signer, "other": other}


@pytest.fixture(scope="session")
def seal_der(pki):
    now = dt.datetime.now(dt.timezone.utc)
    return make_seal_v4(
        es_id="23010000000001", name="哈尔滨市市场监督管理局电子证照专用章", seal_type=1,
        signer_certs=[pki["signer"].der], picture=png_bytes(), picture_type="PNG", width_mm=40, height_mm=40,
        valid_start=now - dt.timedelta(days=1), valid_end=now + dt.timedelta(days=365),
        maker_cert=pki["maker"].der, maker_key=pki["maker"].key,
    )
