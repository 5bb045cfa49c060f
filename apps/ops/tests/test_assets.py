"""OPS-3.4 / 3.3 / 5.4 / 3.7 / 3.1: website assets added, edited, searched and deleted on the portal and
probed over real HTTP against a local site simulator; the asset situation per group with risk value
and level; scan results imported; threat indicators of all nine kinds through the API."""
import http.server
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.audit import AuditLog
from apps.ops.models import Alert, AssetGroup, Finding, HostAsset, ThreatIndicator, WebsiteAsset

pytestmark = pytest.mark.django_db


class _Site(http.server.BaseHTTPRequestHandler):
    status = 200

    def do_GET(self):
        body = "<html><head><title>黑龙江政务服务网</title></head><body>ok</body></html>".encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    handler = type("Site", (_Site,), {"status": 200})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.handler = handler
    yield server
    server.shutdown()
    server.server_close()


def _website_form(url, host=None, group=None, **extra):
    data = {"name": "政务服务网", "url": url, "framework": "Django", "framework_version": "5.2", "site_title": "",
            "usage_status": "in_use", "responsible": "张三", "location": "哈尔滨市", "group": group.pk if group else "",
            "value": "5", "hosts": [host.pk] if host else []}
    data.update(extra)
    return data


@pytest.mark.spec("OPS-3.4")
def test_website_asset_add_edit_search_probe_and_delete(client, ops_team, site):
    group = AssetGroup.objects.create(name="门户网站")
    host = HostAsset.objects.create(name="web-01", category="application", ip_address="10.8.0.11")
    url = f"http://127.0.0.1:{site.server_port}/"
    client.force_login(ops_team["analyst"])
    assert client.post(reverse("ops:website-create"), _website_form(url)).status_code == 403
    client.force_login(ops_team["manager"])
    bad = client.post(reverse("ops:website-create"), _website_form("not a url", host, group))
    assert bad.status_code == 400 and not WebsiteAsset.objects.exists()
    assert client.post(reverse("ops:website-create"), _website_form(url, host, group)).status_code == 302
    website = WebsiteAsset.objects.get()
    assert list(website.hosts.all()) == [host] and website.group == group and website.location == "哈尔滨市"
    assert AuditLog.objects.filter(action="create", object_id=str(website.pk)).exists()

    client.post(reverse("ops:website-edit", args=[website.pk]),
                _website_form(url, host, group, name="黑龙江政务服务网", responsible="李四"))
    website.refresh_from_db()
    assert (website.name, website.responsible) == ("黑龙江政务服务网", "李四")
    assert "黑龙江政务服务网" in client.get(reverse("ops:websites"), {"q": "政务"}).content.decode()
    assert "黑龙江政务服务网" not in client.get(reverse("ops:websites"), {"q": "不存在"}).content.decode()

    client.post(reverse("ops:website-probe", args=[website.pk]))
    website.refresh_from_db()
    assert (website.availability, website.last_status_code, website.site_title) == ("up", 200, "黑龙江政务服务网")
    site.handler.status = 503
    client.post(reverse("ops:website-probe", args=[website.pk]))
    website.refresh_from_db()
    assert website.availability == "down" and website.last_error == "HTTP 503"
    assert Alert.objects.get(origin="probe").title == "网站不可访问：黑龙江政务服务网"
    client.post(reverse("ops:website-probe", args=[website.pk]))
    assert Alert.objects.get(origin="probe").count == 1        # still down: no new alert

    assert client.post(reverse("ops:website-delete", args=[website.pk])).status_code == 302
    assert not WebsiteAsset.objects.exists()


