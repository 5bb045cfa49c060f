"""Browser journey: a citizen rates a concluded case on the website; the public column shows it."""
import pytest
from playwright.sync_api import expect

from apps.reviews.models import Evaluation
from tests.browser.test_journeys import log_in
from tests.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_rates_a_concluded_case_and_the_column_shows_it(browser_page, world, citizen):
    citizen.real_name_level = 2
    citizen.save()
    case = world.case(applicant=citizen)
    page = browser_page
    log_in(page, "/login/", citizen.username)
    page.goto(page.url_for(f"/reviews/evaluate/{case.case_number}/"))
    expect(page.get_by_role("heading", name="办件评价")).to_be_visible()
    page.get_by_label("非常满意").check()
    save_screenshot(page, "reviews-evaluate")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("评价已提交")).to_be_visible()
    evaluation = Evaluation.objects.get(case=case)
    assert evaluation.level == 1 and evaluation.evaluator == citizen

    page.emulate_media(reduced_motion="reduce")     # charts drawn at once, no animation
    page.goto(page.url_for("/reviews/"))
    expect(page.locator("canvas").first).to_be_visible()      # ECharts drew from the local copy
    save_screenshot(page, "reviews-overview")


def test_analyst_opens_rankings_cockpit_and_channel_charts(browser_page, orgs):
    from apps.reviews.services.statistics import aggregate_pending
    from apps.reviews.tests.factories import World, evaluate, handler, rate

    harbin, qiqihar = World(orgs["harbin_dept"]), World(orgs["qiqihar"])
    evaluate(harbin.case(1), level=1, tags=[])  # seeded tags are flushed in transactional tests
    rate("staff", harbin.staff, 2, tags=[], channel="qr", indicators=["服务态度:好", "办事效率:中"])
    rate("hall", qiqihar.hall, 3, tags=[])
    aggregate_pending()
    analyst = handler(orgs["province"], "browser_analyst")
    analyst.set_password("Passw0rd!2026")
    analyst.save()
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "/portal/login/", analyst.username, "Passw0rd!2026")
    page.goto(page.url_for("/portal/reviews/rankings/?board=good"))
    expect(page.get_by_role("heading", name="全省好评排行榜 · 黑龙江省")).to_be_visible()
    expect(page.get_by_test_id("ranking").get_by_role("link", name="哈尔滨市")).to_be_visible()
    save_screenshot(page, "reviews-rankings")
    page.goto(page.url_for("/portal/reviews/analysis/"))
    expect(page.locator("[data-chart-option] canvas").first).to_be_visible()
    save_screenshot(page, "reviews-cockpit")
    page.goto(page.url_for("/reviews/board/?by=staff"))
    expect(page.get_by_test_id("board").get_by_role("link", name="预约").first).to_be_visible()
    save_screenshot(page, "reviews-board")
    page.goto(page.url_for("/portal/reviews/analysis/impressions/?kind=staff"))
    expect(page.get_by_test_id("impression-targets").get_by_text("李四")).to_be_visible()
    expect(page.locator("[data-chart-option] canvas").first).to_be_visible()
    save_screenshot(page, "reviews-impressions")
