"""SESeal / SES_Signature: both versions from other producers decode; ours decode independently."""

import datetime as dt
import subprocess

from apps.licences.crypto.asn1 import SESealV4
from apps.licences.crypto.seal import make_seal_v4, parse_seal, parse_signature, sign_data_v4
from apps.licences.crypto.sm import sm3

from .conftest import png_bytes


def test_both_corpus_seal_versions_decode_and_maker_signatures_verify(corpus):
    v1 = parse_seal((corpus / "seals/UserV1.esl").read_bytes())
    v4 = parse_seal((corpus / "seals/UserV4.esl").read_bytes())
    assert (v1.version, v1.header_version, v1.name) == (1, 1, "OFDRW测试用印章")
    assert (v4.version, v4.header_version, v4.name) == (4, 4, "OFD R&W 测试用印章")
    for seal in (v1, v4):
        assert seal.picture_type == "PNG" and seal.picture.startswith(b"\x89PNG")
        assert (seal.width_mm, seal.height_mm) == (40, 40)
        assert seal.valid_start < seal.valid_end
        assert len(seal.signer_certs) == 1
        assert seal.maker_signature_valid()


def test_corrupted_seal_info_fails_maker_signature(corpus):
    der = bytearray((corpus / "seals/UserV4.esl").read_bytes())
    index = der.find("测试".encode())
    der[index] ^= 0x01
    assert not parse_seal(bytes(der)).maker_signature_valid()


def test_our_seal_decodes_with_same_fields_in_openssl(pki, seal_der, tmp_path):
    seal = parse_seal(seal_der)
    assert seal.version == 4 and seal.es_id == "23010000000001" and seal.vendor == "HLJGOV"
    assert seal.signer_certs == [pki["signer"].der] and seal.maker_cert == pki["maker"].der
    assert seal.maker_signature_valid()
    (tmp_path / "seal.esl").write_bytes(seal_der)
    dump = subprocess.run(["openssl", "asn1parse", "-inform", "DER", "-in", "seal.esl", "-i"], cwd=tmp_path,
                          capture_output=True, text=True).stdout
    assert ":ES" in dump and "INTEGER           :04" in dump and ":23010000000001" in dump
    assert ":HLJGOV" in dump and "SM2-with-SM3" in dump and "GENERALIZEDTIME" in dump
    assert dump.count("BIT STRING") == 1
    # strict DER: re-encoding our bytes gives the same bytes
    assert SESealV4.load(seal_der, strict=True).dump(force=True) == seal_der


def test_signature_structure_round_trip(pki, seal_der):
    when = dt.datetime(2026, 11, 28, 8, 0, tzinfo=dt.timezone.utc)
    value = sign_data_v4(seal_der=seal_der, data_hash=sm3(b"x"), property_info="/Doc_0/Signs/Sign_0/Signature.xml",
                         signer_cert=pki["signer"].der, signer_key=pki["signer"].key, when=when)
    parsed = parse_signature(value)
    assert parsed.version == 4 and parsed.time_info == when and parsed.data_hash == sm3(b"x")
    assert parsed.seal_der == seal_der and parsed.signature_valid() and not parsed.signature_raw


def test_seal_requires_a_signer_certificate(pki):
    import pytest

    now = dt.datetime.now(dt.timezone.utc)
    with pytest.raises(ValueError):
        make_seal_v4(es_id="1", name="x", seal_type=1, signer_certs=[], picture=png_bytes(), picture_type="PNG",
                     width_mm=40, height_mm=40, valid_start=now, valid_end=now, maker_cert=pki["maker"].der,
                     maker_key=pki["maker"].key)
