"""Browser look at the wave-8 pages: tiered administrators (opening one through the form), the unified attachment
list, and integration coverage."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.acceptance.services import onewindow as ow
from apps.acceptance.tests import factories as f
from apps.acceptance.tests.test_browser import PASSWORD, shot
from apps.identity.models import UserKind
from apps.identity.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.browser


def test_admin_attachment_and_coverage_pages_in_the_browser(browser_page, orgs, hall):
    page = browser_page
    root = StaffFactory(username="wave8_root", organisation=orgs["province"], is_superuser=True)
    root.set_password(PASSWORD)
    root.save()
    item, _s = f.with_materials(f.matter(orgs["harbin_dept"]))
    applicant = UserFactory(username="wave8_citizen", kind=UserKind.NATURAL_PERSON)
    ow.case_apply_online(item=item, actor=applicant, applicant_name="张三", applicant_id_number=f.id_number(1),
                         files={str(item.materials.get(name="申请书").pk): f.upload("申请书.pdf")})
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(root.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(page.url_for("/portal/acceptance/admins/"))
    page.get_by_label("登录账号").fill("hrb_city_admin")
    page.locator("#id_full_name").fill("哈市管理员")
    page.get_by_label("手机号码").fill("13900000021")
    page.get_by_label("初始密码").fill("Init-Passw0rd!")
    page.get_by_label("管理单位").select_option(label=str(orgs["harbin"]))
    page.get_by_label("大厅与窗口管理").check()
    page.get_by_label("下级管理员开通与授权").check()
    page.get_by_role("button", name="开通").click()
    expect(page.locator("table")).to_contain_text("市级管理员")
    shot(page, "wave8-admin-grants")

    page.goto(page.url_for("/portal/acceptance/attachments/"))
    expect(page.locator("table")).to_contain_text("申请书.pdf")
    shot(page, "wave8-attachments")
    page.goto(page.url_for("/portal/acceptance/integration/coverage/"))
    expect(page.locator("table").first).to_contain_text("哈尔滨市市场监督管理局")
    shot(page, "wave8-coverage")
