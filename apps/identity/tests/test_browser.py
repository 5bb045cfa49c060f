"""Browser journeys of identity (headless Chromium on the live server): natural-person
registration with the city → county cascade, legal-person step one, and PC QR-code login
completed by the app."""
import pytest
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from apps.identity.models import QrLogin, User, UserKind
from apps.identity.tests.conftest import PERSON_ID, PERSON_NAME
from apps.identity.tests.factories import UserFactory
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.spec("IDN-1.1", "IDN-1.2.1", "IDN-1.8.1")
def test_natural_person_registers_in_the_browser(browser_page, identity_peers, regions):  # noqa: F811
    identity_peers.person()
    page = browser_page
    page.goto(page.url_for("/login/"))
    page.get_by_test_id("register-link").click()
    save_screenshot(page, "identity-register-choose")
    page.get_by_test_id("register-person").click()
    page.select_option("#id_id_type", "resident_id")
    page.fill("#id_name", PERSON_NAME)
    page.fill("#id_id_number", PERSON_ID)
    page.fill("#id_valid_from", "2015-01-01")
    page.fill("#id_valid_to", "2035-01-01")
    save_screenshot(page, "identity-register-person-step1")
    page.get_by_role("button", name="核验身份，下一步").click()
    page.wait_for_url("**/register/person/account/")
    page.fill("#id_username", "zhangsan")
    page.fill("#id_mobile_number", "13800001111")
    page.fill("#id_password", "Hlj#Reg2026x")
    page.fill("#id_password_confirm", "Hlj#Reg2026x")
    page.select_option("#home-city", "230100000000")
    page.wait_for_selector("#home-county option[value='230102000000']", state="attached")
    page.select_option("#home-county", "230102000000")
    save_screenshot(page, "identity-register-person-step2")
    page.get_by_role("button", name="完成注册").click()
    page.wait_for_url("**/sso/account/")
    assert page.get_by_test_id("home-region").inner_text() == "道里区"
    save_screenshot(page, "identity-account-centre")
    assert User.objects.get(username="zhangsan").home_region_id == "230102000000"


@pytest.mark.spec("IDN-1.8.2")
def test_legal_person_registration_step_one_in_the_browser(browser_page, identity_peers, regions):  # noqa: F811
    page = browser_page
    page.goto(page.url_for("/sso/register/legal/"))
    page.fill("#id_enterprise_name", "哈尔滨冰城科技有限公司")
    page.fill("#id_credit_code", "91230100MA1B2C3D49")
    page.fill("#id_name", PERSON_NAME)
    page.fill("#id_id_number", PERSON_ID)
    page.fill("#id_valid_from", "2015-01-01")
    page.fill("#id_valid_to", "2035-01-01")
    page.get_by_role("button", name="核验身份，下一步").click()
    # The click submits the form; expect() waits for the re-rendered page (content() may
    # read the blank document while the navigation is still under way).
    expect(page.locator("main")).to_contain_text("市场监督管理局企业核验接口核验未通过")
    assert page.url.endswith("/sso/register/legal/")
    save_screenshot(page, "identity-register-legal-step1")


@pytest.mark.spec("IDN-1.7")
def test_qr_login_in_the_browser(browser_page, live_server):  # noqa: F811
    import requests

    person = UserFactory(username="qr_user", full_name="扫码用户", kind=UserKind.NATURAL_PERSON)
    token = Token.objects.create(user=person)
    page = browser_page
    page.goto(page.url_for("/sso/login/qr/"))
    assert page.get_by_test_id("qr-status").inner_text() == "等待扫码…"
    save_screenshot(page, "identity-login-qr")
    qr = QrLogin.objects.get()
    response = requests.post(live_server.url + "/api/v1/identity/qr-login/confirm/",
                             json={"token": qr.token, "face_verified": True},
                             headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    page.wait_for_url(page.url_for("/"))
    expect(page.locator("body")).to_contain_text("扫码用户")
