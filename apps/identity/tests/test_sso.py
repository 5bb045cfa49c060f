"""SSO for department systems: OIDC code flow with Authlib, CAS with python-cas, the ticket →
token → user info mode and multi-ticket, against the live server over real HTTP (IDN-6.1, 9.1,
9.2, 13.3, 13.4, 14.5, 4.1)."""
import re
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from cas import CASClientV3
from oauth2_provider.models import get_application_model

from apps.identity.models import ClientSystem, RealNameLevel, SsoTicket, UserKind
from apps.identity.sso.tickets import encrypt_for_multi_ticket
from apps.identity.tests.conftest import PASSWORD
from apps.identity.tests.factories import StaffFactory, UserFactory

CALLBACK = "https://dept.example.cn/callback"


def browser_login(live_server, username, password=PASSWORD, path="/login/") -> requests.Session:
    """A real HTTP client that logs in through the login page, like a browser."""
    session = requests.Session()
    page = session.get(live_server.url + path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(live_server.url + path, data={"csrfmiddlewaretoken": token, "username": username,
                                                          "password": password}, allow_redirects=False)
    assert response.status_code == 302, response.text[:500]
    return session


def prepare_client(code: str, *, secret: str = "client-secret-2026", service: str = CALLBACK) -> ClientSystem:
    client = ClientSystem.objects.get(code=code)
    application = client.application
    application.redirect_uris = service
    application.client_secret = secret
    application.save()
    client.service_url = service
    client.ticket_secret = "ticket-secret-" + code
    client.save()
    return client


@pytest.fixture(autouse=True)
def seeded_client_systems(db):
    """The data migration's systems (live-server tests flush the database after each test)."""
    import importlib

    from django.apps import apps

    if not ClientSystem.objects.exists():
        importlib.import_module("apps.identity.migrations.0003_seed_client_systems").seed(apps, None)


@pytest.fixture
def person(db, regions):
    return UserFactory(username="oidc_user", full_name="王五", kind=UserKind.NATURAL_PERSON,
                       real_name_level=RealNameLevel.VERIFIED, home_region=regions["230102000000"],
                       mobile_number="13700001111")


@pytest.mark.spec("IDN-9.1", "IDN-9.2")
def test_seeded_client_systems_cover_cities_and_departments(db):
    cities = ClientSystem.objects.filter(kind="city")
    assert cities.count() == 29
    assert {c.code.split("-")[0] for c in cities} == {
        "daqing", "daxinganling", "hegang", "heihe", "jixi", "jiamusi", "mudanjiang", "shuangyashan", "suihua",
        "yichun", "qitaihe", "qiqihar", "harbin"}
    assert ClientSystem.objects.filter(kind="department").count() == 17
    client_ids = list(ClientSystem.objects.values_list("client_id", flat=True))
    assert len(set(client_ids)) == 48
    assert get_application_model().objects.filter(client_id__in=client_ids).count() == 48


@pytest.mark.spec("IDN-9.1")
def test_oidc_code_flow_with_authlib(live_server, oidc_settings, person):
    oidc_settings(live_server.url + "/sso/o")
    prepare_client("harbin-unified")
    browser = browser_login(live_server, person.username)
    oauth = OAuth2Session("hlj-harbin-unified", "client-secret-2026", scope="openid profile",
                          redirect_uri=CALLBACK, token_endpoint_auth_method="client_secret_post")
    url, state = oauth.create_authorization_url(live_server.url + "/sso/o/authorize/", nonce="n-0S6_WzA2Mj")
    response = browser.get(url, allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"].startswith(CALLBACK)
    token = oauth.fetch_token(live_server.url + "/sso/o/token/", authorization_response=response.headers["Location"])
    jwks = requests.get(live_server.url + "/sso/o/.well-known/jwks.json").json()
    claims = jwt.decode(token["id_token"], JsonWebKey.import_key_set(jwks))
    claims.validate()
    assert claims["iss"] == live_server.url + "/sso/o" and claims["aud"] == "hlj-harbin-unified"
    assert claims["real_name_level"] == 2 and claims["account_type"] == "natural_person"
    assert claims["name"] == "王五" and claims["home_region"] == "230102000000"
    assert "phone_number" not in claims          # not among the system's allowed claims
    info = oauth.get(live_server.url + "/sso/o/userinfo/").json()
    assert info["sub"] == str(person.pk) and info["real_name_level"] == 2


def test_oidc_refuses_wrong_secret_and_unknown_redirect(live_server, oidc_settings, person):
    oidc_settings(live_server.url + "/sso/o")
    prepare_client("harbin-unified")
    browser = browser_login(live_server, person.username)
    oauth = OAuth2Session("hlj-harbin-unified", "wrong", scope="openid", redirect_uri="https://evil.example/cb")
    url, _state = oauth.create_authorization_url(live_server.url + "/sso/o/authorize/")
    response = browser.get(url, allow_redirects=False)
    assert response.status_code == 400 or "evil.example" not in response.headers.get("Location", "")


def cas_login(browser, live_server, service):
    return browser.get(live_server.url + "/sso/cas/login", params={"service": service}, allow_redirects=False)


@pytest.mark.spec("IDN-9.2")
def test_cas_flow_with_python_cas(live_server, person):
    service = "https://etax.example.cn/cas"
    prepare_client("province-tax", service=service)
    cas = CASClientV3(server_url=live_server.url + "/sso/cas/", service_url=service)
    browser = browser_login(live_server, person.username)
    response = browser.get(cas.get_login_url(), allow_redirects=False)
    ticket = parse_qs(urlparse(response.headers["Location"]).query)["ticket"][0]
    user, attributes, _pgt = cas.verify_ticket(ticket)
    assert user == person.username
    assert attributes["real_name_level"] == "2" and attributes["account_type"] == "natural_person"
    # a replayed ticket and a forged one are refused
    assert cas.verify_ticket(ticket)[0] is None
    assert cas.verify_ticket("ST-forged")[0] is None


def test_cas_ticket_for_another_service_and_anonymous_redirect(live_server, person):
    service = "https://etax.example.cn/cas"
    prepare_client("province-tax", service=service)
    anonymous = requests.get(live_server.url + "/sso/cas/login", params={"service": service},
                             allow_redirects=False)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login/?next=")
    unknown = requests.get(live_server.url + "/sso/cas/login", params={"service": "https://unknown.example/"})
    assert unknown.status_code == 400
    browser = browser_login(live_server, person.username)
    ticket = parse_qs(urlparse(cas_login(browser, live_server, service).headers["Location"]).query)["ticket"][0]
    other = CASClientV3(server_url=live_server.url + "/sso/cas/", service_url=service + "/other")
    assert other.verify_ticket(ticket)[0] is None


@pytest.mark.spec("IDN-13.3", "IDN-13.4")
def test_staff_from_the_portal_enter_matters_and_data_sharing(live_server, orgs, person):
    staff = StaffFactory(username="portal_staff", organisation=orgs["harbin"])
    matters = prepare_client("staff-matters", service="https://matters.example.cn/cas")
    sharing = prepare_client("staff-data-sharing", service="https://share.example.cn/cas")
    browser = browser_login(live_server, staff.username, path="/portal/login/")
    for client in (matters, sharing):
        cas = CASClientV3(server_url=live_server.url + "/sso/cas/", service_url=client.service_url)
        response = browser.get(cas.get_login_url(), allow_redirects=False)
        ticket = parse_qs(urlparse(response.headers["Location"]).query)["ticket"][0]
        user, attributes, _pgt = cas.verify_ticket(ticket)
        assert user == "portal_staff" and attributes["organisation"] == orgs["harbin"].name
    # a citizen may not enter a staff system
    citizen = browser_login(live_server, person.username)
    assert cas_login(citizen, live_server, matters.service_url).status_code == 403


@pytest.mark.spec("IDN-6.1")
def test_ticket_token_userinfo(client, person):
    system = prepare_client("qitaihe-city-identity", service="https://qth.example.cn/sso")
    client.force_login(person)
    response = client.get("/sso/ticket/", {"app_id": system.code, "redirect_uri": "https://qth.example.cn/sso/a"})
    ticket = parse_qs(urlparse(response["Location"]).query)["ticket"][0]
    assert ticket.startswith("TK-")
    bad = client.post("/sso/api/ticket/token", {"app_id": system.code, "app_secret": "x", "ticket": ticket})
    assert bad.status_code == 401
    token = client.post("/sso/api/ticket/token", {"app_id": system.code, "app_secret": system.ticket_secret,
                                                  "ticket": ticket}).json()["access_token"]
    again = client.post("/sso/api/ticket/token", {"app_id": system.code, "app_secret": system.ticket_secret,
                                                  "ticket": ticket})
    assert again.status_code == 400 and "已使用" in again.json()["error"]
    info = client.get("/sso/api/userinfo", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert info["name"] == "王五" and info["real_name_level"] == 2 and info["account_type"] == "natural_person"
    assert client.get("/sso/api/userinfo", HTTP_AUTHORIZATION="Bearer forged").status_code == 401


@pytest.mark.spec("IDN-14.5")
def test_multi_ticket(client, person):
    system = prepare_client("qitaihe-city-identity", service="https://qth.example.cn/sso")
    client.force_login(person)
    ticket = parse_qs(urlparse(client.get("/sso/ticket/", {"app_id": system.code,
                                                           "redirect_uri": "https://qth.example.cn/sso"})["Location"]
                               ).query)["ticket"][0]
    token = client.post("/sso/api/ticket/token", {"app_id": system.code, "app_secret": system.ticket_secret,
                                                  "ticket": ticket}).json()["access_token"]
    encrypted = encrypt_for_multi_ticket(secret=system.ticket_secret, access_token=token)
    first = client.post("/sso/api/ticket/multi", {"app_id": system.code, "encrypted": encrypted}).json()["ticket"]
    second = client.post("/sso/api/ticket/multi", {"app_id": system.code, "encrypted": encrypted}).json()["ticket"]
    assert first != second != ticket and SsoTicket.objects.get(ticket=first).user == person
    assert client.post("/sso/api/ticket/multi", {"app_id": "unknown", "encrypted": encrypted}).status_code == 401
    forged = encrypt_for_multi_ticket(secret="not-the-secret", access_token=token)
    assert client.post("/sso/api/ticket/multi", {"app_id": system.code, "encrypted": forged}).status_code == 400
    stale = encrypt_for_multi_ticket(secret=system.ticket_secret, access_token=token, ts=1)
    assert client.post("/sso/api/ticket/multi", {"app_id": system.code, "encrypted": stale}).status_code == 400
    # the new ticket is itself exchangeable once
    response = client.post("/sso/api/ticket/token", {"app_id": system.code, "app_secret": system.ticket_secret,
                                                     "ticket": first})
    assert response.status_code == 200


@pytest.mark.spec("IDN-4.1", "IDN-7.4")
def test_level_three_requirement_redirects_to_upgrade(client, person, identity_peers):
    service = "https://hrss.example.cn/cas"
    system = prepare_client("province-hrss", service=service)
    system.min_real_name_level = 3
    system.save()
    person.id_number = "230102199001011230"
    person.save()
    client.force_login(person)
    response = client.get("/sso/cas/login", {"service": service})
    assert response.status_code == 302 and response["Location"].startswith("/sso/level-upgrade/?next=")
    upgrade = response["Location"]
    page = client.get(upgrade)
    assert "实名等级提升" in page.content.decode()
    identity_peers.face.register(id_number=person.id_number, face_marker="face-of-wangwu")
    refused = client.post(upgrade, {"face_image": "someone-else", "next": "/sso/cas/login?service=" + service})
    person.refresh_from_db()
    assert person.real_name_level == 2 and refused.status_code == 302
    done = client.post(upgrade, {"face_image": "face-of-wangwu", "next": "/sso/cas/login?service=" + service})
    person.refresh_from_db()
    assert person.real_name_level == 3 and done["Location"].startswith("/sso/cas/login")
    final = client.get(done["Location"])
    assert final["Location"].startswith(service + "?ticket=ST-")
