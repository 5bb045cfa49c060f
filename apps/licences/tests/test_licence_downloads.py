"""The files on a sealed licence's page (decisions 0307, 0309): the signed PDF verifies with our PDF
verifier and was sealed with the seal and certificate of the OFD; the offline bundle opens and verifies
offline against the fingerprints the page shows; a changed byte fails; who may download what."""

import io
import re
import zipfile

import pytest
from pypdf import PdfReader

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import SigningLog
from apps.licences.ofd.offline import verify_bundle
from apps.licences.ofd.verify import verify_ofd
from apps.licences.services.pdf_signing import pdf_verify

from .factories import grant
from .test_browser import sealed_licence  # noqa: F401 (fixture)
from .test_offline_protection import offline  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.spec("LIC-9.5")
def test_signed_pdf_download_from_the_licence_page_verifies(client, sealed_licence):  # noqa: F811
    admin, seal, licence = sealed_licence
    client.force_login(admin)
    page = client.get(licence.get_absolute_url()).content.decode()
    assert "下载签章 PDF" in page and "下载离线核验包" in page and "下载 OFD" in page
    ofd_log = SigningLog.objects.get(document_sm3=licence.ofd_sm3)
    response = client.post(licence.get_absolute_url(), {"download": "signed-pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('-signed.pdf"')
    pdf = response.content
    reports = pdf_verify(pdf)
    assert len(reports) == 1 and reports[0].verdict == "valid", [(s.key, s.status) for s in reports[0].steps]
    assert reports[0].es_id == seal.es_id
    assert "哈尔滨冰城餐饮1有限公司" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    pdf_log = SigningLog.objects.get(request_message__format="pdf")
    assert (pdf_log.seal_id, pdf_log.certificate_id, pdf_log.sealer_id) == (seal.pk, ofd_log.certificate_id, admin.pk)
    changed = pdf[:300] + bytes([pdf[300] ^ 0x01]) + pdf[301:]
    assert pdf_verify(changed)[0].verdict == "fail"
    # a GET cannot sign (signing is logged: a POST from the page's button)
    assert client.get(licence.get_absolute_url() + "?download=signed-pdf").status_code == 404


@pytest.mark.spec("LIC-3.3")
def test_offline_bundle_download_opens_and_verifies_without_network(client, sealed_licence, offline):  # noqa: F811
    admin, _, licence = sealed_licence
    client.force_login(admin)
    page = client.get(licence.get_absolute_url()).content.decode()
    pinned = set(re.findall(r'data-fingerprint>([0-9a-f]{64})<', page))
    assert pinned
    response = client.get(licence.get_absolute_url() + "?download=bundle")
    assert response["Content-Type"] == "application/zip"
    bundle = response.content
    with zipfile.ZipFile(io.BytesIO(bundle)) as z:
        names = set(z.namelist())
        assert {"licence.ofd", "manifest.json"} <= names and any(n.startswith("roots/") for n in names)
        assert z.read("licence.ofd") == licence.ofd_file.read()
    report = verify_bundle(bundle, pinned_roots=pinned)
    assert report.verdict == "valid" and report.signatures[0].step("trust").status == "ok"
    assert verify_bundle(bundle, pinned_roots={"0" * 64}).verdict == "fail"      # not the pinned root


def test_sealed_downloads_refused_clearly(client, sealed_licence, orgs):  # noqa: F811
    admin, seal, licence = sealed_licence
    url = licence.get_absolute_url()
    assert client.get(url + "?download=bundle").status_code == 302                  # anonymous → login
    reader = grant(StaffFactory(username="dl_reader", organisation=orgs["harbin_dept"]), "view_licence")
    client.force_login(reader)
    page = client.get(url).content.decode()
    assert "需要“使用印章”权限及该印章的授权" in page
    response = client.post(url, {"download": "signed-pdf"}, follow=True)
    assert "您没有执行此操作的权限" in response.content.decode()
    assert client.get(url + "?download=bundle")["Content-Type"] == "application/zip"  # reading is enough
    client.force_login(grant(StaffFactory(username="dl_qq", organisation=orgs["qiqihar"]), "view_licence",
                             "use_seal"))
    assert client.get(url + "?download=bundle").status_code == 404                  # other region
    assert client.post(url, {"download": "signed-pdf"}).status_code == 404
    # a frozen seal cannot sign the PDF; nothing logged
    client.force_login(admin)
    seal.status = "frozen"
    seal.save(update_fields=["status"])
    response = client.post(url, {"download": "signed-pdf"}, follow=True)
    assert "不能签章" in response.content.decode()
    assert not SigningLog.objects.filter(request_message__format="pdf").exists()
    # a licence not (yet) sealed has neither
    from apps.licences.services.licences import licence_enter

    from .factories import licence_data

    draft = licence_enter(actor=admin, template=licence.template, issuer=licence.issuer, data=licence_data(9))
    assert "下载离线核验包" not in client.get(draft.get_absolute_url()).content.decode()
    response = client.get(draft.get_absolute_url() + "?download=bundle", follow=True)
    assert "只有已盖章的有效证照" in response.content.decode()
    assert verify_ofd(licence.ofd_file.read()).signatures
