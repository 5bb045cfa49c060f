"""信息发布 in headless Chromium: an editor adds a column and a sub-column, publishes an article in the
sub-column, and the home page shows both columns in their areas. Screenshots in
reports/screenshots/portal-columns-*.png."""
import pytest
from playwright.sync_api import expect

from apps.core.tests.factories import grant
from apps.identity.tests.conftest import PASSWORD
from apps.identity.tests.factories import StaffFactory
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.mark.spec("PORTAL-5.1")
def test_an_editor_builds_a_column_tree_and_the_home_page_shows_it(browser_page, orgs):  # noqa: F811
    editor = grant(StaffFactory(username="cms_editor", organisation=orgs["province"]),
                   "portal.manage_contentcolumn", "portal.manage_article", role_code="r-cms")
    editor.set_password(PASSWORD)
    editor.save()
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "cms_editor")
    page.goto(page.url_for("/portal/columns/add/"))
    page.get_by_label("栏目名称").fill("政务要闻")
    page.get_by_label("显示位置").select_option("home_main")
    page.get_by_label("展示方式").select_option("title_summary")
    save_screenshot(page, "portal-columns-add")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="添加下级栏目").click()
    page.get_by_label("栏目名称").fill("市地动态")
    page.get_by_label("显示位置").select_option("home_side")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("columns")).to_contain_text("市地动态")
    save_screenshot(page, "portal-columns-list")
    page.locator("tr", has_text="市地动态").get_by_role("link", name="信息").click()
    page.get_by_role("link", name="添加信息").click()
    page.get_by_label("标题", exact=True).fill("哈尔滨市推行“一窗受理”全覆盖")
    page.get_by_label("摘要", exact=True).fill("全市政务大厅实现综合窗口受理。")
    page.get_by_label("正文", exact=True).fill("第一段。\n第二段。")
    page.get_by_label("已发布").check()
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    page.goto(page.url_for("/portal/"))
    expect(page.get_by_test_id("news-main")).to_contain_text("政务要闻")
    expect(page.get_by_test_id("news-side")).to_contain_text("哈尔滨市推行“一窗受理”全覆盖")
    save_screenshot(page, "portal-columns-home")
    page.get_by_role("link", name="哈尔滨市推行“一窗受理”全覆盖").click()
    expect(page.get_by_test_id("article")).to_contain_text("第二段。")
