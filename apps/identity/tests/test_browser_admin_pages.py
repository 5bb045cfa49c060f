"""Headless-Chromium look at the staff pages of wave 5: registration review, password
initialisation (with the one-time link page), user detail, and the city data import (upload,
preview, confirmation). Screenshots in reports/screenshots/identity-*.png."""
import pytest
from playwright.sync_api import expect

from apps.core.models import Region
from apps.identity.models import RealNameLevel, ReviewStatus, UserKind
from apps.identity.services.city_data_rows import REGION_COLUMNS
from apps.identity.tests.conftest import PASSWORD, PERSON_ID, PERSON_NAME, give
from apps.identity.tests.factories import UserFactory
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username: str, path: str = "/portal/login/") -> None:
    page.goto(page.url_for(path))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.mark.spec("IDN-11.1")
def test_city_data_import_pages_in_the_browser(browser_page, staff, regions, tmp_path):  # noqa: F811
    import openpyxl

    give(staff["harbin"], "identity.import_city_data", code="importer")
    book = openpyxl.Workbook()
    book.active.append(REGION_COLUMNS)
    book.active.append(["230102001000", "道里区兆麟街道", "乡镇街道", "正常"])
    book.active.append(["230103000000", "南岗区（更名）", "市辖区", "正常"])
    book.active.append(["230202001000", "龙沙区街道", "乡镇街道", ""])
    path = tmp_path / "regions.xlsx"
    book.save(path)
    page = browser_page
    log_in(page, "staff_harbin")
    page.goto(page.url_for("/portal/identity/city-data/imports/"))
    save_screenshot(page, "identity-city-data-import-list")
    page.select_option("#id_kind", "regions")
    page.select_option("#id_source", "excel")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="开始导入校验").click()
    page.wait_for_url("**/city-data/imports/*/")
    expect(page.get_by_test_id("import-rows")).to_contain_text("不属于哈尔滨市")
    save_screenshot(page, "identity-city-data-import-preview")
    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("batch-status")).to_have_text("已确认入库")
    save_screenshot(page, "identity-city-data-import-confirmed")
    assert Region.objects.filter(code="230102001000").exists()
    assert not Region.objects.filter(code="230202001000").exists()


def test_review_and_password_pages_in_the_browser(browser_page, staff, orgs):  # noqa: F811
    give(staff["province"], "identity.review_registration", "identity.reset_password", "identity.view_user",
         "identity.change_user", code="province_admin")
    person = UserFactory(kind=UserKind.NATURAL_PERSON, review_status=ReviewStatus.PENDING, id_type="resident_id",
                         id_number=PERSON_ID, full_name=PERSON_NAME, real_name_level=RealNameLevel.BASIC,
                         mobile_number="13900001111")
    staff["daoli_dept"].mobile_number = "13900002222"
    staff["daoli_dept"].save()
    page = browser_page
    log_in(page, "staff_province")
    page.goto(page.url_for("/portal/identity/reviews/"))
    save_screenshot(page, "identity-review-list")
    page.goto(page.url_for(f"/portal/identity/reviews/{person.pk}/"))
    expect(page.get_by_test_id("checklist")).to_be_visible()
    save_screenshot(page, "identity-review-detail")
    page.goto(page.url_for("/portal/identity/password-resets/"))
    expect(page.get_by_test_id("reset-table")).to_contain_text("staff_daoli_dept")
    save_screenshot(page, "identity-password-reset-list")
    page.goto(page.url_for(f"/portal/identity/users/{staff['daoli_dept'].pk}/"))
    expect(page.get_by_test_id("user-details")).to_contain_text("139****2222")
    save_screenshot(page, "identity-user-detail")
    page.goto(page.url_for("/sso/password-init/not-a-valid-token/"))
    expect(page.get_by_test_id("link-invalid")).to_be_visible()
    save_screenshot(page, "identity-password-init-invalid")


@pytest.mark.spec("PORTAL-7.8")
def test_daily_user_counts_page_in_the_browser(browser_page, staff, regions):  # noqa: F811
    from datetime import datetime

    from django.utils import timezone

    for n, day in enumerate(["2026-06-01", "2026-06-02", "2026-06-02"]):
        UserFactory(username=f"d{n}", kind=UserKind.NATURAL_PERSON, home_region=regions["230102000000"],
                    date_joined=timezone.make_aware(datetime.fromisoformat(f"{day} 10:00")))
    give(staff["province"], "identity.view_user", code="stats_viewer")
    page = browser_page
    log_in(page, "staff_province")
    page.goto(page.url_for("/portal/identity/statistics/"))
    page.get_by_role("link", name="按日统计用户数").first.click()
    page.get_by_label("开始日期").fill("2026-06-01")
    page.get_by_label("结束日期").fill("2026-06-03")
    page.get_by_role("button", name="统计").click()
    rows = page.get_by_test_id("daily-users").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("2026-06-02")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("3")          # to date: all three
    expect(rows.nth(1).locator("td").nth(4)).to_have_text("2")          # new that day
    save_screenshot(page, "identity-daily-user-counts")
