"""Browser journey: a handler sees the provincial to-do list, opens a complaint and assigns it;
a citizen files a complaint on the public site."""
import pytest
from playwright.sync_api import expect

from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.supervision.tests.factories import file_complaint
from tests.conftest import save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Passw0rd!2026"


def log_in(page, path, username):
    page.goto(page.url_for(path))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.mark.spec("PORTAL-1.4")
def test_handler_accepts_and_assigns_a_provincial_complaint(browser_page, people, orgs):
    page = browser_page
    complaint = file_complaint(title="窗口推诿扯皮")
    log_in(page, "/portal/login/", "hrb_handler")
    page.goto(page.url_for("/portal/supervision/provincial/?done=false"))
    expect(page.get_by_role("heading", name="省级投诉")).to_be_visible()
    expect(page.locator("table")).to_contain_text("窗口推诿扯皮")
    save_screenshot(page, "supervision-provincial-list")
    page.get_by_role("link", name=complaint.case_number).click()
    page.get_by_role("button", name="受理").click()
    expect(page.locator(".messages")).to_contain_text("办理成功")
    page.get_by_label("承办部门").select_option(label=orgs["harbin_dept"].name)
    page.get_by_role("button", name="指派").click()
    expect(page.locator(".complaint-fields")).to_contain_text(orgs["harbin_dept"].name)
    expect(page.locator(".timeline li")).to_have_count(3)
    save_screenshot(page, "supervision-complaint-detail")


def test_citizen_files_a_complaint(browser_page, regions):
    page = browser_page
    UserFactory(username="citizen_sup", kind=UserKind.NATURAL_PERSON)
    log_in(page, "/login/", "citizen_sup")
    page.goto(page.url_for("/supervision/"))
    page.get_by_label("标题").fill("审批太慢")
    page.get_by_label("内容").fill("三个月未办结")
    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("手机号码").fill("13800138001")
    page.get_by_label("所属区划").select_option(value="230100000000")
    save_screenshot(page, "supervision-public-form")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("table")).to_contain_text("审批太慢")
    save_screenshot(page, "supervision-public-mine")


def test_dashboard_and_efficiency_draw_echarts_from_local_files(browser_page, people, orgs):
    from datetime import timedelta

    from django.utils import timezone

    from apps.core.tests.factories import grant
    from apps.supervision.models import Complaint
    from apps.supervision.services.statistics import complaint_statistics_refresh

    page = browser_page
    file_complaint(title="超期投诉一")
    file_complaint(region="230200000000", title="超期投诉二", kind="suggestion")
    Complaint.objects.update(deadline=timezone.now() - timedelta(days=1))
    complaint_statistics_refresh()
    grant(people["province"], "supervision.view_supervisiontask", "supervision.add_leaderpost", role_code="board")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, "/portal/login/", "prov_handler")
    page.goto(page.url_for("/portal/supervision/dashboard/"))
    expect(page.get_by_role("heading", name="投诉与超期统计")).to_be_visible()
    expect(page.locator("#sv-source canvas")).to_have_count(1)
    expect(page.locator("#sv-trend canvas")).to_have_count(1)
    expect(page.get_by_test_id("totals")).to_contain_text("2")
    expect(page.locator("#sv-cases")).to_contain_text("暂无数据")                # no overdue cases
    save_screenshot(page, "supervision-dashboard")
    page.goto(page.url_for("/portal/supervision/efficiency/"))
    expect(page.locator("#sv-eff-department")).to_contain_text("暂无数据")      # no task scored yet
    save_screenshot(page, "supervision-efficiency")
    page.goto(page.url_for("/portal/supervision/leaders/"))
    page.get_by_label("标题").fill("厅长走流程：企业开办全程网办")
    page.get_by_label("内容").fill("体验企业开办全流程。")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("leader-post")).to_contain_text("厅长走流程")
    save_screenshot(page, "supervision-leader-column")
    assert all(url.startswith(page.url_for("/")) for url in requested), "every asset is served locally"
