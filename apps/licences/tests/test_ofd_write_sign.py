"""Our OFD writer, reader, PDF rendering, sealing and tamper detection."""

import datetime as dt
import io
import zipfile

import pytest
from lxml import etree
from pypdf import PdfReader

from apps.licences.crypto.seal import make_seal_v4
from apps.licences.ofd.package import OFDPackage
from apps.licences.ofd.render import render_pdf
from apps.licences.ofd.sign import StampPosition, sign_ofd
from apps.licences.ofd.verify import verify_ofd
from apps.licences.ofd.writer import OFDWriter, zip_entries

from .conftest import png_bytes

NS = "http://www.ofdspec.org/2016"


def licence_face() -> bytes:
    w = OFDWriter(title="营业执照", width_mm=297, height_mm=210)
    p = w.add_page()
    p.rect(10, 10, 277, 190, color=(180, 30, 30), line_width=0.8)
    p.text(10, 30, "营业执照", size=12, align="center", width=277, bold=True)
    p.text(40, 70, "名称：哈尔滨冰城科技有限公司", size=5)
    p.text(40, 80, "统一社会信用代码：91230100MA1B2C3D4E", size=5)
    p.image(png_bytes("https://example/verify"), 240, 160, 30, 30)
    return w.build()


def entries(data):
    zf = zipfile.ZipFile(io.BytesIO(data))
    return {n: zf.read(n) for n in zf.namelist()}


def sealed(pki, seal_der, data=None, x=200.0):
    return sign_ofd(data or licence_face(), seal_der=seal_der, signer_cert=pki["signer"].der,
                    signer_key=pki["signer"].key, position=StampPosition(0, x, 120, 40, 40))


def test_written_package_structure_follows_gb_t_33190():
    files = entries(licence_face())
    assert list(files)[:3] == ["OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml"]
    ofd = etree.fromstring(files["OFD.xml"])
    assert ofd.tag == f"{{{NS}}}OFD" and ofd.get("Version") == "1.0" and ofd.get("DocType") == "OFD"
    assert ofd.prefix == "ofd"
    doc = etree.fromstring(files["Doc_0/Document.xml"])
    common = doc.find(f"{{{NS}}}CommonData")
    assert [etree.QName(c).localname for c in common] == ["MaxUnitID", "PageArea", "PublicRes", "DocumentRes"]
    assert common.findtext(f"{{{NS}}}PageArea/{{{NS}}}PhysicalBox") == "0 0 297 210"
    page = etree.fromstring(files["Doc_0/Pages/Page_0/Content.xml"])
    ids = [int(e.get("ID")) for e in page.iter() if e.get("ID")]
    assert len(ids) == len(set(ids)) and max(ids) <= int(common.findtext(f"{{{NS}}}MaxUnitID"))
    image = page.find(f".//{{{NS}}}ImageObject")
    assert image.get("Boundary") == "240 160 30 30" and image.get("CTM") == "30 0 0 30 0 0"
    text = [t for t in page.iter(f"{{{NS}}}TextCode") if t.text.startswith("名称")][0]
    assert len(text.get("DeltaX").split()) == len(text.text) - 1
    assert any(n.startswith("Doc_0/Res/image_") for n in files)


def test_reader_reads_our_package_back():
    pkg = OFDPackage(licence_face())
    assert pkg.bodies[0].physical_box == (0, 0, 297, 210)
    assert "名称：哈尔滨冰城科技有限公司" in pkg.page_texts()[0]
    assert pkg.resources(pkg.bodies[0])["fonts"]


def test_every_plain_corpus_document_parses_and_renders(corpus):
    for path in sorted((corpus / "plain").glob("*.ofd")):
        data = path.read_bytes()
        pkg = OFDPackage(data)
        pdf = PdfReader(io.BytesIO(render_pdf(data)))
        assert len(pdf.pages) == len(pkg.bodies[0].pages), path.name
        first = pkg.page_texts()[0]
        if first:
            assert pdf.pages[0].extract_text().strip(), path.name


def test_pdf_rendering_of_our_licence_has_the_text_and_page_size():
    pdf = PdfReader(io.BytesIO(render_pdf(licence_face())))
    text = pdf.pages[0].extract_text()
    assert "哈尔滨冰城科技有限公司" in text and "营业执照" in text
    assert round(float(pdf.pages[0].mediabox.width) / 72 * 25.4) == 297


def test_sealed_licence_verifies_every_step(pki, seal_der):
    report = verify_ofd(sealed(pki, seal_der), trusted_roots=[pki["ca"].der])
    sig = report.signatures[0]
    assert report.verdict == "valid" and report.unprotected == []
    assert {s.key: s.status for s in sig.steps} == {
        "references": "ok", "coverage": "ok", "data_hash": "ok", "signer_signature": "ok", "seal_match": "ok",
        "maker_signature": "ok", "authorisation": "ok", "seal_validity": "ok", "certificate": "ok", "trust": "ok"}
    files = entries(sealed(pki, seal_der))
    sig_xml = files["Doc_0/Signs/Sign_0/Signature.xml"].decode()
    assert 'CheckMethod="1.2.156.10197.1.401"' in sig_xml and "Signatures.xml" not in sig_xml
    assert b"<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>" in files["OFD.xml"]


