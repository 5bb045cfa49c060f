"""The national government-service platform, simulated on a real socket: national-account login
(IDN-1.3.5), trust passing in the same browser both ways (1.3.6), the level-three redirect to the
national upgrade page (4.1) and implicit login after each third-party method (4.2).

The "browser" is two cookie jars: Django's test client for our site and a requests.Session for the
national platform — exactly what one real browser keeps for two sites."""
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.test import override_settings

from apps.identity.models import (
    ClientSystem,
    ExternalIdentity,
    RealNameLevel,
    User,
    UserKind,
)
from apps.identity.services.signin import LOGIN_METHOD_SESSION_KEY
from apps.identity.tests.conftest import (
    CREDIT_CODE,
    ENTERPRISE_NAME,
    PERSON_ID,
    PERSON_NAME,
)
from apps.identity.principals import principals_changed
from apps.identity.tests.factories import UserFactory

NATIONAL_PERSON = {"national_id": "N-0001", "kind": "natural_person", "name": PERSON_NAME, "id_type": "resident_id",
                   "id_number": PERSON_ID, "auth_level": 2}


def query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def local(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def national_login(browser, national_url: str, params: dict, username="zs_gj", password="gj-pass"):
    """The user types their national account on the national login page."""
    return browser.post(f"{national_url}/login", data={**params, "username": username, "password": password},
                        allow_redirects=False)


@pytest.mark.django_db
@pytest.mark.spec("IDN-1.3.5")
def test_national_account_login_redirects_there_and_back(client, third_parties):
    national = third_parties.national_platform
    national.register(username="zs_gj", password="gj-pass", record=NATIONAL_PERSON)
    existing = UserFactory(username="zs", kind=UserKind.NATURAL_PERSON, id_number=PERSON_ID, full_name=PERSON_NAME)
    assert "national-login" in client.get("/sso/login/sms/").content.decode()
    response = client.get("/sso/national/login/?next=/sso/account/")
    assert response.status_code == 302 and response["Location"].startswith(third_parties.url("national_platform")
                                                                              + "/login?")
    params = query(response["Location"])
    assert params["redirect_uri"] == "http://testserver/sso/national/callback/"
    browser = requests.Session()
    assert "国家政务服务平台统一身份认证登录" in browser.get(response["Location"]).text
    refused = national_login(browser, third_parties.url("national_platform"), params, password="bad")
    assert refused.status_code == 200 and "用户名或密码错误" in refused.text
    back = national_login(browser, third_parties.url("national_platform"), params)
    assert back.status_code == 302
    # a forged state is refused before any call
    forged = client.get(local(back.headers["Location"]).replace(params["state"], "forged"))
    assert forged.status_code == 400 and "_auth_user_id" not in client.session
    client.get("/sso/national/login/?next=/sso/account/")      # fresh state
    params = query(client.get("/sso/national/login/?next=/sso/account/")["Location"])
    back = national_login(browser, third_parties.url("national_platform"), params)
    done = client.get(local(back.headers["Location"]))
    assert done.status_code == 302 and done["Location"] == "/sso/account/"
    assert int(client.session["_auth_user_id"]) == existing.pk
    assert client.session[LOGIN_METHOD_SESSION_KEY] == "national"
    assert ExternalIdentity.objects.get(provider="national").user == existing
    # the same code twice: refused, nothing created
    client.logout()
    client.get("/sso/national/login/")
    again = client.get(local(back.headers["Location"]))
    assert again.status_code == 400 and "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_national_login_opens_an_account_for_a_new_legal_person(client, third_parties):
    national = third_parties.national_platform
    national.register(username="bc_gj", password="gj-pass", record={
        "national_id": "L-0009", "kind": "legal_person", "name": ENTERPRISE_NAME, "credit_code": CREDIT_CODE,
        "id_type": "resident_id", "id_number": "", "auth_level": 2})
    params = query(client.get("/sso/national/login/")["Location"])
    back = national_login(requests.Session(), third_parties.url("national_platform"), params, username="bc_gj")
    client.get(local(back.headers["Location"]))
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert user.kind == UserKind.LEGAL_PERSON and user.credit_code == CREDIT_CODE
    assert user.real_name_level == RealNameLevel.VERIFIED and not user.has_usable_password()


@pytest.mark.django_db
@pytest.mark.spec("IDN-1.3.6")
def test_national_session_is_recognised_here_without_login(client, third_parties, settings):
    national = third_parties.national_platform
    national.register(username="zs_gj", password="gj-pass", record=NATIONAL_PERSON)
    settings.IDENTITY_NATIONAL_TRUST_CHECK = True
    middleware = [*settings.MIDDLEWARE, "apps.identity.middleware.NationalTrustMiddleware"]
    browser = requests.Session()
    with override_settings(MIDDLEWARE=middleware):
        # without a national session: checked once, then the page opens anonymously
        first = client.get("/")
        assert first.status_code == 302 and first["Location"].startswith("/sso/national/check/")
        to_national = client.get(first["Location"])
        assert "prompt=none" in to_national["Location"]
        back = browser.get(to_national["Location"], allow_redirects=False)
        assert "error=login_required" in back.headers["Location"]
        assert client.get(local(back.headers["Location"]))["Location"] == "/"
        assert client.get("/").status_code == 200 and "_auth_user_id" not in client.session
        # the user logs in on the national platform in the same browser …
        national_login(browser, third_parties.url("national_platform"), {"redirect_uri": "http://elsewhere/"})
        # … and opening our site in a fresh session recognises them
        client.cookies.clear()
        first = client.get("/")
        back = browser.get(client.get(first["Location"])["Location"], allow_redirects=False)
        assert "code=" in back.headers["Location"]
        landed = client.get(local(back.headers["Location"]))
        assert landed["Location"] == "/" and client.session[LOGIN_METHOD_SESSION_KEY] == "national"
        assert User.objects.get(pk=client.session["_auth_user_id"]).username == "gj_N-0001"


# --- province → national (the national platform asks us): a live server the simulator can call ---


@pytest.fixture
def national_peer(transactional_db, live_server, third_parties):
    ClientSystem.objects.create(code="national-platform", name="国家政务服务平台", owner="国务院办公厅",
                                kind="third_party", ticket_secret="national-secret")
    national = third_parties.national_platform
    national.province_trust_url = f"{live_server.url}/sso/national/trust/"
    national.province_token_url = f"{live_server.url}/sso/api/national/token"
    national.client_id, national.client_secret = "national-platform", "national-secret"
    return national


def open_national_portal(client, third_parties):
    """The same browser (our session cookie) opens the national portal."""
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    return browser.get(f"{third_parties.url('national_platform')}/portal", timeout=20)


def login_by(method, client, third_parties, certificate_authority, api_client, sms_outbox=None):
    """A real login through `method`; returns the user."""
    if method == "certificate":
        user = UserFactory(kind=UserKind.NATURAL_PERSON, id_number=PERSON_ID)
        cert, key = certificate_authority.issue(subject_id=PERSON_ID, name=PERSON_NAME)
        third_parties.ca.issue(cert.serial_number)
        client.get("/sso/login/certificate/")
        client.post("/sso/login/certificate/", {
            "certificate": certificate_authority.cert_pem(cert),
            "signature": certificate_authority.device_sign(key, client.session["identity_cert_challenge"])})
        return user
    if method == "e_licence":
        user = UserFactory(kind=UserKind.LEGAL_PERSON, credit_code=CREDIT_CODE)
        token = client.get("/sso/login/app/e-licence/").context["qr"].token
        third_parties.e_licence.authorise(token, {"credit_code": CREDIT_CODE})
        client.get(f"/sso/login/app/e-licence/{token}/status/")
        return user
    if method == "social_security":
        user = UserFactory(kind=UserKind.NATURAL_PERSON, id_number=PERSON_ID)
        token = client.get("/sso/login/app/social-security/").context["qr"].token
        third_parties.social_security.authorise(token, {"id_number": PERSON_ID, "card_id": "SB9"})
        client.get(f"/sso/login/app/social-security/{token}/status/")
        return user
    if method == "qr_face":
        user = UserFactory(kind=UserKind.NATURAL_PERSON)
        token = client.get("/sso/login/qr/").context["qr"].token
        api_client.force_authenticate(user)
        api_client.post("/api/v1/identity/qr-login/confirm/", {"token": token, "face_verified": True}, format="json")
        client.get(f"/sso/login/qr/{token}/status/")
        return user
    if method == "city":
        user = UserFactory(kind=UserKind.LEGAL_PERSON, credit_code=CREDIT_CODE)
        from apps.identity.services.signin import identity_link
        identity_link(user=user, provider="city", external_id="230100000000:HRB-LP-1")
        third_parties.city.register(city_code="230100000000", username="bc", password="pw",
                                    record={"account_id": "HRB-LP-1"})
        client.post("/sso/login/city/", {"city_code": "230100000000", "username": "bc", "password": "pw"})
        return user
    if method == "sms":
        user = UserFactory(kind=UserKind.NATURAL_PERSON, mobile_number="13600007777")
        client.post("/sso/login/sms/", {"mobile_number": "13600007777", "action": "send_code"})
        code = sms_outbox[-1]["content"].split("验证码为 ")[1][:6]
        client.post("/sso/login/sms/", {"mobile_number": "13600007777", "sms_code": code, "action": "login"})
        return user
    raise AssertionError(method)


@pytest.mark.spec("IDN-4.2", "IDN-1.3.6")
@pytest.mark.parametrize("method", ["certificate", "e_licence", "social_security", "qr_face", "city", "sms"])
def test_national_platform_recognises_a_third_party_login(method, client, national_peer, third_parties,
                                                          certificate_authority, api_client, regions,
                                                          sms_simulator):
    user = login_by(method, client, third_parties, certificate_authority, api_client, sms_simulator.messages)
    assert int(client.session["_auth_user_id"]) == user.pk and client.session[LOGIN_METHOD_SESSION_KEY] == method
    page = open_national_portal(client, third_parties)
    assert page.status_code == 200 and f"province:{user.pk}" in page.text
    recognised = national_peer.recognised[-1]
    assert recognised["sub"] == str(user.pk) and recognised["auth_method"] == method
    assert recognised["account_type"] == user.kind and "real_name_level" in recognised


@pytest.mark.spec("IDN-4.1")
def test_level_three_required_by_the_national_platform_redirects_to_its_upgrade_page(
        client, national_peer, third_parties, api_client):
    user = UserFactory(kind=UserKind.NATURAL_PERSON, real_name_level=RealNameLevel.VERIFIED)
    client.force_login(user)
    national_peer.required_level = 3
    page = open_national_portal(client, third_parties)
    assert "国家政务服务平台认证等级提升" in page.text and urlparse(page.url).path == "/level-upgrade"
    assert national_peer.recognised == []
    User.objects.filter(pk=user.pk).update(real_name_level=RealNameLevel.STRONG)
    principals_changed()                        # a queryset update must say so (apps.identity.principals)
    assert f"province:{user.pk}" in open_national_portal(client, third_parties).text


def test_trust_endpoint_refuses_foreign_redirects_forged_codes_and_anonymous(client, national_peer, third_parties,
                                                                             live_server):
    assert client.get("/sso/national/trust/?redirect_uri=http://evil.example/cb").status_code == 400
    anonymous = client.get(f"/sso/national/trust/?redirect_uri={third_parties.url('national_platform')}/cb&state=s")
    assert "error=login_required" in anonymous["Location"]
    token_url = f"{live_server.url}/sso/api/national/token"
    forged = requests.post(token_url, json={"code": "TK-forged", "client_id": "national-platform",
                                            "client_secret": "national-secret"}, timeout=10)
    assert forged.status_code == 400 and forged.json()["error"] == "invalid_grant"
    wrong_secret = requests.post(token_url, json={"code": "x", "client_id": "national-platform",
                                                  "client_secret": "guess"}, timeout=10)
    assert wrong_secret.status_code == 401
    user = UserFactory(kind=UserKind.NATURAL_PERSON)
    client.force_login(user)
    issued = client.get(f"/sso/national/trust/?redirect_uri={third_parties.url('national_platform')}/cb&state=s")
    code = query(issued["Location"])["code"]
    body = {"code": code, "client_id": "national-platform", "client_secret": "national-secret"}
    assert requests.post(token_url, json=body, timeout=10).json()["sub"] == str(user.pk)
    assert requests.post(token_url, json=body, timeout=10).status_code == 400       # used once
