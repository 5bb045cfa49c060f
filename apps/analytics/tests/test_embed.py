"""ANA-0.1: the visualisation invocation interface — a registered client embeds a granted chart (iframe page or
JSON); unregistered callers and ungranted charts are refused; only the client's origin may frame the page."""
import pytest
from django.test import Client

from apps.analytics.models import DataLog, EmbedClient
from apps.analytics.services.embed import embed_client_register, embed_client_set_enabled
from apps.analytics.tests.factories import login, refresh_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(province, ana_admin, django_capture_on_commit_callbacks):
    refresh_all(ana_admin, django_capture_on_commit_callbacks)
    return province


@pytest.fixture
def portal_client(ana_admin, orgs):
    client, key = embed_client_register(actor=ana_admin, name="黑龙江政务服务网", kind="portal",
                                        origin="https://zwfw.hlj.gov.cn/", region=orgs["province"].region,
                                        allowed_charts=["2.1", "2.8"])
    return client, key


@pytest.mark.spec("ANA-0.1", "ANA-2.1")
def test_a_registered_portal_embeds_a_granted_chart(seeded, portal_client):
    client, key = portal_client
    response = Client().get("/portal/analytics/embed/2.1/", {"key": key})
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "frame-ancestors https://zwfw.hlj.gov.cn"
    assert "X-Frame-Options" not in response
    table = {row[0]: row[1:] for row in response.context["chart"]["tables"][0]["rows"]}
    assert table["哈尔滨市"] == [0, 2, 2, 1]
    assert "全省事项认领情况分析图" in response.content.decode()


@pytest.mark.spec("ANA-0.1")
def test_the_json_interface_answers_the_registered_origin_only(seeded, portal_client):
    _client, key = portal_client
    response = Client().get("/api/v1/analytics/embed/charts/2.8/", HTTP_X_EMBED_KEY=key)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://zwfw.hlj.gov.cn"
    body = response.json()
    assert {row[0]: row[1:] for row in body["tables"][0]["rows"]}["哈尔滨市"] == [2, 1, 0, 1]


@pytest.mark.spec("ANA-0.1")
def test_unregistered_callers_and_ungranted_charts_are_refused(seeded, portal_client, ana_admin):
    client, key = portal_client
    anonymous = Client()
    no_key = anonymous.get("/portal/analytics/embed/2.1/")
    assert no_key.status_code == 401
    assert no_key["X-Frame-Options"] == "DENY" and no_key["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert "chart" not in (no_key.context or {})
    assert anonymous.get("/portal/analytics/embed/2.1/", {"key": "ana_forged"}).status_code == 401
    assert anonymous.get("/portal/analytics/embed/2.2/", {"key": key}).status_code == 403
    assert anonymous.get("/api/v1/analytics/embed/charts/2.1/").status_code == 401
    assert anonymous.get("/api/v1/analytics/embed/charts/2.4/", HTTP_X_EMBED_KEY=key).json()["message"] == \
        "该客户端未获授权调取此分析图。"
    embed_client_set_enabled(actor=ana_admin, client=client, enabled=False)
    assert anonymous.get("/portal/analytics/embed/2.1/", {"key": key}).status_code == 401


@pytest.mark.spec("ANA-0.1")
def test_a_city_department_portal_embeds_its_city_only(seeded, ana_admin, orgs):
    _client, key = embed_client_register(actor=ana_admin, name="哈尔滨市政务服务网", kind="department_portal",
                                         origin="https://hrb.example.cn", region=orgs["harbin"].region,
                                         allowed_charts=["2.1"])
    body = Client().get("/api/v1/analytics/embed/charts/2.1/", HTTP_X_EMBED_KEY=key).json()
    names = [row[0] for row in body["tables"][0]["rows"]]
    assert names == ["哈尔滨市本级", "道里区", "南岗区", "合计"]


@pytest.mark.spec("ANA-0.1")
def test_an_administrator_registers_a_client_and_sees_the_key_once(orgs, ana_admin):
    http = login(ana_admin)
    response = http.post("/portal/analytics/clients/add/", {
        "name": "省人社厅门户", "kind": "department_portal", "origin": "https://hrss.hlj.gov.cn",
        "region": "230000000000", "allowed_charts": ["2.3", "2.6"]})
    assert response.status_code == 200
    key = response.context["new_key"]
    client = EmbedClient.objects.get(name="省人社厅门户")
    assert client.allowed_charts == ["2.3", "2.6"] and key not in client.key_digest and key.startswith("ana_")
    assert key not in http.get(f"/portal/analytics/clients/{client.pk}/").content.decode()
    assert DataLog.objects.filter(kind="operation", summary__contains="省人社厅门户").exists()
    bad = http.post("/portal/analytics/clients/add/", {"name": "X", "kind": "portal", "origin": "ftp://x/y",
                                                       "region": "230000000000"})
    assert bad.status_code == 400 and "origin" in bad.context["form"].errors
    assert EmbedClient.objects.count() == 1


@pytest.mark.spec("ANA-0.1", "ANA-1.2")
def test_a_city_administrator_cannot_register_for_another_city(orgs):
    from apps.analytics.tests.factories import administrator

    http = login(administrator(orgs["harbin"], username="hrb_admin"))
    response = http.post("/portal/analytics/clients/add/", {"name": "齐市门户", "kind": "portal",
                                                            "origin": "https://qqhr.example.cn",
                                                            "region": "230200000000", "allowed_charts": ["2.1"]})
    assert response.status_code == 400 and "region" in response.context["form"].errors
    assert not EmbedClient.objects.exists()


@pytest.mark.spec("ANA-0.1")
def test_resetting_the_key_retires_the_old_one_and_disabling_refuses(seeded, portal_client, ana_admin, orgs):
    client, old_key = portal_client
    http = login(ana_admin)
    response = http.post(f"/portal/analytics/clients/{client.pk}/rotate/")
    new_key = response.context["new_key"]
    anonymous = Client()
    assert anonymous.get("/api/v1/analytics/embed/charts/2.1/", HTTP_X_EMBED_KEY=old_key).status_code == 401
    assert anonymous.get("/api/v1/analytics/embed/charts/2.1/", HTTP_X_EMBED_KEY=new_key).status_code == 200
    assert http.post(f"/portal/analytics/clients/{client.pk}/disable/").status_code == 302
    assert anonymous.get("/api/v1/analytics/embed/charts/2.1/", HTTP_X_EMBED_KEY=new_key).status_code == 401
    from apps.analytics.tests.factories import analyst

    viewer = login(analyst(orgs["province"], username="client_viewer"))
    assert viewer.get(f"/portal/analytics/clients/{client.pk}/").status_code == 200
    assert viewer.post(f"/portal/analytics/clients/{client.pk}/enable/").status_code == 403
    client.refresh_from_db()
    assert client.is_enabled is False
