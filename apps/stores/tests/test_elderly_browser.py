"""STORE-2.c in headless Chromium: the accessibility toolbar of the elderly-friendly zone really changes the
page — zoom in/out change the font size, the colour scheme switches to high contrast, the arrow and the
cursor guides appear, voice / point-reading / continuous reading speak and highlight, back and forward
navigate, preferences survive a reload, reset clears them, and the toolbar works from the keyboard.
Screenshots (the tender's required one included): reports/screenshots/stores-elderly-*.png."""
import pytest
from playwright.sync_api import expect

from apps.stores.models import Zone, ZoneMatter
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def zone(orgs):
    rows = [("老年人优待证办理", "优待服务", "证", True), ("高龄津贴申领", "优待服务", "贴", True),
            ("养老金领取资格认证", "社保服务", "保", True), ("医保异地就医备案", "医疗服务", "医", False),
            ("居民身份证换领", "证件办理", "身", False), ("公交老年卡办理", "出行服务", "车", False)]
    for order, (name, classification, icon, connected) in enumerate(rows):
        ZoneMatter.objects.create(zone=Zone.ELDERLY, name=name, classification=classification, icon=icon,
                                  is_identity_connected=connected, order=order,
                                  handling_url="https://zwfw.hlj.gov.cn/elder/" + str(order) if connected else "",
                                  supplying_department=orgs["harbin_dept"])


def spoken(page, condition: str, timeout: int = 10_000) -> None:
    """Wait until the text last handed to speech synthesis (mirrored on <html data-a11y-spoken>) satisfies
    `condition` (a JS expression over `v`); polled, as requestAnimationFrame is throttled headless."""
    page.wait_for_function(f"(() => {{ const v = document.documentElement.getAttribute('data-a11y-spoken') || '';"
                           f" return {condition}; }})()", polling=100, timeout=timeout)


def px(page, selector: str, prop: str = "fontSize") -> float:
    return float(page.eval_on_selector(selector, f"el => getComputedStyle(el).{prop}").replace("px", ""))


@pytest.mark.spec("STORE-2.c")
def test_the_accessibility_toolbar_changes_the_page(browser_page, zone):  # noqa: F811
    page = browser_page
    page.goto(page.url_for("/stores/"))
    page.goto(page.url_for("/stores/elderly/"))
    toolbar = page.get_by_role("toolbar", name="无障碍工具条")
    expect(toolbar).to_be_visible()
    for name in ["后退", "前进", "重置", "箭头", "光标", "配色", "放大", "缩小", "声音", "指读", "连读"]:
        expect(toolbar.get_by_role("button", name=name)).to_be_visible()
    # large font, large icons
    title = ".elderly-tile strong"
    base_title = px(page, title)
    assert base_title >= 24 and px(page, ".elderly-tile .icon") >= 48
    save_screenshot(page, "stores-elderly-zone")

    # zoom in twice, zoom out once: the root font size (and everything in rem/em) follows
    toolbar.get_by_role("button", name="放大").click()
    assert page.evaluate("document.documentElement.style.fontSize") == "18px"
    toolbar.get_by_role("button", name="放大").click()
    assert page.evaluate("document.documentElement.style.fontSize") == "21px"
    assert px(page, title) > base_title * 1.35
    toolbar.get_by_role("button", name="缩小").click()
    assert page.evaluate("document.documentElement.style.fontSize") == "18px"
    expect(page.locator("[data-a11y-status]")).to_have_text("页面缩小到 120%")

    # colour scheme: high contrast black / yellow
    toolbar.get_by_role("button", name="配色").click()
    assert page.evaluate("document.documentElement.classList.contains('a11y-scheme-dark')")
    assert page.eval_on_selector("body", "el => getComputedStyle(el).backgroundColor") == "rgb(0, 0, 0)"
    assert page.eval_on_selector(".elderly-tile", "el => getComputedStyle(el).color") == "rgb(255, 235, 59)"

    # arrow: a large arrow pointer; cursor: crosshair guides that follow the mouse
    toolbar.get_by_role("button", name="箭头").click()
    expect(toolbar.get_by_role("button", name="箭头")).to_have_attribute("aria-pressed", "true")
    assert "url(" in page.eval_on_selector("body", "el => getComputedStyle(el).cursor")
    toolbar.get_by_role("button", name="光标").click()
    page.mouse.move(300, 420)
    assert page.eval_on_selector(".a11y-guide-h", "el => el.style.top") == "420px"
    assert page.eval_on_selector(".a11y-guide-v", "el => el.style.left") == "300px"
    save_screenshot(page, "stores-elderly-high-contrast")

    # preferences persist across pages and reloads
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('a11y-scheme-dark')")
    assert page.evaluate("document.documentElement.style.fontSize") == "18px"
    expect(page.get_by_role("toolbar").get_by_role("button", name="箭头")).to_have_attribute("aria-pressed", "true")

    # voice; point-reading speaks what the pointer is on; continuous reading walks the content
    toolbar = page.get_by_role("toolbar", name="无障碍工具条")
    toolbar.get_by_role("button", name="声音").click()
    expect(page.locator("[data-a11y-status]")).to_have_text("声音已开启")
    toolbar.get_by_role("button", name="指读").click()
    page.get_by_role("heading", name="适老服务专区", exact=True).hover()
    spoken(page, "v === '适老服务专区'")
    expect(page.get_by_role("heading", name="适老服务专区", exact=True)).to_have_class("a11y-reading")
    page.locator("[data-matter='高龄津贴申领']").hover()
    spoken(page, "v.includes('高龄津贴申领')")
    toolbar.get_by_role("button", name="连读").click()
    expect(toolbar.get_by_role("button", name="连读")).to_have_attribute("aria-pressed", "true")
    expect(toolbar.get_by_role("button", name="指读")).to_have_attribute("aria-pressed", "false")
    spoken(page, "v === '适老服务专区'")
    spoken(page, "v.startsWith('为老年朋友精选')", timeout=20_000)
    page.keyboard.press("Escape")
    expect(toolbar.get_by_role("button", name="连读")).to_have_attribute("aria-pressed", "false")
    assert page.locator(".a11y-reading").count() == 0

    # keyboard: Tab into the toolbar, arrows move, Enter activates
    toolbar.get_by_role("button", name="后退").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.dataset.a11y") == "forward"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.dataset.a11y") == "continuous"
    page.keyboard.press("Home")
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")                                   # 重置
    assert not page.evaluate("document.documentElement.classList.contains('a11y-scheme-dark')")
    assert page.evaluate("document.documentElement.style.fontSize") == ""
    assert page.evaluate("localStorage.getItem('a11y-prefs')").find('"scheme":0') >= 0

    # back and forward
    toolbar.get_by_role("button", name="后退").click()
    page.wait_for_url("**/stores/")
    page.get_by_role("toolbar", name="无障碍工具条").get_by_role("button", name="前进").click()
    page.wait_for_url("**/stores/elderly/")
