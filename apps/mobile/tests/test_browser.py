"""Main journeys of the mobile management pages in headless Chromium, with screenshots in
reports/screenshots/mobile-*.png: a unit registers, tests and submits an interface; the provincial reviewer
approves it in the batch review; the app detail, operations dashboard and statistics pages render."""
import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from apps.identity.tests.conftest import PASSWORD
from apps.mobile.services import interfaces as svc
from apps.mobile.services import apps as app_services
from apps.mobile.tests.conftest import approved_app, gateway_call
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.fixture
def reference_data(db):
    """Transactional tests start from an empty database: load the migration's reference data again."""
    importlib.import_module("apps.mobile.migrations.0002_reference_data").forwards(django_apps, None)


@pytest.mark.spec("APP-3.1", "APP-3.2", "APP-3.7", "APP-5.2", "APP-6.1", "APP-3.8")
def test_register_test_submit_and_approve_an_interface(browser_page, reference_data, units, upstream,  # noqa: F811
                                                      app_site, media, client):
    for user in units.values():
        user.set_password(PASSWORD)
        user.save()
    app, key = approved_app(units, "hrb.browser", app_site.url)
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "mobile_harbin")
    page.goto(page.url_for("/portal/mobile/resources/new/"))
    page.get_by_label("接口分类").select_option(label="社会保障")
    page.get_by_label("资源编码").fill("hrb-social-query")
    page.get_by_label("资源名称").fill("社保参保信息查询")
    page.get_by_label("接口地址（政务外网）").fill(upstream.url + "/social")
    save_screenshot(page, "mobile-resource-form")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("status")).to_have_text("待提交")
    page.get_by_role("button", name="接口测试").click()
    expect(page.locator(".messages")).to_contain_text("接口测试通过")
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_test_id("status")).to_have_text("待审核")
    save_screenshot(page, "mobile-resource-detail")
    page.goto(page.url_for("/portal/mobile/resources/"))
    expect(page.locator("table")).to_contain_text("哈尔滨市市场监督管理局")
    save_screenshot(page, "mobile-resource-list")
    page.get_by_role("button", name="退出").click()

    log_in(page, "mobile_admin")
    page.goto(page.url_for("/portal/mobile/review/"))
    page.get_by_label("选择 社保参保信息查询").check()
    save_screenshot(page, "mobile-review-queue")
    page.get_by_role("button", name="批量通过").click()
    expect(page.locator(".messages")).to_contain_text("已审核 1 个接口资源")
    resource = svc.InterfaceResource.objects.get(code="hrb-social-query")
    subscription = svc.subscription_request(actor=units["harbin"], resource=resource)
    svc.subscription_review(actor=units["admin"], subscription=subscription, approve=True)
    app_services.app_bind_interface(actor=units["harbin"], app=app, resource=resource)
    for _ in range(3):
        assert gateway_call(client, app, key, resource.code, "records")[0].status_code == 200
    page.goto(page.url_for(f"/portal/mobile/apps/{app.pk}/"))
    expect(page.get_by_test_id("listing-status")).to_have_text("已上架")
    save_screenshot(page, "mobile-app-detail")
    page.goto(page.url_for("/portal/mobile/operations/"))
    expect(page.locator("[data-chart-option='ch-trend'] canvas")).to_be_visible()
    save_screenshot(page, "mobile-operations")
    page.goto(page.url_for("/portal/mobile/statistics/"))
    expect(page.get_by_test_id("totals")).to_contain_text("1")
    save_screenshot(page, "mobile-statistics")
    assert svc.InterfaceResource.objects.get(code="hrb-social-query").status == "published"
