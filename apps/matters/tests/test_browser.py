"""Browser journey through the matters pages a department and a bureau use (headless Chromium)."""
import pytest
from playwright.sync_api import expect

from tests.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_item_page_delegation_and_statistics_render(browser_page, published_item, people):
    people["harbin"].set_password("Passw0rd!2026")
    people["harbin"].save()
    page = browser_page
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill("harbin_clerk")
    page.get_by_label("密码").fill("Passw0rd!2026")
    page.get_by_role("button", name="登录").click()
    page.goto(page.url_for(published_item.get_absolute_url()))
    expect(page.get_by_role("heading", name="事项标签")).to_be_visible()
    save_screenshot(page, "matters-item-detail")
    page.get_by_role("link", name="下放").click()
    expect(page.get_by_label("县级")).to_be_visible()
    expect(page.get_by_label("市级")).to_have_count(0)
    page.get_by_label("县级").check()
    page.get_by_role("button", name="确认下放").click()
    expect(page.get_by_text("已下放")).to_be_visible()
    page.goto(page.url_for("/portal/matters/statistics/?kind=catalogue&by=matter_type"))
    expect(page.get_by_role("cell", name="行政许可")).to_be_visible()
    save_screenshot(page, "matters-statistics")
