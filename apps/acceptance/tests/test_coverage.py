"""Integration coverage (对接覆盖范围, ACC-19.5) as dispatch staff meet it: which department systems are connected
and which of each department's items reach a system through a published route — page and API, in scope, with a
fixed number of queries."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from apps.acceptance.models import ExchangeMessage
from apps.acceptance.services import dispatch as ds
from apps.acceptance.tests import factories as f
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/acceptance/integration-coverage/"


@pytest.fixture
def landscape(orgs):
    admin = f.dispatch_admin(orgs["harbin"], username="city_dispatch")       # the city bureau: whole city
    market = [f.matter(orgs["harbin_dept"], f"市场事项{n}") for n in range(3)]
    daoli = f.matter(orgs["daoli_dept"], "道里事项")
    qiqihar = f.matter(orgs["qiqihar"], "齐市事项")
    client, route, _token = f.connected_route(admin, orgs["harbin_dept"], "http://127.0.0.1:9/", name="市场监管审批系统")
    ds.matter_route_set(actor=admin, item=market[0], route=route)
    ds.matter_route_set(actor=admin, item=market[1], route=route)
    ds.client_register(actor=admin, name="道里待审系统", system_type="provincial_vertical",
                       organisation=orgs["daoli_dept"], address="http://127.0.0.1:9/")          # pending: not counted
    ExchangeMessage.objects.create(client=client, direction="in", kind="dispatch.signed", message_id="m1")
    ExchangeMessage.objects.create(client=client, direction="out", kind="case.accepted", message_id="m2")
    ExchangeMessage.objects.create(client=client, direction="out", kind="case.accepted", message_id="m3")
    return {"admin": admin, "market": market, "daoli": daoli, "qiqihar": qiqihar, "client": client}


@pytest.mark.spec("ACC-19.5")
def test_coverage_per_department_and_item_on_the_page_and_api(client, orgs, landscape):
    client.force_login(landscape["admin"])
    url = reverse("acceptance:integration-coverage")
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("哈尔滨市市场监督管理局", "市场监管审批系统", "部门自建系统", "66.7%", "道里区市场监督管理局", "未接入",
                 "2 / 4"):                                     # 2 of the city's 4 items are connected
        assert text in html, text
    assert "齐齐哈尔" not in html and "道里待审系统" not in html
    detail = client.get(url, {"organisation": orgs["harbin_dept"].pk}).content.decode()
    assert detail.count("已对接</span>") == 2 and detail.count("未对接</span>") == 1
    assert "市场监管审批系统受理" in detail                       # the route's name on a connected item

    # more departments and systems do not add queries
    for n in range(3):
        f.matter(orgs["harbin_dept"], f"追加事项{n}")
    f.connected_route(landscape["admin"], orgs["daoli_dept"], "http://127.0.0.1:9/", name="道里系统")
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)

    api = APIClient()
    api.force_authenticate(landscape["admin"])
    body = api.get(API).json()
    market = next(r for r in body["rows"] if r["organisation"] == "哈尔滨市市场监督管理局")
    assert (market["items"], market["connected"], market["received"], market["sent"]) == (6, 2, 1, 2)
    assert market["systems"] == [{"name": "市场监管审批系统", "system_type": "department"}]
    assert body["connected_departments"] == 2 and all(r["organisation"] != "齐齐哈尔市营商环境建设监督局"
                                                      for r in body["rows"])


@pytest.mark.spec("ACC-19.5")
def test_coverage_authorisation_matrix(client, orgs, landscape):
    url = reverse("acceptance:integration-coverage")
    assert client.get(url).status_code == 302                                   # anonymous → login
    assert APIClient().get(API).status_code in (401, 403)
    citizen = UserFactory(username="cov_citizen")
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    api = APIClient()
    api.force_authenticate(citizen)
    assert api.get(API).status_code == 403
    plain = StaffFactory(username="cov_plain", organisation=orgs["harbin"])
    client.force_login(plain)
    assert client.get(url).status_code == 403                                   # staff without permission
    other = f.dispatch_admin(orgs["qiqihar"], username="qq_dispatch")           # another region
    client.force_login(other)
    html = client.get(url).content.decode()
    assert "市场监管审批系统" not in html and "齐齐哈尔市营商环境建设监督局" in html


@pytest.mark.spec("PORTAL-7.1")
def test_should_connect_progress_query_and_export(client, orgs, landscape):
    """应接尽接进度报表: the same per-department progress, queried by department name and exported."""
    import io

    from openpyxl import load_workbook

    client.force_login(landscape["admin"])
    url = reverse("acceptance:integration-coverage")
    daoli = client.get(url, {"department": "道里"}).content.decode()
    assert "道里区市场监督管理局" in daoli and "哈尔滨市市场监督管理局" not in daoli
    with CaptureQueriesContext(connection) as export_queries:
        response = client.get(url, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("部门", "区划", "接入系统", "事项数", "已对接事项", "覆盖率%", "接收报文（近30天）", "发送报文（近30天）")
    assert ("哈尔滨市市场监督管理局", "哈尔滨市", "市场监管审批系统（部门自建系统）", 3, 2, 66.7, 1, 2) in rows
    assert ("道里区市场监督管理局", "道里区", "未接入", 1, 0, 0, 0, 0) in rows
    assert not any("齐齐哈尔" in str(row[0]) for row in rows)
    f.connected_route(landscape["admin"], orgs["daoli_dept"], "http://127.0.0.1:9/", name="道里系统")
    with CaptureQueriesContext(connection) as more:
        client.get(url, {"export": "xlsx"})
    assert len(more) == len(export_queries)                  # one more department's system: no more queries
    only = load_workbook(io.BytesIO(client.get(url, {"department": "道里", "export": "xlsx"}).content)).active
    assert [row[0] for row in only.iter_rows(min_row=2, values_only=True)] == ["道里区市场监督管理局"]
