"""Browser look at the phase-2 pages (headless Chromium, live server): the login-method tabs, city
quick login with profile completion, and the registration review page with a highlighted
temporary legal person."""
import pytest

from apps.identity.models import ReviewStatus, UserKind
from apps.identity.tests.conftest import PERSON_ID, PERSON_NAME, give
from apps.identity.tests.factories import UserFactory
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_quick_login_in_the_browser(browser_page, identity_peers, third_parties, regions):  # noqa: F811
    identity_peers.person()
    third_parties.city.register(city_code="230100000000", username="zs_hrb", password="city-pass", record={
        "account_id": "HRB-1", "name": PERSON_NAME, "id_type": "resident_id", "id_number": PERSON_ID,
        "valid_from": "2015-01-01", "valid_to": "2035-01-01"})
    page = browser_page
    page.goto(page.url_for("/sso/login/sms/"))
    assert page.get_by_test_id("national-login").is_visible()
    page.get_by_role("link", name="地市快捷登录").click()
    page.select_option("#id_city_code", "230100000000")
    page.fill("#id_username", "zs_hrb")
    page.fill("#id_password", "city-pass")
    save_screenshot(page, "identity-login-city")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/sso/login/city/complete/")
    page.fill("#id_username", "zhangsan_city")
    page.fill("#id_mobile_number", "13600008888")
    page.select_option("#id_home_region", "230102000000")
    page.fill("#id_password", "Str0ng!Pass2026")
    page.fill("#id_password_confirm", "Str0ng!Pass2026")
    save_screenshot(page, "identity-login-city-complete")
    page.get_by_role("button", name="提交并登录").click()
    page.wait_for_load_state()
    assert "/sso/login/city" not in page.url


def test_review_page_in_the_browser(browser_page, staff, live_server):  # noqa: F811
    reviewer = staff["province"]
    give(reviewer, "identity.review_registration")
    reviewer.set_password("Passw0rd!2026x")
    reviewer.save()
    UserFactory(username="temp_lp", kind=UserKind.LEGAL_PERSON, is_temporary_legal_person=True,
                review_status=ReviewStatus.PENDING, full_name="临时商贸有限公司")
    page = browser_page
    page.goto(page.url_for("/portal/login/"))
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", "Passw0rd!2026x")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto(page.url_for("/portal/identity/reviews/"))
    assert page.get_by_test_id("temporary-badge").first.is_visible()
    save_screenshot(page, "identity-review-list")
