"""办件月报 in headless Chromium: a district bureau fills its monthly form, and the city's statistics page shows
the figures in the city roll-up with the chart drawn. Screenshots in reports/screenshots/portal-monthly-*.png."""
import pytest
from playwright.sync_api import expect

from apps.core.models import OrganisationKind
from apps.core.tests.factories import OrganisationFactory, grant
from apps.identity.tests.conftest import PASSWORD
from apps.identity.tests.factories import StaffFactory
from apps.portal import services
from apps.portal.models import FIGURE_LABELS, VARIANT_FIGURES, ReportVariant
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str) -> None:
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def staff(username, organisation, *permissions):
    user = grant(StaffFactory(username=username, organisation=organisation), *permissions, role_code=f"r-{username}")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.spec("PORTAL-11.2", "PORTAL-11.5")
def test_a_district_bureau_fills_and_the_city_sees_its_roll_up(browser_page, orgs, regions):  # noqa: F811
    daoli = OrganisationFactory(name="道里区营商环境建设监督局", region=regions["230102000000"],
                                kind=OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU, parent=orgs["harbin"])
    staff("daoli_filler", daoli, "portal.fill_monthlycasereport")
    staff("harbin_stats", orgs["harbin"], "portal.view_monthlycasereport_statistics")
    month = services.fillable_months()[1]
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    log_in(page, "daoli_filler")
    page.goto(page.url_for("/portal/monthly/fill/"))
    page.get_by_label("填报月份").select_option(f"{month:%Y-%m}")
    for n, name in enumerate(VARIANT_FIGURES[ReportVariant.CITY_BUREAU], start=1):
        page.get_by_label(str(FIGURE_LABELS[name]), exact=True).fill(str(n * 10))
    save_screenshot(page, "portal-monthly-fill")
    page.get_by_role("button", name="提交月报").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("history")).to_contain_text(f"{month:%Y年%m月}")

    page.context.clear_cookies()                            # the next user, in the same browser
    log_in(page, "harbin_stats")
    page.goto(page.url_for(f"/portal/monthly/statistics/city-bureau/?month_from={month:%Y-%m}&month_to={month:%Y-%m}"))
    expect(page.locator("body")).to_contain_text("道里区营商环境建设监督局")
    expect(page.locator("[data-chart-option] canvas").first).to_be_visible()
    save_screenshot(page, "portal-monthly-statistics")
