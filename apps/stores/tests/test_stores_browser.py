"""Flagship stores in headless Chromium: a department editor changes the store's title, description, banner
path and a service's handling link in the back office and the public page shows it (STORE-5.1); a logged-in
citizen moves between stores without another login (STORE-4.3); the smart search shows segmentation and
related words (STORE-2.f); the guide page's 权责清单 button opens the linked entry (STORE-2.g).
Screenshots: reports/screenshots/stores-*.png."""
import pytest
from playwright.sync_api import expect

from apps.matters.services.powers import power_entry_save, power_link_set
from apps.matters.tests.factories import grant as matters_grant
from apps.stores.models import StoreLevel
from apps.stores.services.search import keyword_association_save
from apps.stores.services.stores import store_open, store_publish, store_service_save, store_template_create
from apps.stores.tests.conftest import PASSWORD, staff_with
from apps.stores.tests.test_stores import SERVICE
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, path: str, username: str) -> None:
    page.goto(page.url_for(path))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.fixture
def stores(regions, orgs):
    admin = staff_with("b_admin", orgs["province"], "stores.manage_flagshipstore", "stores.maintain_store_content",
                       "stores.view_flagshipstore", "stores.manage_keywordassociation")
    store_template_create(actor=admin, level=StoreLevel.CITY, city=regions["230100000000"])
    store_template_create(actor=admin, level=StoreLevel.COUNTY, city=regions["230100000000"])
    harbin = store_publish(actor=admin, store=store_open(actor=admin, level=StoreLevel.CITY, organisation=orgs["harbin"],
                                                         region=regions["230100000000"], slug="harbin",
                                                         name="哈尔滨市旗舰店"))
    daoli = store_publish(actor=admin, store=store_open(actor=admin, level=StoreLevel.COUNTY, organisation=orgs["daoli_dept"],
                                                        region=regions["230102000000"], slug="daoli", name="道里区旗舰店"))
    for store in (harbin, daoli):
        store_service_save(actor=admin, store=store, data={**SERVICE, "title": f"{store.name[:3]}企业开办"})
        store_service_save(actor=admin, store=store, data={**SERVICE, "title": f"{store.name[:3]}公积金提取",
                                                           "icon": "金", "is_high_frequency": False})
    return {"admin": admin, "harbin": harbin, "daoli": daoli}


@pytest.mark.spec("STORE-5.1", "STORE-4.3", "STORE-4.4")
def test_an_editor_maintains_the_store_and_a_citizen_browses_without_logging_in_again(browser_page, stores,
                                                                                     resident):  # noqa: F811
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    editor = staff_with("harbin_web_editor", stores["harbin"].organisation, "stores.maintain_store_content",
                        "stores.view_flagshipstore")
    log_in(page, "/portal/login/", editor.username)
    page.goto(page.url_for(f"/portal/stores/{stores['harbin'].pk}/content/"))
    page.get_by_label("标题").fill("冰城政务旗舰店")
    page.get_by_label("简介").fill("哈尔滨市政务服务一站通：企业开办、社保医保、不动产登记。")
    page.get_by_label("横幅图片路径").fill("/static/img/harbin-banner.jpg")
    page.get_by_label("图标").fill("冰")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("冰城政务旗舰店")
    page.get_by_role("link", name="修改").first.click()
    page.get_by_label("在线办理链接").fill("https://harbin.zwfw.example/kaiban-v2")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    page.goto(page.url_for("/stores/store/harbin/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("冰城政务旗舰店")
    expect(page.get_by_test_id("store-description")).to_contain_text("哈尔滨市政务服务一站通")
    assert page.locator("[data-banner]").get_attribute("data-banner") == "/static/img/harbin-banner.jpg"
    expect(page.get_by_test_id("quick-entries")).to_contain_text("哈尔滨企业开办")
    save_screenshot(page, "stores-city-store")
    # a citizen logs in once and moves between the city and the county store
    page.context.clear_cookies()
    log_in(page, "/login/?next=/stores/store/harbin/", resident.username)
    page.goto(page.url_for("/stores/store/harbin/"))
    expect(page.get_by_test_id("session")).to_contain_text("您已通过省统一身份认证登录")
    page.get_by_role("link", name="道里区旗舰店").click()
    expect(page.get_by_test_id("session")).to_contain_text("您已通过省统一身份认证登录")
    page.get_by_role("link", name="道里区企业开办").first.click()
    expect(page.get_by_test_id("enquiry-phone")).to_have_text("0451-12345678")
    expect(page.get_by_test_id("support-phone")).to_have_text("0451-87654321")
    save_screenshot(page, "stores-service-page")


@pytest.mark.spec("STORE-2.f", "STORE-2.g")
def test_smart_search_and_the_power_list_button(browser_page, stores, publish, people, orgs):  # noqa: F811
    item = publish("食品经营许可", "daoli")
    publish("餐饮服务备案", "harbin")
    keyword_association_save(actor=stores["admin"], keyword="开饭店", associated_words=["食品经营许可", "餐饮"])
    clerk = matters_grant(people["daoli"], "view_powerlistentry", "add_powerlistentry", "change_powerlistentry")
    entry = power_entry_save(actor=clerk, department=orgs["daoli_dept"], data={
        "code": "QZ-XK-001", "name": "食品经营许可", "power_type": "licensing",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条", "responsibilities": "受理、审查、决定、送达"})
    power_link_set(actor=clerk, entry=entry, items=[item])
    page = browser_page
    page.goto(page.url_for("/stores/search/"))
    page.get_by_label("搜索内容").fill("我要开饭店")
    page.get_by_label("查询区划范围").select_option("230100000000")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("segments")).to_contain_text("开饭店")
    expect(page.get_by_test_id("expansions")).to_contain_text("餐饮")
    expect(page.get_by_test_id("results")).to_contain_text("餐饮服务备案")
    save_screenshot(page, "stores-smart-search")
    page.get_by_test_id("results").get_by_role("link", name="食品经营许可").click()
    button = page.get_by_role("button", name="权责清单（1）")
    expect(button).to_be_visible()
    expect(page.locator("[data-power-entry='QZ-XK-001']")).to_be_hidden()
    button.click()
    expect(page.locator("[data-power-entry='QZ-XK-001']")).to_be_visible()
    expect(page.get_by_test_id("power-list")).to_contain_text("受理、审查、决定、送达")
    save_screenshot(page, "stores-power-list")