def test_changing_one_byte_of_a_page_names_the_failing_reference(pki, seal_der):
    files = entries(sealed(pki, seal_der))
    page = bytearray(files["Doc_0/Pages/Page_0/Content.xml"])
    page[page.index("哈尔滨".encode())] ^= 0x01
    files["Doc_0/Pages/Page_0/Content.xml"] = bytes(page)
    sig = verify_ofd(zip_entries(files)).signatures[0]
    assert sig.failed_steps == ["references"]
    assert sig.step("references").detail == "摘要不符：Doc_0/Pages/Page_0/Content.xml"


@pytest.mark.parametrize("target,step", [
    ("Doc_0/Signs/Sign_0/Signature.xml", "data_hash"),
    ("Doc_0/Res/", "references"),
])
def test_tampering_other_parts_fails_the_right_step(pki, seal_der, target, step):
    files = entries(sealed(pki, seal_der))
    name = next(n for n in files if n.startswith(target))
    content = bytearray(files[name])
    content[len(content) // 2] ^= 0x20
    files[name] = bytes(content)
    assert step in verify_ofd(zip_entries(files)).signatures[0].failed_steps


def test_tampered_signed_value_fails_signer_signature(pki, seal_der):
    files = entries(sealed(pki, seal_der))
    value = bytearray(files["Doc_0/Signs/Sign_0/SignedValue.dat"])
    value[value.rindex(b"/Doc_0/Signs") + 2] ^= 0x01  # inside propertyInfo of TBS_Sign
    files["Doc_0/Signs/Sign_0/SignedValue.dat"] = bytes(value)
    assert "signer_signature" in verify_ofd(zip_entries(files)).signatures[0].failed_steps


def test_second_seal_keeps_the_first_valid(pki, seal_der):
    twice = sealed(pki, seal_der, data=sealed(pki, seal_der), x=100)
    report = verify_ofd(twice)
    assert [s.verdict for s in report.signatures] == ["valid", "valid"]
    assert [s.id for s in report.signatures] == ["s001", "s003"]
    pdf = PdfReader(io.BytesIO(render_pdf(twice)))
    assert len(pdf.pages) == 1


def test_signer_not_in_seal_list_fails_authorisation(pki, seal_der):
    data = sign_ofd(licence_face(), seal_der=seal_der, signer_cert=pki["other"].der, signer_key=pki["other"].key,
                    position=StampPosition(0, 10, 10, 40, 40))
    assert verify_ofd(data).signatures[0].failed_steps == ["authorisation"]


def test_expired_seal_fails_validity_and_untrusted_root_fails_trust(pki):
    past = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    old_seal = make_seal_v4(es_id="23010000000009", name="过期章", seal_type=1, signer_certs=[pki["signer"].der],
                            picture=png_bytes(), picture_type="PNG", width_mm=40, height_mm=40, valid_start=past,
                            valid_end=past + dt.timedelta(days=30), maker_cert=pki["maker"].der,
                            maker_key=pki["maker"].key)
    report = verify_ofd(sealed(pki, old_seal), trusted_roots=[pki["maker"].der])
    assert set(report.signatures[0].failed_steps) == {"seal_validity", "trust"}


def test_seal_status_lookup_reports_revoked_seal(pki, seal_der):
    report = verify_ofd(sealed(pki, seal_der), seal_status=lambda es_id: ("revoked", "印章已吊销"))
    assert report.signatures[0].failed_steps == ["seal_status"]


def test_stamp_page_out_of_range_is_refused(pki, seal_der):
    with pytest.raises(ValueError):
        sign_ofd(licence_face(), seal_der=seal_der, signer_cert=pki["signer"].der, signer_key=pki["signer"].key,
                 position=StampPosition(3, 0, 0, 40, 40))


def test_a_seal_off_the_page_is_refused_before_anything_is_signed(pki, seal_der):
    """The seal picture must lie wholly on the page (a landscape licence is 210 mm high)."""
    from apps.licences.ofd.sign import StampPosition, prepare_entries

    package = OFDPackage(sealed(pki, seal_der))
    box = package.bodies[0].physical_box
    width, height = box[2], box[3]
    inside = StampPosition(page_index=0, x=width - 45, y=height - 45, width=40, height=40)
    assert prepare_entries(package, seal_der=seal_der, position=inside).tbs_der
    for off in (StampPosition(page_index=0, x=width - 30, y=10, width=40, height=40),
                StampPosition(page_index=0, x=10, y=height - 20, width=40, height=40),
                StampPosition(page_index=0, x=-1, y=10, width=40, height=40),
                StampPosition(page_index=0, x=10, y=10, width=0, height=40)):
        with pytest.raises(ValueError, match="印章"):
            prepare_entries(package, seal_der=seal_der, position=off)
