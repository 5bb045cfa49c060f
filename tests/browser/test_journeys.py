"""Browser journeys, one per surface, each a real user path with assertions on what is visible."""
import pytest
from playwright.sync_api import expect

from apps.identity.models import User, UserKind
from apps.identity.services import access_request_create
from apps.identity.tests.conftest import give
from tests.conftest import save_screenshot

pytestmark = pytest.mark.browser
PASSWORD = "Passw0rd!2026"


def log_in(page, path: str, username: str, password: str = PASSWORD) -> None:
    page.goto(page.url_for(path))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.mark.spec("PORTAL-9.3")
def test_staff_logs_in_and_sees_a_pending_access_request_in_the_inbox(browser_page, staff):
    page = browser_page
    give(staff["harbin"], "identity.review_systemaccessrequest", code="approver")
    access_request_create(applicant=staff["daoli_dept"], system="data_sharing", reason="查询共享数据")
    log_in(page, "/portal/login/", "staff_harbin")
    expect(page.get_by_role("heading", name="待办事项")).to_be_visible()
    inbox = page.get_by_test_id("inbox")
    expect(inbox).to_contain_text("系统访问权限申请")
    expect(inbox).to_contain_text("数据资源共享系统")
    save_screenshot(page, "portal-inbox")
    inbox.get_by_role("link").first.click()
    expect(page.get_by_test_id("status")).to_have_text("待审核")
    page.get_by_label("审核意见").fill("同意开通")
    page.get_by_role("button", name="通过").click()
    expect(page.get_by_test_id("status")).to_have_text("审核通过")
    expect(page.locator(".timeline li")).to_have_count(2)
    save_screenshot(page, "portal-access-request")


def test_citizen_logs_in_on_the_site_and_is_welcomed(browser_page, citizen):
    page = browser_page
    log_in(page, "/login/", "citizen1")
    expect(page.get_by_test_id("welcome")).to_contain_text(str(citizen))
    save_screenshot(page, "public-welcome")


def test_staff_is_turned_away_from_the_public_login(browser_page, staff):
    page = browser_page
    log_in(page, "/login/", "staff_harbin")
    expect(page.get_by_test_id("login-error")).to_contain_text("政务工作人员请从工作门户登录")
    save_screenshot(page, "public-login-staff-refused")


def test_public_home_switches_to_russian_and_large_text(browser_page, db):
    page = browser_page
    page.goto(page.url_for("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("一个账号，全省通办")
    save_screenshot(page, "public-home")
    page.get_by_role("button", name="大字版").click()
    expect(page.locator("html")).to_have_class("large-text")
    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Одна учётная запись — все услуги провинции")
    save_screenshot(page, "public-home-ru")


def test_admin_opens_the_admin_and_the_region_changelist(browser_page, regions):
    page = browser_page
    User.objects.create_superuser(username="root", password=PASSWORD, kind=UserKind.STAFF, full_name="系统管理员")
    log_in(page, "/admin/login/", "root")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(page.url_for("/admin/core/region/"))
    expect(page.locator("#result_list")).to_contain_text("哈尔滨市")
    expect(page.locator("#result_list")).to_contain_text("230100000000")
    save_screenshot(page, "admin-regions")


@pytest.mark.spec("PORTAL-9.2")
def test_admin_edits_a_users_mobile_and_sees_it_masked(browser_page, staff, orgs):
    page = browser_page
    give(staff["harbin"], "identity.view_user", "identity.change_user", "identity.add_user", code="user_admin")
    log_in(page, "/portal/login/?next=/portal/identity/users/", "staff_harbin")
    expect(page.get_by_role("heading", name="用户管理", level=1)).to_be_visible()
    page.locator(".org-tree").get_by_role("link", name="道里区市场监督管理局").click()
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name="编辑").click()
    page.get_by_label("手机号码", exact=True).fill("13812345678")
    page.get_by_label("电子邮箱").fill("daoli@hlj.gov.cn")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("用户信息已保存")
    expect(page.locator("table.table")).to_contain_text("138****5678")
    expect(page.locator("body")).not_to_contain_text("13812345678")
    save_screenshot(page, "portal-user-list")
    page.goto(page.url_for(f"/portal/identity/users/{staff['daoli_dept'].pk}/edit/"))
    save_screenshot(page, "portal-user-edit")
