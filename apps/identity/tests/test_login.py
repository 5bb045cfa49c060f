"""Login methods of public users: password with captcha and lockout, exit-entry document number
(IDN-1.3.1), SMS code (IDN-1.6), PC QR-code login completed by the app (IDN-1.7)."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apps.identity.captcha import SESSION_KEY
from apps.identity.models import LoginFailure, QrLogin, QrLoginStatus, UserKind
from apps.identity.tests.conftest import PASSWORD
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return UserFactory(username="li_si", kind=UserKind.NATURAL_PERSON, mobile_number="13600001111",
                       id_type="passport", id_number="E12345678")


def post_login(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def test_captcha_after_a_failure_and_lockout_after_five(client, person, settings):
    assert post_login(client, "li_si", "wrong").status_code == 200
    page = client.get("/login/")
    assert 'data-testid="captcha-image"' in page.content.decode()
    assert client.get("/sso/captcha.png")["Content-Type"] == "image/png"
    # the right password without the captcha is refused
    response = post_login(client, "li_si", PASSWORD, captcha="XXXX")
    assert "图形验证码错误" in response.content.decode() and "_auth_user_id" not in client.session
    # right password and captcha → logged in, failures cleared
    client.get("/sso/captcha.png")
    answer = client.session[SESSION_KEY]
    assert post_login(client, "li_si", PASSWORD, captcha=answer.lower()).status_code == 302
    assert not LoginFailure.objects.filter(username="li_si").exists()
    client.logout()
    for _ in range(5):
        client.get("/sso/captcha.png")
        post_login(client, "li_si", "wrong", captcha=client.session[SESSION_KEY])
    client.get("/sso/captcha.png")
    response = post_login(client, "li_si", PASSWORD, captcha=client.session[SESSION_KEY])
    assert "账号已临时锁定" in response.content.decode() and "_auth_user_id" not in client.session
    # the API refuses the locked name too
    api = client.post("/api/v1/identity/token/", {"username": "li_si", "password": PASSWORD})
    assert api.status_code == 400 and not Token.objects.filter(user=person).exists()
    # after the window the name is free again
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    assert post_login(client, "li_si", PASSWORD).status_code == 302


@pytest.mark.spec("IDN-1.3.1")
def test_login_with_exit_entry_document_number(client, person):
    response = post_login(client, "e12345678", PASSWORD)
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == person.pk
    client.logout()
    # a resident-ID holder cannot log in by ID number this way
    UserFactory(username="resident", id_type="resident_id", id_number="230102199001011230")
    assert post_login(client, "230102199001011230", PASSWORD).status_code == 200


@pytest.mark.spec("IDN-1.6")
def test_sms_login(client, person, sms_simulator, django_capture_on_commit_callbacks):
    refused = client.post("/sso/login/sms/", {"mobile_number": "13600009999", "action": "send_code"})
    assert "未注册" in refused.content.decode() and sms_simulator.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sso/login/sms/", {"mobile_number": "13600001111", "action": "send_code"})
    assert sms_simulator.messages[-1]["mobile"] == "13600001111"
    code = sms_simulator.messages[-1]["content"].split("验证码为 ")[1][:6]
    wrong = client.post("/sso/login/sms/", {"mobile_number": "13600001111", "sms_code": "999999" if code != "999999"
                                            else "111111", "action": "login"})
    assert "验证码错误" in wrong.content.decode() and "_auth_user_id" not in client.session
    response = client.post("/sso/login/sms/", {"mobile_number": "13600001111", "sms_code": code, "action": "login"})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == person.pk
    client.logout()
    reused = client.post("/sso/login/sms/", {"mobile_number": "13600001111", "sms_code": code, "action": "login"})
    assert "已使用" in reused.content.decode() and "_auth_user_id" not in client.session


def test_sms_code_expires(client, person, sms_simulator, django_capture_on_commit_callbacks):
    from apps.identity.models import SmsCode

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sso/login/sms/", {"mobile_number": "13600001111", "action": "send_code"})
    code = sms_simulator.messages[-1]["content"].split("验证码为 ")[1][:6]
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/sso/login/sms/", {"mobile_number": "13600001111", "sms_code": code, "action": "login"})
    assert "已过期" in response.content.decode() and "_auth_user_id" not in client.session


@pytest.mark.spec("IDN-1.7")
def test_qr_login_completed_by_the_app(client, person):
    from rest_framework.test import APIClient

    page = client.get("/sso/login/qr/")
    qr = QrLogin.objects.get()
    assert f"/sso/login/qr/{qr.token}.png" in page.content.decode()
    assert client.get(f"/sso/login/qr/{qr.token}.png")["Content-Type"] == "image/png"
    assert client.get(f"/sso/login/qr/{qr.token}/status/").json()["status"] == "pending"
    app = APIClient()
    app.force_authenticate(person)
    assert app.post("/api/v1/identity/qr-login/confirm/", {"token": qr.token, "face_verified": True},
                    format="json").json()["status"] == "confirmed"
    assert client.get(f"/sso/login/qr/{qr.token}/status/").json()["status"] == "logged_in"
    assert int(client.session["_auth_user_id"]) == person.pk
    # single use: neither the app nor another poll can use it again
    assert app.post("/api/v1/identity/qr-login/confirm/", {"token": qr.token, "face_verified": True},
                    format="json").status_code == 400
    client.logout()
    assert client.get(f"/sso/login/qr/{qr.token}/status/").json()["status"] != "logged_in"


def test_qr_login_refuses_expired_failed_and_other_browser(client, person):
    from django.test import Client
    from rest_framework.test import APIClient

    app = APIClient()
    app.force_authenticate(person)
    client.get("/sso/login/qr/")
    expired = QrLogin.objects.get()
    QrLogin.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert app.post("/api/v1/identity/qr-login/confirm/", {"token": expired.token, "face_verified": True},
                    format="json").status_code == 400
    assert client.get(f"/sso/login/qr/{expired.token}/status/").json()["status"] == "expired"
    client.get("/sso/login/qr/")
    failed = QrLogin.objects.latest("pk")
    app.post("/api/v1/identity/qr-login/confirm/", {"token": failed.token, "face_verified": False}, format="json")
    assert client.get(f"/sso/login/qr/{failed.token}/status/").json()["status"] == QrLoginStatus.FAILED
    client.get("/sso/login/qr/")
    stolen = QrLogin.objects.latest("pk")
    app.post("/api/v1/identity/qr-login/confirm/", {"token": stolen.token, "face_verified": True}, format="json")
    other_browser = Client()
    other_browser.get("/")
    assert other_browser.get(f"/sso/login/qr/{stolen.token}/status/").json()["status"] == "invalid"
    assert "_auth_user_id" not in client.session and "_auth_user_id" not in other_browser.session
    # only natural persons confirm
    legal = UserFactory(kind=UserKind.LEGAL_PERSON)
    app.force_authenticate(legal)
    client.get("/sso/login/qr/")
    assert app.post("/api/v1/identity/qr-login/confirm/", {"token": QrLogin.objects.latest("pk").token,
                                                           "face_verified": True}, format="json").status_code == 403


@pytest.mark.spec("IDN-1.6", "IDN-5.3")
def test_sms_login_obeys_its_business_switch(client, api_client, person, sms_simulator,
                                             django_capture_on_commit_callbacks):
    from apps.identity.models import BusinessControl, SmsCode

    BusinessControl.objects.filter(code="sms_login").update(is_enabled=False)
    page = client.get("/sso/login/sms/")
    assert page.status_code == 403 and "短信验证码登录" in page.content.decode() and "暂停" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post("/sso/login/sms/", {"mobile_number": "13600001111", "action": "send_code"})
        api = api_client.post("/api/v1/identity/mobile/sms-code/", {"purpose": "login", "mobile_number": "13600001111"},
                              format="json")
    assert posted.status_code == 403 and api.status_code == 403 and "暂停" in str(api.json())
    assert sms_simulator.messages == [] and not SmsCode.objects.exists()
    login = api_client.post("/api/v1/identity/mobile/login/", {"mobile_number": "13600001111", "sms_code": "123456"},
                            format="json")
    assert login.status_code == 403 and "_auth_user_id" not in client.session
    BusinessControl.objects.filter(code="sms_login").update(is_enabled=True)
    assert client.get("/sso/login/sms/").status_code == 200
