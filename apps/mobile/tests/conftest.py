"""Fixtures of the mobile tests: peers over real HTTP (upstream interface, app site, push channel), unit staff,
reviewers and helpers that go through the services."""
from __future__ import annotations

import json

import pytest
import requests
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.adapters.simulators import SimulatorServer
from apps.core.tests.factories import OrganisationFactory, grant
from apps.identity.tests.factories import StaffFactory
from apps.mobile.adapters.simulators import AppSiteSimulator, PushGatewaySimulator, UpstreamSimulator
from apps.mobile.models import AppType, InterfaceCategory
from apps.mobile.services import apps as app_services
from apps.mobile.services import interfaces as interface_services

UNIT_PERMS = ("mobile.manage_interfaces", "mobile.develop_apps")
ADMIN_PERMS = ("mobile.review_interfaces", "mobile.administer_apps", "mobile.manage_components",
               "mobile.manage_interfaces", "mobile.develop_apps")


class Peer:
    def __init__(self, simulator, url):
        self.simulator, self.url = simulator, url

    def control(self, **body):
        requests.post(f"{self.url}/control", data=json.dumps(body), timeout=5).raise_for_status()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def upstream():
    simulator = UpstreamSimulator()
    with SimulatorServer(simulator) as server:
        yield Peer(simulator, server.url)


@pytest.fixture
def app_site():
    simulator = AppSiteSimulator("社保查询")
    with SimulatorServer(simulator) as server:
        yield Peer(simulator, server.url)


@pytest.fixture
def push_gateway(settings):
    simulator = PushGatewaySimulator()
    with SimulatorServer(simulator) as server:
        settings.MOBILE_PUSH_URL = server.url
        yield Peer(simulator, server.url)


@pytest.fixture
def units(orgs):
    """Two units (Harbin market supervision, a Qiqihar department) and the provincial admin."""
    qiqihar_dept = OrganisationFactory(name="齐齐哈尔市人力资源和社会保障局", region=orgs["qiqihar"].region)
    harbin = StaffFactory(username="mobile_harbin", organisation=orgs["harbin_dept"], full_name="哈尔滨开发者",
                          mobile_number="13800000001")
    qiqihar = StaffFactory(username="mobile_qiqihar", organisation=qiqihar_dept, full_name="齐齐哈尔开发者")
    admin = StaffFactory(username="mobile_admin", organisation=orgs["province"], full_name="省平台运维")
    grant(harbin, *UNIT_PERMS, role_code="mobile-unit")
    grant(qiqihar, *UNIT_PERMS, role_code="mobile-unit")
    grant(admin, *ADMIN_PERMS, role_code="mobile-admin")
    return {"harbin": harbin, "qiqihar": qiqihar, "admin": admin}


def resource_data(code: str, url: str, **extra) -> dict:
    return {"category": InterfaceCategory.objects.get(code="social_security"), "code": code,
            "name": f"接口{code}", "version": "1.0", "method": "GET", "upstream_url": url, "description": "",
            "rate_limit_count": 100, "rate_limit_seconds": 60, "is_public": True, **extra}


def published_resource(units, code: str, url: str, *, owner: str = "harbin", **extra):
    """A resource filled in, tested against the upstream, submitted and approved."""
    resource = interface_services.resource_create(actor=units[owner], data=resource_data(code, url, **extra))
    assert interface_services.resource_test(actor=units[owner], resource=resource).ok
    interface_services.resource_submit(actor=units[owner], resource=resource)
    interface_services.resource_review(actor=units["admin"], resources=[resource], approve=True)
    resource.refresh_from_db()
    return resource


def app_data(identifier: str, **extra) -> dict:
    return {"name": "社保查询", "identifier": identifier, "app_type": AppType.objects.get(code="social_security"),
            "encryption_method": "sm4", "app_form": "h5", "introduction": "查询社保缴费记录",
            "icon": SimpleUploadedFile("icon.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
            "requires_login": True, "requires_face": False, "unified_auth_integrated": True,
            "network_environment": "internet",
            "source_package": SimpleUploadedFile("src.zip", b"PK\x03\x04", content_type="application/zip"),
            **extra}


def approved_app(units, identifier: str, url: str, *, owner: str = "harbin", components=("user", "message"),
                 listed: bool = True):
    """An app created, configured with its URL, detected, approved and (by default) listed."""
    app, key = app_services.app_create(actor=units[owner], data=app_data(identifier),
                                       component_codes=list(components), channel_codes=["app", "wechat", "alipay"])
    app_services.app_configure(actor=units[owner], app=app, data={"url": url})
    app_services.app_submit(actor=units[owner], app=app)
    review = app_services.app_detect(actor=units["admin"], app=app)
    assert review.all_passed, review.report
    app_services.app_review_decide(actor=units["admin"], app=app, approve=True)
    if listed:
        app_services.app_set_listing(actor=units["admin"], app=app, listed=True)
    app.refresh_from_db()
    return app, key


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def gateway_call(client, app, key, code, path="records", *, query="", body=None, method="get", encrypt=True):
    """Call the gateway the way an app does: with mandatory encryption, query and body are sealed with the
    transport key derived from the app key, and the answer is opened again. Returns (response, payload)."""
    from apps.mobile import transport

    headers = {"HTTP_X_APP_ID": app.identifier, "HTTP_X_APP_KEY": key}
    url = f"/api/v1/mobile/gateway/{code}/{path}"
    scheme = transport.SCHEMES.get(app.encryption_method) if encrypt else None
    tkey = transport.derive_transport_key(key)
    data = body.encode() if isinstance(body, str) else (body or b"")
    if scheme:
        headers["HTTP_X_PAYLOAD_ENCRYPTION"] = scheme
        if query:
            headers["HTTP_X_ENCRYPTED_QUERY"] = transport.seal(app.encryption_method, tkey, query.encode(),
                                                               identifier=app.identifier)
        if data:
            data = transport.seal(app.encryption_method, tkey, data, identifier=app.identifier).encode()
    elif query:
        url = f"{url}?{query}"
    response = getattr(client, method)(url, data=data, content_type="text/plain", **headers) if data else \
        getattr(client, method)(url, **headers)
    payload = None
    if response.status_code == 200 and response.get("X-Payload-Encryption"):
        payload = json.loads(transport.open_sealed(app.encryption_method, tkey, response.content,
                                                   identifier=app.identifier))
    elif response.get("Content-Type", "").startswith("application/json"):
        payload = response.json()
    return response, payload
