"""OFD reader (LIC-3.1): any OFD opens in the browser with page turning, zoom, print and a signature panel;
a modified file shows its signature as invalid."""

import io
import re
import zipfile

import pytest

from apps.licences.ofd.package import OFDPackage
from apps.licences.services.signing import document_sign
from apps.licences.ofd.sign import StampPosition

from .factories import demo_pki, seal_admin, valid_seal
from .test_licence_lifecycle import world  # noqa: F401 (fixture)
from .test_ofd_write_sign import licence_face

pytestmark = pytest.mark.django_db


def upload(client, data, name="file.ofd"):
    f = io.BytesIO(data)
    f.name = name
    return client.post("/licences/reader/", {"document": f})


def tampered(data: bytes) -> bytes:
    entries = OFDPackage(data).entries
    name = next(n for n in entries if n.endswith("Content.xml"))
    entries[name] = entries[name].replace("哈尔滨".encode(), "齐齐哈".encode(), 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for key, value in entries.items():
            zf.writestr(key, value)
    return buf.getvalue()


@pytest.mark.spec("LIC-3.1")
def test_reader_pages_zoom_print_and_signature_panel(client, corpus, orgs):
    multi = (corpus / "plain" / "Page5.ofd").read_bytes()
    pages = len(OFDPackage(multi).bodies[0].pages)
    response = upload(client, multi, "Page5.ofd")           # no login needed
    assert response.status_code == 302
    url = response.url
    body = client.get(url).content.decode()
    assert f"第 1 / {pages} 页" in body and 'rel="next"' in body and "文件未签章" in body
    last = client.get(url, {"page": pages, "zoom": 150}).content.decode()
    assert f"第 {pages} / {pages} 页" in last and 'rel="next"' not in last and "<strong>150%</strong>" in last
    digest = url.rstrip("/").rsplit("/", 1)[1]
    image = client.get(f"/licences/reader/{digest}/page/{pages}.png")
    assert image.status_code == 200 and image.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/licences/reader/{digest}/page/{pages + 1}.png").status_code == 404
    assert client.get(f"/licences/reader/{digest}/print.pdf").content[:5] == b"%PDF-"
    assert client.get("/licences/reader/" + "0" * 64 + "/").status_code == 404
    assert upload(client, b"not an ofd").status_code == 400

    admin = seal_admin(orgs["province"])
    pki = demo_pki(admin, orgs["province"])
    seal = valid_seal(admin, orgs["province"], pki)
    signed = document_sign(actor=admin, seal=seal, certificate=pki["signer"], data=licence_face(),
                           position=StampPosition(0, 150, 100, 40, 40)).data
    body = client.get(upload(client, signed).url).content.decode()
    assert re.search(r'data-signature="[^"]+" data-verdict="valid"', body)
    body = client.get(upload(client, tampered(signed)).url).content.decode()
    assert re.search(r'data-signature="[^"]+" data-verdict="fail"', body) and "不通过" in body


def test_licence_reader_link_checks_permission_and_scope(client, world, staff):  # noqa: F811
    from apps.identity.tests.factories import StaffFactory
    from apps.licences.services.licences import licence_seal

    from .factories import grant
    from .test_licence_lifecycle import approved

    licence = licence_seal(actor=world["clerk"], licence=approved(world, 1), seal=world["seal"],
                           certificate=world["pki"]["signer"])
    url = f"/licences/reader/licence/{licence.pk}/"
    assert client.get(url).status_code == 302 and client.get(url).url.startswith("/login/")   # anonymous
    client.force_login(staff["harbin"])                     # staff without view_licence
    assert client.get(url).status_code == 403
    client.force_login(grant(StaffFactory(username="qq_viewer", organisation=world["dept"].__class__.objects.get(
        name="齐齐哈尔市营商环境建设监督局")), "view_licence"))
    assert client.get(url).status_code == 404               # other region
    client.force_login(world["clerk"])
    opened = client.get(url)
    assert opened.status_code == 302
    assert 'data-verdict="valid"' in client.get(opened.url).content.decode()
