"""Offline protection (LIC-3.3, decision 0309): a sealed licence verifies from its offline bundle with no
network and no database; a changed byte, a swapped root or a swapped file fails."""

import io
import socket
import zipfile

import pytest

from apps.licences.crypto.certs import build_certificate
from apps.licences.crypto.sm import SM2PrivateKey, sm3
from apps.licences.ofd.offline import BundleError, make_bundle, verify_bundle
from apps.licences.ofd.package import OFDPackage
from apps.licences.ofd.sign import StampPosition, sign_ofd
from apps.licences.ofd.writer import OFDWriter, zip_entries


def _sealed(pki, seal_der) -> bytes:
    writer = OFDWriter(width_mm=210, height_mm=297, title="食品经营许可证")
    writer.add_page().text(20, 20, "食品经营许可证 JY123", size=6)
    return sign_ofd(writer.build(), seal_der=seal_der, signer_cert=pki["signer"].der, signer_key=pki["signer"].key,
                    position=StampPosition(0, 120, 200, 40, 40))


@pytest.fixture
def offline(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("offline verification must not open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def _replace(bundle: bytes, name: str, data: bytes) -> bytes:
    src, buf = zipfile.ZipFile(io.BytesIO(bundle)), io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for item in src.namelist():
            out.writestr(item, data if item == name else src.read(item))
    return buf.getvalue()


@pytest.mark.spec("LIC-3.3")
def test_offline_bundle_verifies_without_network_and_detects_changes(pki, seal_der, offline):
    ofd = _sealed(pki, seal_der)
    pinned = {sm3(pki["ca"].der).hex()}
    bundle = make_bundle(ofd, roots=[pki["ca"].der])
    report = verify_bundle(bundle, pinned_roots=pinned)
    assert report.verdict == "valid"
    assert report.signatures[0].step("trust").status == "ok"
    # one byte of a page changed (manifest rebuilt, as an attacker would): the seal's references fail
    files = OFDPackage(ofd).entries
    page = bytearray(files["Doc_0/Pages/Page_0/Content.xml"])
    page[page.index("JY123".encode())] ^= 0x01
    changed = zip_entries({**files, "Doc_0/Pages/Page_0/Content.xml": bytes(page)})
    forged = verify_bundle(make_bundle(changed, roots=[pki["ca"].der]), pinned_roots=pinned)
    assert forged.verdict == "fail" and "references" in forged.signatures[0].failed_steps
    # the file swapped without updating the manifest
    with pytest.raises(BundleError):
        verify_bundle(_replace(bundle, "licence.ofd", bytes(changed)), pinned_roots=pinned)
    # a bundle carrying an attacker's root instead of the pinned one
    rogue = build_certificate(subject_cn="伪造根证书", organisation="x", key=SM2PrivateKey.generate(), ca=True, days=30)
    assert verify_bundle(make_bundle(ofd, roots=[rogue.der]), pinned_roots=pinned).verdict == "fail"
