"""Licence collection rate per provincial-direct department (LIC-1.23, formulas in decision 0308)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.licences.ofd.sign import StampPosition
from apps.licences.ofd.writer import OFDWriter
from apps.licences.services.licences import licence_enter, licence_review, licence_seal, licence_submit
from apps.licences.services.signing import document_sign

from .factories import LICENCE_PERMS, demo_pki, grant, licence_data, licence_template, seal_admin, valid_seal

pytestmark = pytest.mark.django_db
URL = "/portal/licences/statistics/?by=collection"


def _ofd() -> bytes:
    writer = OFDWriter(width_mm=210, height_mm=297, title="行政许可决定书")
    writer.add_page().text(20, 20, "行政许可决定书", size=6)
    return writer.build()


@pytest.fixture
def collected(orgs, regions):
    admin = seal_admin(orgs["province"], "rate_admin")
    pki = demo_pki(admin, orgs["province"])
    dept = OrganisationFactory(name="黑龙江省市场监督管理局", region=regions["230000000000"], kind="department")
    OrganisationFactory(name="黑龙江省卫生健康委员会", region=regions["230000000000"], kind="department")
    clerk = grant(StaffFactory(username="rate_clerk", organisation=dept), *LICENCE_PERMS)
    seal = valid_seal(admin, dept, pki, "黑龙江省市场监督管理局电子证照专用章")
    seal.grants.create(user=clerk, granted_by=admin)
    template = licence_template(orgs["province"])
    entered = [licence_enter(actor=clerk, template=template, issuer=dept, data=licence_data(n)) for n in range(3)]
    licence_enter(actor=clerk, template=template, issuer=dept, data={"name": "草稿"}, draft=True)   # not counted
    licence_submit(actor=clerk, licences=[entered[0]])
    licence_review(actor=clerk, licence=entered[0], approve=True)
    licence_seal(actor=clerk, licence=entered[0], seal=seal, certificate=pki["signer"])
    for client in ("scjg-xk", ""):   # one document from a connected system, one uploaded by hand
        document_sign(actor=clerk, seal=seal, certificate=pki["signer"], data=_ofd(),
                      position=StampPosition(0, 20, 40, 40, 40), document_name="决定书.ofd", client=client)
    viewer = grant(StaffFactory(username="rate_viewer", organisation=orgs["province"]), "view_licence")
    return {"viewer": viewer, "dept": dept}


@pytest.mark.spec("LIC-1.23")
def test_collection_rate_page_per_provincial_department(client, collected):
    client.force_login(collected["viewer"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    rows = {r["name"]: r for r in response.context["rows"]}
    row = rows["黑龙江省市场监督管理局"]
    assert (row["licences"], row["licences_collected"], row["documents"], row["documents_collected"]) == (3, 1, 2, 1)
    assert (row["licence_rate"], row["document_rate"], row["overall_rate"]) == (33.3, 50.0, 40.0)
    assert rows["黑龙江省卫生健康委员会"]["overall_rate"] is None          # nothing to count: shown as —
    assert "哈尔滨市市场监督管理局" not in rows                             # not a provincial-direct department
    html = response.content.decode()
    assert "33.3%" in html and "40.0%" in html and "—" in html
    assert len(queries) < 30
    searched = client.get(URL + "&name=卫生")
    assert [r["name"] for r in searched.context["rows"]] == ["黑龙江省卫生健康委员会"]


def test_collection_rate_authorisation(client, collected, citizen):
    assert client.get(URL).status_code == 302
    client.force_login(citizen)
    assert client.get(URL).status_code in (302, 403)
    client.force_login(StaffFactory(username="rate_noperm", organisation=collected["dept"]))
    assert client.get(URL).status_code == 403
