"""Third-party login methods against real simulators: city quick login (IDN-1.3.7), digital
certificate (1.3.8), e-business licence QR (1.3.2), e-social-security card QR, Alipay quick login
(1.3.3), face comparison for business systems (1.3.4) with API grants (5.4)."""
import pytest

from apps.identity.models import (
    ApiEndpoint,
    ClientSystem,
    ExternalIdentity,
    QrLogin,
    RealNameLevel,
    User,
    UserKind,
)
from apps.identity.services.apis import api_grant, api_revoke
from apps.identity.services.signin import LOGIN_METHOD_SESSION_KEY
from apps.identity.tests.conftest import (
    CREDIT_CODE,
    ENTERPRISE_NAME,
    PERSON_ID,
    PERSON_NAME,
    give,
)
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HARBIN, DAOLI = "230100000000", "230102000000"
CITY_RECORD = {"account_id": "HRB-000123", "name": PERSON_NAME, "id_type": "resident_id", "id_number": PERSON_ID,
               "valid_from": "2015-01-01", "valid_to": "2035-01-01", "mobile": ""}


def logged_in_as(client):
    return int(client.session.get("_auth_user_id", 0) or 0)


@pytest.mark.spec("IDN-1.3.7")
def test_city_quick_login_checks_the_city_api_completes_the_profile_then_logs_in(
        client, regions, identity_peers, third_parties):
    third_parties.city.register(city_code=HARBIN, username="zs_hrb", password="city-pass", record=CITY_RECORD)
    identity_peers.person()
    page = client.get("/sso/login/city/")
    assert "地市快捷登录" in page.content.decode() and "哈尔滨市" in page.content.decode()
    wrong = client.post("/sso/login/city/", {"city_code": HARBIN, "username": "zs_hrb", "password": "nope"})
    assert "地市账号或密码错误" in wrong.content.decode() and not ExternalIdentity.objects.exists()
    response = client.post("/sso/login/city/", {"city_code": HARBIN, "username": "zs_hrb", "password": "city-pass"})
    assert response.status_code == 302 and response["Location"] == "/sso/login/city/complete/"
    assert not logged_in_as(client)
    form = client.get("/sso/login/city/complete/").content.decode()
    assert "补全个人信息" in form and "道里区" in form
    users_before = User.objects.count()
    bad = client.post("/sso/login/city/complete/", {"username": "zhangsan", "mobile_number": "123",
                                                    "home_region": DAOLI, "password": "Str0ng!Pass2026",
                                                    "password_confirm": "Str0ng!Pass2026"})
    assert bad.status_code == 200 and "手机" in bad.content.decode() and User.objects.count() == users_before
    done = client.post("/sso/login/city/complete/", {"username": "zhangsan", "mobile_number": "13600002222",
                                                     "home_region": DAOLI, "password": "Str0ng!Pass2026",
                                                     "password_confirm": "Str0ng!Pass2026"})
    user = User.objects.get(username="zhangsan")
    assert done.status_code == 302 and logged_in_as(client) == user.pk
    assert user.real_name_level == RealNameLevel.VERIFIED and user.home_region_id == DAOLI
    assert client.session[LOGIN_METHOD_SESSION_KEY] == "city"
    assert ExternalIdentity.objects.get(provider="city").external_id == f"{HARBIN}:HRB-000123"
    assert identity_peers.national.queries[-1]["id_number"] == PERSON_ID
    # next time: linked, straight in
    client.logout()
    again = client.post("/sso/login/city/", {"city_code": HARBIN, "username": "zs_hrb", "password": "city-pass"})
    assert again.status_code == 302 and logged_in_as(client) == user.pk and User.objects.count() == users_before + 1


def test_city_completion_links_an_existing_account_and_page_needs_pending_login(client, regions, third_parties):
    existing = UserFactory(username="old_zs", kind=UserKind.NATURAL_PERSON, id_number=PERSON_ID, full_name=PERSON_NAME)
    assert client.get("/sso/login/city/complete/").status_code == 404
    third_parties.city.register(city_code=HARBIN, username="zs_hrb", password="city-pass", record=CITY_RECORD)
    client.post("/sso/login/city/", {"city_code": HARBIN, "username": "zs_hrb", "password": "city-pass"})
    client.post("/sso/login/city/complete/", {"username": "ignored", "mobile_number": "13600002222",
                                              "home_region": DAOLI, "password": "x", "password_confirm": "x"})
    assert logged_in_as(client) == existing.pk and not User.objects.filter(username="ignored").exists()


