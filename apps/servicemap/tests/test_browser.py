"""The public map journey in headless Chromium (MAP-1.x, 2.x): clustered markers, a cluster that opens
into three halls, one info window at a time, drop-down suggestions, the hall and window pages.
Screenshots: reports/screenshots/servicemap-*.png."""
import pytest
from playwright.sync_api import expect

from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.spec("MAP-1.1", "MAP-2.1", "MAP-2.2", "MAP-1.3", "MAP-1.2", "MAP-1.5", "MAP-1.6")
def test_a_visitor_finds_the_nangang_halls_on_the_map(browser_page, halls, window_setup):  # noqa: F811
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    page.goto(page.url_for("/map/"))
    expect(page.get_by_role("heading", name="政务服务地图")).to_be_visible()
    page.wait_for_function("window.serviceMap && window.serviceMap.markers().length > 0")
    clusters = page.evaluate("window.serviceMap.markers().filter(m => m.kind === 'cluster').map(m => m.count)")
    assert sorted(clusters) == [2, 3]        # Nangang's three; the street and community halls far east
    save_screenshot(page, "servicemap-province")
    # clicking the "3" zooms in until the three halls stand apart
    page.evaluate("window.serviceMap.expand(window.serviceMap.markers().filter(m => m.kind === 'cluster')"
                  ".findIndex(m => m.count === 3))")
    page.wait_for_function("window.serviceMap.zoom() > 6 && "
                           "!window.serviceMap.markers().some(m => m.kind === 'cluster' && m.count === 3)")
    names = page.evaluate("window.serviceMap.markers().map(m => m.name)")
    assert {"哈尔滨市市民大厦", "哈尔滨市南岗区政务服务中心", "哈尔滨市经济开发区政务服务大厅"} <= set(names)
    save_screenshot(page, "servicemap-nangang-zoomed")

    # region navigation to 南岗区, then one info window at a time
    regions = page.get_by_role("navigation", name="区划导航")
    regions.get_by_role("link", name="哈尔滨市").click()
    page.get_by_role("navigation", name="区划导航").get_by_role("link", name="南岗区").click()
    expect(page.get_by_role("heading", name="南岗区 · 区县服务大厅 2")).to_be_visible()
    cards = page.locator(".smap-hall-card")
    expect(cards).to_have_count(2)
    cards.nth(0).get_by_role("button", name="在地图上查看").click()
    info = page.locator("#map-info")
    expect(info).to_be_visible()
    first = info.locator("h2").inner_text()
    cards.nth(1).get_by_role("button", name="在地图上查看").click()
    expect(page.locator(".smap-info:visible")).to_have_count(1)
    expect(info.locator("h2")).not_to_have_text(first)
    expect(info.get_by_role("link", name="查看详情")).to_be_visible()
    save_screenshot(page, "servicemap-info-window")

    # drop-down suggestions lead to the hall page, then the window page
    page.get_by_label("搜索大厅、事项、地址或主题").fill("市民")
    suggestion = page.locator("#map-suggestions").get_by_role("link", name="哈尔滨市市民大厦")
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page.get_by_role("heading", name="哈尔滨市市民大厦", level=1)).to_be_visible()
    expect(page.get_by_text("居民身份证申领").first).to_be_visible()
    save_screenshot(page, "servicemap-hall")
    page.get_by_role("link", name="1号 综合受理窗口").click()
    expect(page.get_by_role("heading", name="窗口预约")).to_be_visible()
    expect(page.get_by_text("1F A区1号窗口")).to_be_visible()
    save_screenshot(page, "servicemap-window")


@pytest.mark.spec("MAP-1.7.5", "MAP-6.9")
def test_live_video_plays_in_the_browser(browser_page, halls, window_setup):  # noqa: F811
    from apps.core.adapters.simulators import SimulatorServer
    from apps.servicemap.adapters.video import NvrSimulator
    from apps.servicemap.models import VideoChannel

    with SimulatorServer(NvrSimulator(channels=1, frames=40, interval=0.1)) as nvr:
        VideoChannel.objects.create(hall=window_setup["hall"], window=window_setup["window"], name="1号窗口摄像机",
                                    stream_url=f"{nvr.url}/channels/1/stream.mjpeg")
        page = browser_page
        page.goto(page.url_for(f"/map/windows/{window_setup['window'].pk}/"))
        player = page.get_by_role("img", name="1号窗口摄像机实时画面")
        expect(player).to_be_visible()
        player.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('img.smap-live').naturalWidth === 320")
        save_screenshot(page, "servicemap-live-video")


@pytest.mark.spec("MAP-5.1", "MAP-5.2", "MAP-5.5")
def test_operation_control_dashboard_draws_its_charts(browser_page, halls, window_setup, orgs):  # noqa: F811
    from django.contrib.auth.models import Permission

    from apps.identity.tests.conftest import PASSWORD
    from apps.identity.tests.factories import RoleFactory, StaffFactory

    user = StaffFactory(username="map_dash", organisation=orgs["province"])
    user.set_password(PASSWORD)
    user.save()
    role = RoleFactory(code="map-dash")
    role.permissions.add(Permission.objects.get(codename="view_mapdashboard"))
    user.roles.add(role)
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill("map_dash")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    page.goto(page.url_for("/portal/servicemap/"))
    expect(page.get_by_role("heading", name="地图运行管控 · 黑龙江省")).to_be_visible()
    expect(page.get_by_test_id("region-stats")).to_contain_text("哈尔滨市")
    page.wait_for_function("document.querySelectorAll('[data-chart-option] canvas').length >= 5")
    page.get_by_test_id("region-stats").get_by_role("link", name="哈尔滨市").click()
    expect(page.get_by_role("heading", name="地图运行管控 · 哈尔滨市")).to_be_visible()
    page.wait_for_function("document.querySelectorAll('[data-chart-option] canvas').length >= 5")
    save_screenshot(page, "servicemap-dashboard")
