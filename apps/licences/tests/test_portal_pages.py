"""Portal pages: authorisation matrix, scope, actions, downloads."""

import pytest
from pypdf import PdfReader
import io

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import SealStatus
from apps.licences.ofd.verify import verify_ofd

from .factories import grant
from .test_browser import sealed_licence  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_seal_pages_authorisation_matrix(client, sealed_licence, citizen, orgs):  # noqa: F811
    admin, seal, _ = sealed_licence
    url = f"/portal/licences/seals/{seal.pk}/"
    assert client.get(url).status_code in (302, 403)  # anonymous → login
    client.force_login(citizen)
    assert client.get(url).status_code in (302, 403)
    client.force_login(StaffFactory(username="noperm", organisation=orgs["harbin_dept"]))
    assert client.get(url).status_code == 403
    client.force_login(grant(StaffFactory(username="qq", organisation=orgs["qiqihar"]), "view_seal", "manage_seal"))
    assert client.get(url).status_code == 404  # other region: out of scope
    assert client.post(url, {"action": "freeze", "comment": "x"}).status_code == 404
    client.force_login(admin)
    assert seal.name in client.get("/portal/licences/seals/").content.decode()
    response = client.post(url, {"action": "freeze", "comment": ""}, follow=True)
    assert "请填写操作原因" in response.content.decode()
    seal.refresh_from_db()
    assert seal.status == SealStatus.VALID
    client.post(url, {"action": "freeze", "comment": "核查"})
    seal.refresh_from_db()
    assert seal.status == SealStatus.FROZEN


@pytest.mark.spec("LIC-1.10")
def test_licence_search_detail_and_downloads(client, sealed_licence, orgs):  # noqa: F811
    admin, _, licence = sealed_licence
    client.force_login(admin)
    for query in (f"name=食品", f"licence_number={licence.licence_number}", "issuer=市场监督", "holder_name=冰城餐饮1"):
        assert licence.licence_number in client.get(f"/portal/licences/?{query}").content.decode(), query
    assert licence.licence_number not in client.get("/portal/licences/?holder_name=不存在").content.decode()
    ofd = client.get(f"/portal/licences/{licence.pk}/?download=ofd")
    assert ofd["Content-Type"] == "application/ofd" and verify_ofd(ofd.content).verdict == "valid"
    pdf = client.get(f"/portal/licences/{licence.pk}/?download=pdf")
    assert "哈尔滨冰城餐饮1有限公司" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert licence.licence_number not in client.get("/portal/licences/?status=cancelled").content.decode()
    client.force_login(grant(StaffFactory(username="qq2", organisation=orgs["qiqihar"]), "view_licence"))
    assert client.get(f"/portal/licences/{licence.pk}/").status_code == 404
    assert licence.licence_number not in client.get("/portal/licences/").content.decode()


def test_unsealed_licence_previews_as_pdf_but_has_no_ofd_download(client, orgs):
    from .factories import LICENCE_PERMS, licence_data, licence_template
    from apps.licences.services.licences import licence_enter

    clerk = grant(StaffFactory(username="clerk2", organisation=orgs["harbin_dept"]), *LICENCE_PERMS)
    licence = licence_enter(actor=clerk, template=licence_template(orgs["province"]), issuer=orgs["harbin_dept"],
                            data=licence_data(3))
    client.force_login(clerk)
    pdf = client.get(f"/portal/licences/{licence.pk}/?download=pdf")
    assert "哈尔滨冰城餐饮3有限公司" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert client.get(f"/portal/licences/{licence.pk}/?download=ofd").status_code == 404