@pytest.mark.spec("IDN-1.3.8")
def test_certificate_login_checks_chain_signature_and_ca_status(client, certificate_authority, third_parties):
    ca = certificate_authority
    person = UserFactory(username="cert_person", kind=UserKind.NATURAL_PERSON, id_number=PERSON_ID)
    legal = UserFactory(username="cert_legal", kind=UserKind.LEGAL_PERSON, credit_code=CREDIT_CODE)
    cert, key = ca.issue(subject_id=PERSON_ID, name=PERSON_NAME)
    third_parties.ca.issue(cert.serial_number)

    def attempt(certificate, signing_key, *, challenge=None):
        client.get("/sso/login/certificate/")
        text = challenge or client.session["identity_cert_challenge"]
        return client.post("/sso/login/certificate/", {"certificate": ca.cert_pem(certificate),
                                                       "signature": ca.device_sign(signing_key, text)})

    # a signature of another challenge (replay) is refused
    refused = attempt(cert, key, challenge="an-old-challenge")
    assert refused.status_code == 400 and "证书签名验证失败" in refused.content.decode() and not logged_in_as(client)
    # a certificate of an untrusted CA is refused
    from apps.identity.tests.conftest import CertificateAuthority
    rogue_cert, rogue_key = CertificateAuthority("伪造CA").issue(subject_id=PERSON_ID, name=PERSON_NAME)
    assert "受信任" in attempt(rogue_cert, rogue_key).content.decode() and not logged_in_as(client)
    response = attempt(cert, key)
    assert response.status_code == 302 and logged_in_as(client) == person.pk
    assert client.session[LOGIN_METHOD_SESSION_KEY] == "certificate"
    client.logout()
    # a revoked certificate is refused by the CA's status service
    third_parties.ca.revoke(cert.serial_number)
    assert "证书已吊销" in attempt(cert, key).content.decode() and not logged_in_as(client)
    # a legal person's certificate carries the credit code
    legal_cert, legal_key = ca.issue(subject_id=CREDIT_CODE, name=ENTERPRISE_NAME)
    third_parties.ca.issue(legal_cert.serial_number)
    assert attempt(legal_cert, legal_key).status_code == 302 and logged_in_as(client) == legal.pk


def qr_token(client, provider):
    page = client.get(f"/sso/login/app/{provider}/")
    assert page.status_code == 200
    return page.context["qr"].token


@pytest.mark.spec("IDN-1.3.2")
def test_e_licence_qr_login(client, third_parties):
    legal = UserFactory(username="bingcheng", kind=UserKind.LEGAL_PERSON, credit_code=CREDIT_CODE)
    token = qr_token(client, "e-licence")
    assert client.get(f"/sso/login/app/e-licence/{token}.png")["Content-Type"] == "image/png"
    poll = f"/sso/login/app/e-licence/{token}/status/"
    assert client.get(poll).json()["status"] == "pending"
    # the enterprise scans with the e-business-licence app and authorises
    third_parties.e_licence.authorise(token, {"credit_code": CREDIT_CODE, "name": ENTERPRISE_NAME})
    assert client.get(poll).json()["status"] == "logged_in" and logged_in_as(client) == legal.pk
    assert client.session[LOGIN_METHOD_SESSION_KEY] == "e_licence"
    assert QrLogin.objects.get(token=token).status == "consumed"
    assert client.get(poll).json()["status"] != "logged_in"         # single use
    client.logout()
    # refused in the app, and an enterprise not registered here: no login
    refused = qr_token(client, "e-licence")
    third_parties.e_licence.refuse(refused)
    assert client.get(f"/sso/login/app/e-licence/{refused}/status/").json()["status"] == "failed"
    unknown = qr_token(client, "e-licence")
    third_parties.e_licence.authorise(unknown, {"credit_code": "91230100MA1B2C3D5X", "name": "别家公司"})
    body = client.get(f"/sso/login/app/e-licence/{unknown}/status/").json()
    assert body["status"] == "failed" and "尚未在本平台注册" in body["message"] and not logged_in_as(client)
    # another browser cannot use this browser's code
    other = qr_token(client, "e-licence")
    from django.test import Client
    assert Client().get(f"/sso/login/app/e-licence/{other}/status/").json()["status"] == "invalid"
    QrLogin.objects.filter(token=other).update(expires_at="2020-01-01T00:00:00Z")
    assert client.get(f"/sso/login/app/e-licence/{other}/status/").json()["status"] == "expired"


