"""Browser journey: an analyst opens the alert list, picks a quick filter and turns the alert into a work_order."""
import pytest

from apps.ops.models import Alert, WorkOrder
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.spec("OPS-3.12", "OPS-4.4")
def test_analyst_filters_alerts_and_creates_a_work_order(browser_page, ops_team):  # noqa: F811
    Alert.objects.create(fingerprint="b:1", title="威胁情报命中：2001:db8:bad::66", origin="intel", category="intel",
                         severity="critical", source_ip="10.3.0.9", destination_ip="2001:db8:bad::66",
                         direction="outbound", outcome="compromised")
    Alert.objects.create(fingerprint="b:2", title="光模块故障：optical module failure", origin="keyword",
                         category="device", severity="high")
    page = browser_page
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill("analyst")
    page.get_by_label("密码").fill("Passw0rd!2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto(page.url_for("/portal/ops/alerts/"))
    page.get_by_role("link", name="威胁情报命中告警").click()
    rows = page.locator("[data-testid=alert-table] tbody tr")
    assert rows.count() == 1
    save_screenshot(page, "ops-alerts-intel-filter")
    rows.first.locator("a").first.click()
    page.select_option("select[name=owner]", label="工程师乙")
    page.click("text=创建工单")
    page.wait_for_selector("[data-testid=work-order-status]")
    assert WorkOrder.objects.get().status == "new"
    save_screenshot(page, "ops-work-order-detail")


@pytest.mark.spec("OPS-12.1")
def test_admin_drags_modules_onto_a_screen_and_saves(browser_page, ops_team):  # noqa: F811
    from apps.core.tests.factories import grant
    from apps.ops.models import MonitoringScreen

    grant(ops_team["analyst"], "ops.use_screens")
    page = browser_page
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill("analyst")
    page.get_by_label("密码").fill("Passw0rd!2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto(page.url_for("/portal/ops/screens/new/"))
    page.get_by_label("大屏标题").fill("值班大屏")
    layout = page.locator("[data-testid=layout]")
    page.locator("[data-testid=palette] [data-module=work_orders]").drag_to(layout)
    page.locator("[data-testid=palette] [data-module=alert_trend]").drag_to(layout)
    # drop the trend onto the first item: it moves before "work_orders"
    page.locator("[data-testid=layout] li").nth(1).drag_to(page.locator("[data-testid=layout] li").nth(0))
    page.locator("[data-testid=layout] li").nth(0).locator("select").select_option("2")
    save_screenshot(page, "ops-screen-editor")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    screen = MonitoringScreen.objects.get()
    assert screen.layout == [{"module": "alert_trend", "width": 2}, {"module": "work_orders", "width": 1}]
    page.goto(page.url_for(f"/portal/ops/screens/{screen.pk}/display/"))
    page.wait_for_timeout(500)
    save_screenshot(page, "ops-screen-display")
