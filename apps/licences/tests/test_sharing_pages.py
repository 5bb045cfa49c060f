"""Sharing-platform pages (LIC-2.x) and the catalogue-request queue: lists, filters, run aggregation,
statistics; who may see them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import CatalogueRecord, CatalogueEntryRequest

from .factories import grant
from .test_aggregation_proxy import city, national, route, row  # noqa: F401 — fixtures
from .test_catalogue_provider import claimed, provider  # noqa: F401 — fixtures
from .test_sharing import SHARE_PERMS

pytestmark = pytest.mark.django_db
VIEW = ("view_sharinginterface", "view_sharingapplication", "view_licenceapigrant", "view_licenceroute",
        "view_cataloguerecord", "view_catalogueentryrequest", "answer_catalogueentryrequest")
PAGES = ["/portal/licences/sharing/interfaces/", "/portal/licences/sharing/applications/",
         "/portal/licences/sharing/rights/", "/portal/licences/sharing/routes/", "/portal/licences/sharing/logs/",
         "/portal/licences/sharing/catalogue/", "/portal/licences/sharing/statistics/",
         "/portal/licences/catalogue-requests/"]


def test_pages_authorisation_matrix(client, orgs, citizen):
    for url in PAGES:
        assert client.get(url).status_code == 302                                  # anonymous → login
    client.force_login(citizen)
    assert all(client.get(url).status_code in (302, 403) for url in PAGES)
    client.force_login(StaffFactory(username="share_pages_none", organisation=orgs["province"]))
    assert all(client.get(url).status_code == 403 for url in PAGES)


def test_run_aggregation_from_the_route_page_then_see_rows_and_statistics(client, route, city, orgs):  # noqa: F811
    admin = grant(route["admin"], *VIEW)
    city.frontend = [row(1), row(2, access_url="bad")]
    client.force_login(admin)
    page = client.get("/portal/licences/sharing/routes/?name=哈尔滨").content.decode()
    assert "哈尔滨市电子证照库" in page and "立即汇聚" in page
    response = client.post(f"/portal/licences/sharing/routes/{route['route'].pk}/aggregate/", follow=True)
    assert "新增 1，更新 0，删除 0，质检不通过 1" in response.content.decode()
    assert CatalogueRecord.objects.count() == 1 and list(city.anomalies) == ["r2"]
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/portal/licences/sharing/catalogue/").content.decode()
    assert row(1)["licence_code"] in page and "待上报" in page and len(queries) < 20
    stats = client.get("/portal/licences/sharing/statistics/?region=2301").content.decode()
    assert "<td>1</td><td>0</td><td>0</td><td>1</td>" in stats
    other = grant(StaffFactory(username="share_pages_qqhr", organisation=orgs["daoli_dept"]),
                  *VIEW, *SHARE_PERMS)
    client.force_login(other)
    assert client.post(f"/portal/licences/sharing/routes/{route['route'].pk}/aggregate/").status_code == 404


def test_catalogue_request_page_confirms_and_refuses(client, orgs, provider, claimed):  # noqa: F811
    from apps.matters.models import LicenceCatalogueRequest
    from apps.matters.services.systems import licence_catalogue_request_submit

    from .factories import licence_template

    template = licence_template(orgs["province"])
    theirs = [licence_catalogue_request_submit(actor=claimed["manager"], item=claimed["item"], name=n,
                                               subject_type="person", template_name="a.pdf", template=b"%PDF")
              for n in ("证A", "证B")]
    a, b = (CatalogueEntryRequest.objects.get(request_code=t.external_id) for t in theirs)
    admin = grant(StaffFactory(username="cat_page_admin", organisation=orgs["province"]), *VIEW)
    client.force_login(admin)
    page = client.get("/portal/licences/catalogue-requests/").content.decode()
    assert f'data-request="{a.request_code}"' in page and template.type_code in page
    response = client.post("/portal/licences/catalogue-requests/", {"request": a.pk, "action": "refuse",
                                                                    "reason": ""}, follow=True)
    assert "请填写不通过的理由" in response.content.decode()
    client.post("/portal/licences/catalogue-requests/", {"request": a.pk, "action": "refuse", "reason": "重复"})
    client.post("/portal/licences/catalogue-requests/", {"request": b.pk, "action": "confirm",
                                                         "template": template.pk})
    assert dict(LicenceCatalogueRequest.objects.values_list("name", "status")) == {"证A": "refused",
                                                                                   "证B": "confirmed"}
    assert LicenceCatalogueRequest.objects.get(name="证B").catalogue_code == template.type_code
    assert template.name in client.get("/portal/licences/catalogue-requests/?status=confirmed").content.decode()
