"""Per-step verdicts on real signed OFD files from other producers agree with the corpus README."""

import pytest
from asn1crypto import pem

from apps.licences.ofd.verify import verify_ofd


def verify(corpus, name, **kwargs):
    return verify_ofd((corpus / "signed" / name).read_bytes(), **kwargs)


def statuses(sig):
    return {s.key: s.status for s in sig.steps}


@pytest.mark.parametrize("name", ["v4signed.ofd", "signedFile.ofd", "allprotected.ofd", "999.ofd"])
def test_vendor_seals_verify(corpus, name):
    report = verify(corpus, name)
    assert report.verdict == "valid"
    for sig in report.signatures:
        st = statuses(sig)
        for key in ("references", "data_hash", "signer_signature", "maker_signature", "authorisation",
                    "seal_validity"):
            assert st[key] == "ok", (key, sig.steps)


def test_v4signed_flags_template_path_case(corpus):
    report = verify(corpus, "v4signed.ofd")
    assert any("differs in case" in s.detail for s in report.package_steps)


def test_signedfile_flags_seal_created_before_maker_certificate(corpus):
    sig = verify(corpus, "signedFile.ofd").signatures[0]
    assert sig.step("certificate").status == "warn" and "制章人证书" in sig.step("certificate").detail


def test_allprotected_warns_that_a_later_seal_would_break_it(corpus):
    sig = verify(corpus, "allprotected.ofd").signatures[0]
    assert sig.step("coverage").status == "warn" and "Signatures.xml" in sig.step("coverage").detail


def test_999_reports_ofd_xml_unprotected(corpus):
    report = verify(corpus, "999.ofd")
    assert "OFD.xml" in report.unprotected
    assert "OFD.xml 未受保护" in report.signatures[0].step("coverage").detail


def test_sesv4signdoc_fails_on_validity_only(corpus):
    sig = verify(corpus, "SESV4SignDoc.ofd").signatures[0]
    assert sig.verdict == "fail"
    assert set(sig.failed_steps) == {"seal_validity", "certificate"}
    assert statuses(sig)["signer_signature"] == "ok" and statuses(sig)["maker_signature"] == "ok"


def test_h_first_signature_fails_only_signatures_xml_digest(corpus):
    first, second = verify(corpus, "h.ofd").signatures
    assert first.failed_steps == ["references"]
    assert first.step("references").detail.endswith("Doc_0/Signs/Signatures.xml")
    assert second.verdict == "valid"


def test_keyword_raw_rs_flagged_and_changed_files_fail(corpus):
    seal_sig, plain_sig = verify(corpus, "keyword.ofd").signatures
    assert seal_sig.step("signer_signature").status == "warn" and "r‖s" in seal_sig.step("signer_signature").detail
    detail = seal_sig.step("references").detail
    assert seal_sig.step("references").status == "fail"
    for name in ("OFD.xml", "Doc_0/Document.xml", "Doc_0/Pages/Page_0/Content.xml"):
        assert name in detail
    assert plain_sig.type == "Sign" and plain_sig.step("signer_signature").status == "ok"


def test_n_keyed_sm3_is_never_valid(corpus):
    report = verify(corpus, "n.ofd")
    sig = report.signatures[0]
    assert sig.version == 1 and report.verdict != "valid"
    failing = sig.step("references").detail
    assert failing.count(",") == 4  # five rewritten XML files
    assert "Seal.esl" not in failing  # the keyed digest of the untouched seal copy is reproduced


def test_digital_sign_needs_the_external_certificate(corpus):
    assert verify(corpus, "DigitalSign.ofd").verdict == "unverifiable"
    cert = pem.unarmor((corpus / "seals/ofdrw-user-test-cert.pem").read_bytes())[2]
    report = verify(corpus, "DigitalSign.ofd", extra_certs=[cert])
    assert report.verdict == "valid"
    assert report.signatures[0].step("signer_signature").status == "warn"


def test_hello_integrity_list_verifies_but_is_flagged(corpus):
    sig = verify(corpus, "hello-integrity.ofd").signatures[0]
    assert sig.verdict == "valid"
    assert sig.step("entries").status == "warn" and "摘要" in sig.step("entries").detail


def test_garbage_is_reported_at_package_step():
    report = verify_ofd(b"not a zip at all")
    assert report.verdict == "fail" and report.package_steps[0].key == "package"