def test_social_security_card_qr_login_and_business_switch(client, third_parties):
    person = UserFactory(username="sb_user", kind=UserKind.NATURAL_PERSON, id_number=PERSON_ID)
    token = qr_token(client, "social-security")
    third_parties.social_security.authorise(token, {"id_number": PERSON_ID, "name": PERSON_NAME, "card_id": "SB1"})
    assert client.get(f"/sso/login/app/social-security/{token}/status/").json()["status"] == "logged_in"
    assert logged_in_as(client) == person.pk and client.session[LOGIN_METHOD_SESSION_KEY] == "social_security"
    assert client.get("/sso/login/app/unknown/").status_code == 404


@pytest.mark.spec("IDN-1.3.3")
def test_alipay_quick_login_api_returns_alipay_user(api_client, third_parties):
    person = UserFactory(username="zfb", kind=UserKind.NATURAL_PERSON, id_number=PERSON_ID, full_name=PERSON_NAME)
    third_parties.alipay.authorise("auth-1", {"user_id": "2088000000000001", "user_name": PERSON_NAME,
                                              "cert_no": PERSON_ID, "is_certified": True, "mobile": "13600003333"})
    response = api_client.post("/api/v1/identity/login/alipay/", {"auth_code": "auth-1"}, format="json")
    body = response.json()
    assert response.status_code == 200 and body["bound"] and body["user"]["username"] == "zfb"
    assert body["alipay_user"]["user_id"] == "2088000000000001" and PERSON_ID not in str(body)
    assert api_client.get("/api/v1/identity/me/", HTTP_AUTHORIZATION=f"Token {body['token']}").json()["id"] == person.pk
    assert ExternalIdentity.objects.filter(provider="alipay", user=person).count() == 1
    # the code is single use; an uncertified stranger gets the Alipay data but no account
    reused = api_client.post("/api/v1/identity/login/alipay/", {"auth_code": "auth-1"}, format="json")
    assert reused.status_code == 400
    third_parties.alipay.authorise("auth-2", {"user_id": "2088000000000002", "user_name": "王五",
                                              "cert_no": "", "is_certified": False, "mobile": ""})
    stranger = api_client.post("/api/v1/identity/login/alipay/", {"auth_code": "auth-2"}, format="json").json()
    assert stranger["bound"] is False and stranger["token"] is None and ExternalIdentity.objects.count() == 1
    assert api_client.post("/api/v1/identity/login/alipay/", {}, format="json").status_code == 400


@pytest.fixture
def face_client(db):
    client = ClientSystem.objects.create(code="dept-face", name="某厅局业务系统", owner="某厅局", kind="department",
                                         ticket_secret="face-secret")
    return client


@pytest.mark.spec("IDN-1.3.4")
def test_face_compare_api_for_business_systems_needs_a_grant(api_client, identity_peers, face_client, staff):
    identity_peers.face.register(id_number=PERSON_ID, face_marker="face-of-zhangsan")
    url = "/api/v1/identity/face/compare/"
    data = {"name": PERSON_NAME, "id_number": PERSON_ID, "image_base64": "face-of-zhangsan"}
    headers = {"HTTP_X_APP_ID": "dept-face", "HTTP_X_APP_SECRET": "face-secret"}
    assert api_client.post(url, data, format="json").status_code in (401, 403)
    assert api_client.post(url, data, format="json", HTTP_X_APP_ID="dept-face",
                           HTTP_X_APP_SECRET="wrong").status_code == 401
    assert api_client.post(url, data, format="json", **headers).status_code == 403
    admin = staff["province"]
    give(admin, "identity.change_apiendpoint")
    grant = api_grant(client=face_client, endpoint=ApiEndpoint.objects.get(code="face-compare"), actor=admin)
    assert api_client.post(url, data, format="json", **headers).json() == {"status": "match",
                                                                           "message": "人脸比对通过"}
    other = api_client.post(url, {**data, "image_base64": "someone-else"}, format="json", **headers)
    assert other.json()["status"] == "mismatch"
    assert api_client.post(url, {"name": PERSON_NAME}, format="json", **headers).status_code == 400
    api_revoke(grant=grant, actor=admin)
    assert api_client.post(url, data, format="json", **headers).status_code == 403