@pytest.mark.spec("OPS-3.4")
def test_website_list_query_count_is_flat(client, ops_team):
    group = AssetGroup.objects.create(name="g")
    host = HostAsset.objects.create(name="h", category="server", ip_address="10.0.0.1")

    def make(start, n):
        for i in range(start, start + n):
            w = WebsiteAsset.objects.create(name=f"站点{i}", url=f"http://s{i}.example.cn/", group=group)
            w.hosts.add(host)

    client.force_login(ops_team["analyst"])
    make(0, 2)
    client.get(reverse("ops:websites"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ops:websites"))
    make(2, 10)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ops:websites"))
    assert len(many) == len(few)


@pytest.mark.spec("OPS-5.4", "OPS-3.3", "OPS-3.7")
def test_scan_import_links_findings_to_assets_and_the_situation_shows_group_risk(client, ops_team):
    core = AssetGroup.objects.create(name="核心业务区")
    AssetGroup.objects.create(name="办公区")
    HostAsset.objects.create(name="审批库", category="database", ip_address="10.1.0.5", group=core)
    HostAsset.objects.create(name="IPv6网关", category="network", ip_address="2001:db8::1", group=core)
    client.force_login(ops_team["manager"])
    bad = ("ip,port,kind,title,severity,cve,solution\n10.1.0.5,5432,漏洞,PostgreSQL 提权,高,CVE-2024-1,升级\n"
           "10.1.0.999,22,漏洞,x,高,,\n10.1.0.6,70000,未知,y,极高,,\n").encode()
    response = client.post(reverse("ops:finding-import"), {"source": "nsfocus",
                                                           "file": SimpleUploadedFile("r.csv", bad)})
    body = response.content.decode()
    assert response.status_code == 400 and "第 3 行" in body and "第 4 行" in body and not Finding.objects.exists()
    good = ("ip,port,kind,title,severity,cve,solution\n10.1.0.5,5432,漏洞,PostgreSQL 提权,严重,CVE-2024-1,升级\n"
            "10.1.0.5,22,弱口令,root/123456,高,,改密\n2001:db8::1,,配置核查,未开启日志审计,中,,开启\n"
            "10.9.9.9,80,漏洞,目录遍历,中,,\n").encode()
    response = client.post(reverse("ops:finding-import"), {"source": "manual", "file": SimpleUploadedFile("r.csv", good)})
    assert response.status_code == 302
    assert Finding.objects.count() == 4
    discovered = HostAsset.objects.get(ip_address="10.9.9.9")
    assert (discovered.discovery_source, discovered.registration_status) == ("vulnerability", "unregistered")

    page = client.get(reverse("ops:situation")).content.decode()
    # 核心业务区: critical 40 + high 20 on 审批库 = 60 → 中; 未分组: medium 8 → 低; 办公区 empty
    assert '<th scope="row">核心业务区</th><td>2</td><td>60</td>' in page
    assert '<th scope="row">未分组</th><td>1</td><td>8</td>' in page
    assert '<th scope="row">办公区</th><td>0</td><td>0</td>' in page
    assert 'data-testid="asset-total">3<' in page
    for heading in ("资产登记状态", "资产发现来源", "近30天资产发现趋势（按来源）", "开放端口"):
        assert heading in page
    client.force_login(ops_team["outsider"])
    assert client.get(reverse("ops:situation")).status_code == 403


@pytest.mark.spec("OPS-3.1")
def test_threat_indicators_of_all_nine_kinds_through_the_api(client, ops_team):
    client.force_login(ops_team["manager"])
    samples = {"ip": "2001:DB8::BAD", "domain": "Evil.Example.com", "md5": "44D88612FEA8A8F36DE82E1278ABB02F",
               "domain_uri": "evil.example.com/a.php", "ip_uri": "203.0.113.5/x", "domain_port": "evil.example.com:8443",
               "ip_port": "203.0.113.5:4444", "domain_port_uri": "evil.example.com:8443/c2",
               "ip_port_uri": "[2001:db8::bad]:8080/c2"}
    for kind, value in samples.items():
        response = client.post("/api/v1/ops/indicators/", {"kind": kind, "value": value},
                               content_type="application/json")
        assert response.status_code == 201, (kind, response.content)
    assert set(ThreatIndicator.objects.values_list("value", flat=True)) >= {"2001:db8::bad", "evil.example.com",
                                                                          "[2001:db8::bad]:8080/c2"}
    for kind, value in [("ip", "300.1.1.1"), ("domain_port", "evil.example.com"), ("md5", "xyz"),
                        ("ip", "2001:db8::bad")]:
        response = client.post("/api/v1/ops/indicators/", {"kind": kind, "value": value},
                               content_type="application/json")
        assert response.status_code == 400 and response.json()["errors"]["value"]
    assert ThreatIndicator.objects.count() == 9
    client.force_login(ops_team["engineer"])
    assert client.post("/api/v1/ops/indicators/", {"kind": "ip", "value": "1.1.1.1"},
                       content_type="application/json").status_code == 403


@pytest.mark.spec("OPS-11.3", "OPS-3.9")
def test_collectors_upload_lines_over_https_all_or_nothing(client, ops_team):
    client.force_login(ops_team["manager"])
    response = client.post("/api/v1/ops/events/", {"lines": ["<13>Nov 30 10:00:00 h sshd[1]: ok", "  "]},
                           content_type="application/json")
    assert response.status_code == 400
    from apps.ops.models import LogEvent

    assert not LogEvent.objects.exists()
    response = client.post("/api/v1/ops/events/", {"lines": ["<13>Nov 30 10:00:00 h sshd[1]: ok"]},
                           content_type="application/json")
    assert response.status_code == 201 and response.json() == {"stored": 1, "dropped": 0}
    client.force_login(ops_team["engineer"])
    assert client.post("/api/v1/ops/events/", {"lines": ["x"]}, content_type="application/json").status_code == 403


def test_every_ops_model_is_in_the_admin_with_filters_or_search(admin_client):
    from django.apps import apps
    from django.contrib import admin

    inline_only = {i.model for ma in admin.site._registry.values() for i in ma.inlines}
    for model in apps.get_app_config("ops").get_models():
        if model in inline_only and not admin.site.is_registered(model):
            continue
        assert admin.site.is_registered(model), model
        model_admin = admin.site._registry[model]
        assert model_admin.list_filter or model_admin.search_fields, model
        assert admin_client.get(f"/admin/ops/{model._meta.model_name}/").status_code == 200, model


@pytest.mark.spec("OPS-3.3")
def test_host_assets_in_every_category_with_services_including_ipv6(client, ops_team):
    from apps.ops.models import HostCategory

    client.force_login(ops_team["manager"])
    for index, (value, label) in enumerate(HostCategory.choices):
        ip = f"10.50.0.{index + 1}" if index else "2001:db8:50::1"
        response = client.post(reverse("ops:host-create"), {
            "name": f"{label}-01", "category": value, "ip_address": ip, "value": 3, "registration_status": "registered",
            "discovery_source": "manual",
            "services_text": "22/tcp ssh OpenSSH_9.6 SSH-2.0-OpenSSH_9.6\n161/udp snmp v2c"})
        assert response.status_code == 302, (value, response.content.decode()[-800:])
    assert HostAsset.objects.count() == 12
    ipv6 = HostAsset.objects.get(ip_address="2001:db8:50::1")
    ssh = ipv6.services.get(port=22)
    assert (ssh.ip_address, ssh.protocol, ssh.service_name, ssh.service_version, ssh.banner) == (
        "2001:db8:50::1", "tcp", "ssh", "OpenSSH_9.6", "SSH-2.0-OpenSSH_9.6")
    bad = client.post(reverse("ops:host-create"), {"name": "x", "category": "server", "ip_address": "10.50.1.1",
                                                    "value": 3, "registration_status": "registered",
                                                    "discovery_source": "manual", "services_text": "99999/tcp x"})
    assert bad.status_code == 400 and not HostAsset.objects.filter(ip_address="10.50.1.1").exists()

    client.force_login(ops_team["analyst"])
    page = client.get(reverse("ops:hosts"), {"category": "database"}).content.decode()
    assert "数据库服务器-01" in page and "服务器-01</th>" not in page.replace("数据库服务器-01</th>", "")
    assert "2001:db8:50::1:22/tcp ssh OpenSSH_9.6" in client.get(reverse("ops:hosts"), {"q": "2001:db8:50::1"}
                                                                 ).content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ops:hosts"), {"category": "database"})
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ops:hosts"))
    assert len(many) == len(few)
    assert client.post(reverse("ops:host-create"), {"name": "y"}).status_code == 403
