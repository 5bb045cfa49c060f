"""综合展示 in headless Chromium (ANA-2.x, ANA-0.1): an analyst opens the dashboard of the ten charts, drills
into chart 2.1, and a portal's page embeds chart 2.8. Screenshots in reports/screenshots/analytics-*.png
(the visualisation data display service screenshot the bid asks for)."""
import pytest
from playwright.sync_api import expect

from apps.analytics.services.embed import embed_client_register
from apps.analytics.services.refresh import topic_datasets_ensure, topic_refresh_start
from apps.analytics.tests.factories import Province, administrator, analyst
from apps.identity.tests.conftest import PASSWORD
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.spec("ANA-2.1", "ANA-2.8", "ANA-0.1")
def test_an_analyst_reads_the_dashboard_and_a_portal_embeds_a_chart(browser_page, orgs):  # noqa: F811
    topic_datasets_ensure()                     # a transactional test may run after another flushed the tables
    Province(orgs)
    admin = administrator(orgs["province"], username="browser_admin")
    topic_refresh_start(actor=admin)            # commits at once here: the eager task runs the job
    user = analyst(orgs["province"], username="browser_analyst")
    user.set_password(PASSWORD)
    user.save()
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill("browser_analyst")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto(page.url_for("/portal/analytics/"))
    expect(page.get_by_role("heading", name="黑龙江省 · 政务服务数据综合展示")).to_be_visible()
    expect(page.locator("[data-testid='chart-2.1'] canvas").first).to_be_visible()
    expect(page.get_by_role("link", name="综合展示")).to_be_visible()
    save_screenshot(page, "analytics-dashboard")
    page.get_by_role("link", name="2.1 全省事项认领情况分析图").click()
    page.wait_for_load_state()
    harbin = page.get_by_test_id("table-1").locator("tr", has_text="哈尔滨市")
    expect(harbin).to_contain_text("2")
    expect(page.locator("[data-testid='panels'] canvas").first).to_be_visible()
    save_screenshot(page, "analytics-chart-2-1")
    _client, key = embed_client_register(actor=admin, name="政务服务门户", kind="portal",
                                         origin="http://localhost", region=orgs["province"].region,
                                         allowed_charts=["2.8"])
    page.goto(page.url_for(f"/portal/analytics/embed/2.8/?key={key}"))
    expect(page.get_by_role("heading", name="全省电子印章智能分析图 · 黑龙江省")).to_be_visible()
    expect(page.locator("canvas").first).to_be_visible()
    save_screenshot(page, "analytics-embed-2-8")
