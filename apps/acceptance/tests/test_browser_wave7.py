"""Browser look at the wave-7 pages: the public lookup with a concluded case's code services, and the
channel and demand monitoring page with its ECharts chart."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.acceptance.models import CaseCode
from apps.acceptance.services.channels import visit_record
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.test_browser import PASSWORD, shot

pytestmark = pytest.mark.browser


def test_lookup_and_channel_monitoring_pages_in_the_browser(browser_page, orgs, hall, hall_admin):
    page = browser_page
    clerk = f.clerk(orgs["harbin_dept"])
    case = f.concluded_case(f.matter(orgs["harbin_dept"]), clerk, n=1)
    code = CaseCode.objects.get(case=case).code
    page.goto(page.url_for(f"/acceptance/lookup/?code={code}"))
    expect(page.get_by_test_id("lookup-case")).to_contain_text(case.case_number)
    expect(page.get_by_test_id("code-services")).to_contain_text("办件评价（好差评）")
    shot(page, "wave7-lookup-code")
    page.get_by_role("link", name="办件进度").click()
    page.get_by_label("办件编号").fill(case.case_number)
    page.get_by_label("申请人证件号码").fill(f.id_number(1))
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("lookup-case")).to_contain_text("已办结")
    shot(page, "wave7-lookup-case")

    visit_record(channel="app", function="hall")
    f.grant(hall_admin, "view_channelvisit", "add_warningplan", "view_warningplan")
    hall_admin.set_password(PASSWORD)
    hall_admin.save()
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(hall_admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(page.url_for("/portal/acceptance/channels/"))
    expect(page.get_by_test_id("channel-volume")).to_contain_text("APP")
    expect(page.locator("#acc-channel-chart canvas")).to_have_count(1)
    page.get_by_label("计划名称").fill("号源紧张")
    page.get_by_label("预警阈值").fill("80")
    page.get_by_role("button", name="新增预警计划").click()
    expect(page.get_by_test_id("plans")).to_contain_text("号源紧张")
    shot(page, "wave7-channels")
