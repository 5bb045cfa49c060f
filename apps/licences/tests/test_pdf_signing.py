"""PDF signing with the e-seal (LIC-9.5): incremental update, /ByteRange, SES_Signature in /Contents,
seal picture on the page; verified step by step; one changed byte fails; unusable seals cannot sign."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import SigningLog
from apps.licences.ofd.pdfsign import BYTE_RANGE
from apps.licences.services.licences import licence_seal
from apps.licences.services.pdf_signing import licence_pdf_sign, pdf_verify

from .test_licence_lifecycle import approved, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.spec("LIC-9.5")
def test_licence_pdf_is_sealed_with_a_verifiable_pdf_signature(world):  # noqa: F811
    clerk, seal, cert = world["clerk"], world["seal"], world["pki"]["signer"]
    licence = licence_seal(actor=clerk, licence=approved(world, 1), seal=seal, certificate=cert)
    pdf = licence_pdf_sign(actor=clerk, licence=licence, seal=seal, certificate=cert)
    # a real incremental update: the unsigned rendition is a prefix; the signature covers all but /Contents
    assert pdf.count(b"%%EOF") == 2 and pdf.count(b"startxref") == 2
    a, b, c, d = (int(v) for v in BYTE_RANGE.search(pdf).groups())
    assert a == 0 and c + d == len(pdf) and pdf[b:b + 1] == b"<" and pdf[c - 1:c] == b">"
    reader = PdfReader(io.BytesIO(pdf))
    widget = reader.pages[0]["/Annots"][0].get_object()
    assert widget["/FT"] == "/Sig" and widget["/V"]["/SubFilter"] == "/GBT38540.SES_Signature"
    image = widget["/AP"]["/N"]["/Resources"]["/XObject"]["/Im0"]
    assert image["/Subtype"] == "/Image" and reader.trailer["/Root"]["/AcroForm"]["/SigFlags"] == 3
    reports = pdf_verify(pdf)
    assert len(reports) == 1 and reports[0].verdict == "valid", [(s.key, s.status, s.detail) for s in reports[0].steps]
    assert {s.key for s in reports[0].steps} >= {"data_hash", "signer_signature", "maker_signature", "authorisation",
                                                 "seal_validity", "trust", "seal_status"}
    assert reports[0].es_id == seal.es_id
    # one changed byte inside the signed range fails, and so does a changed signature value
    changed = pdf[:200] + bytes([pdf[200] ^ 0x01]) + pdf[201:]
    assert pdf_verify(changed)[0].verdict == "fail" and pdf_verify(changed)[0].failed_steps == ["data_hash"]
    tampered = pdf[:b + 200] + (b"0" if pdf[b + 200:b + 201] != b"0" else b"1") + pdf[b + 201:]
    assert pdf_verify(tampered)[0].verdict == "fail"
    assert SigningLog.objects.filter(request_message__format="pdf").count() == 1


def test_pdf_signing_refusals(world):  # noqa: F811
    clerk, seal, cert = world["clerk"], world["seal"], world["pki"]["signer"]
    not_valid = approved(world, 2)
    with pytest.raises(ValidationError, match="只有有效的证照"):
        licence_pdf_sign(actor=clerk, licence=not_valid, seal=seal, certificate=cert)
    licence = licence_seal(actor=clerk, licence=approved(world, 3), seal=seal, certificate=cert)
    stranger = StaffFactory(username="stranger", organisation=world["dept"])
    with pytest.raises(PermissionDenied):
        licence_pdf_sign(actor=stranger, licence=licence, seal=seal, certificate=cert)
    seal.status = "frozen"
    seal.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="不能签章"):
        licence_pdf_sign(actor=clerk, licence=licence, seal=seal, certificate=cert)
    assert SigningLog.objects.filter(request_message__format="pdf").count() == 0
