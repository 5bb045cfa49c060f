"""SM2/SM3 and certificates checked against the OpenSSL command line (independent implementation)."""

import subprocess

import pytest
from asn1crypto import pem

from apps.licences.crypto.certs import certificate_signature_valid, public_key_of
from apps.licences.crypto.seal import parse_seal, parse_signature, sign_data_v4
from apps.licences.crypto.sm import (SM2PrivateKey, SM2PublicKey, normalise_signature, rs_to_der, sm3,
                                     verify_with_z, z_value)


def openssl(*args, cwd):
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)


def test_sm3_matches_openssl_and_standard_vector(tmp_path):
    assert sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    data = bytes(range(256)) * 40
    (tmp_path / "d").write_bytes(data)
    out = openssl("dgst", "-sm3", "-r", "d", cwd=tmp_path).stdout.split()[0]
    assert out == sm3(data).hex()


def test_our_sm2_signature_verifies_in_openssl_with_default_id_only(tmp_path):
    key = SM2PrivateKey.generate()
    message = "电子证照".encode() * 50
    (tmp_path / "m").write_bytes(message)
    (tmp_path / "sig").write_bytes(key.sign(message))
    (tmp_path / "pub.pem").write_bytes(key.public_key.pem())
    ok = openssl("dgst", "-sm3", "-verify", "pub.pem", "-signature", "sig", "-sigopt",
                 "distid:1234567812345678", "m", cwd=tmp_path)
    assert ok.stdout.strip() == "Verified OK"
    # OpenSSL 3.0 without distid uses an empty ID: must fail, proving the Z-value carries the default ID.
    assert openssl("dgst", "-sm3", "-verify", "pub.pem", "-signature", "sig", "m", cwd=tmp_path).returncode != 0


def test_openssl_signature_verifies_in_our_code(tmp_path):
    openssl("genpkey", "-algorithm", "SM2", "-out", "k.pem", cwd=tmp_path)
    (tmp_path / "m").write_bytes(b"TBS_Sign bytes")
    openssl("dgst", "-sm3", "-sign", "k.pem", "-sigopt", "distid:1234567812345678", "-out", "sig", "m",
            cwd=tmp_path)
    key = SM2PrivateKey.from_pem((tmp_path / "k.pem").read_bytes())
    sig = (tmp_path / "sig").read_bytes()
    assert key.public_key.verify(b"TBS_Sign bytes", sig)
    assert verify_with_z(key.public_key.point, b"TBS_Sign bytes", sig)
    assert not key.public_key.verify(b"TBS_Sign bytez", sig)


def test_pure_python_z_value_verifier_agrees_and_rejects_other_ids():
    key = SM2PrivateKey.generate()
    sig = key.sign(b"m")
    assert verify_with_z(key.public_key.point, b"m", sig)
    assert not verify_with_z(key.public_key.point, b"m", sig, user_id=b"abc")
    assert len(z_value(key.public_key.point)) == 32
    with pytest.raises(ValueError):
        z_value(key.public_key.point[1:])


def test_raw_rs_is_converted_with_left_padding():
    der = rs_to_der(5, 7)
    raw = (5).to_bytes(32, "big") + (7).to_bytes(32, "big")
    assert normalise_signature(raw) == (der, True)
    assert normalise_signature(der) == (der, False)


def test_certificates_verify_with_openssl(pki, tmp_path):
    (tmp_path / "ca.pem").write_bytes(pki["ca"].pem)
    (tmp_path / "signer.pem").write_bytes(pki["signer"].pem)
    result = openssl("verify", "-vfyopt", "distid:1234567812345678", "-CAfile", "ca.pem", "signer.pem",
                     cwd=tmp_path)
    assert result.stdout.strip() == "signer.pem: OK", result.stderr
    text = openssl("x509", "-in", "signer.pem", "-noout", "-text", cwd=tmp_path).stdout
    assert "SM2-with-SM3" in text and "ASN1 OID: SM2" in text
    assert certificate_signature_valid(pki["signer"].der, pki["ca"].der)
    assert not certificate_signature_valid(pki["signer"].der, pki["maker"].der)


def test_openssl_made_certificate_reads_in_our_code(tmp_path):
    openssl("genpkey", "-algorithm", "SM2", "-out", "k.pem", cwd=tmp_path)
    openssl("req", "-x509", "-new", "-key", "k.pem", "-sm3", "-sigopt", "distid:1234567812345678",
            "-subj", "/C=CN/O=T/CN=m", "-days", "30", "-out", "c.pem", cwd=tmp_path)
    der = pem.unarmor((tmp_path / "c.pem").read_bytes())[2]
    assert certificate_signature_valid(der, der)
    assert public_key_of(der) == SM2PrivateKey.from_pem((tmp_path / "k.pem").read_bytes()).public_key


def test_seal_and_signature_signatures_verify_with_openssl(pki, seal_der, tmp_path):
    """Maker signature over DER(eSealInfo) and signer signature over DER(TBS_Sign), checked by OpenSSL."""
    value = sign_data_v4(seal_der=seal_der, data_hash=sm3(b"<xml/>"), property_info="/Doc_0/Signs/Sign_0/Signature.xml",
                         signer_cert=pki["signer"].der, signer_key=pki["signer"].key)
    parsed = parse_signature(value)
    seal = parse_seal(seal_der)
    for name, cert, covered, sig in (("maker", pki["maker"], seal.signed_bytes, seal.maker_signature),
                                      ("signer", pki["signer"], parsed.tbs_bytes, parsed.signature)):
        (tmp_path / f"{name}.pem").write_bytes(public_key_of(cert.der).pem())
        (tmp_path / f"{name}.tbs").write_bytes(covered)
        (tmp_path / f"{name}.sig").write_bytes(sig)
        result = openssl("dgst", "-sm3", "-verify", f"{name}.pem", "-signature", f"{name}.sig", "-sigopt",
                         "distid:1234567812345678", f"{name}.tbs", cwd=tmp_path)
        assert result.stdout.strip() == "Verified OK"
    # The TBS slice sits in SignedValue.dat where openssl asn1parse finds it (offset 4, reference §6.1).
    (tmp_path / "SignedValue.dat").write_bytes(value)
    openssl("asn1parse", "-inform", "DER", "-in", "SignedValue.dat", "-strparse", "4", "-noout", "-out", "tbs.der",
            cwd=tmp_path)
    assert (tmp_path / "tbs.der").read_bytes() == parsed.tbs_bytes


def test_public_key_equality_is_by_point():
    key = SM2PrivateKey.generate()
    assert SM2PublicKey(key.public_key.point) == key.public_key
