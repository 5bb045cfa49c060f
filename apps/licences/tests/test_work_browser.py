"""Browser journey of the licence work pages: a clerk enters a licence, submits it, a reviewer approves
it, the clerk seals it, the detail shows 有效 and the downloaded OFD verifies."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.identity.tests.factories import StaffFactory
from apps.licences.models import Licence, TemplateMapping
from apps.licences.ofd.verify import verify_ofd
from apps.licences.services.pki import trusted_roots
from tests.conftest import browser_page, playwright_driver  # noqa: F401 (fixtures)

from .factories import (
    LICENCE_PERMS,
    demo_pki,
    grant,
    licence_template,
    seal_admin,
    valid_seal,
)
from .test_browser import log_in, shot

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(orgs):
    admin = seal_admin(orgs["province"])
    pki = demo_pki(admin, orgs["province"])
    dept = orgs["harbin_dept"]
    clerk = grant(StaffFactory(username="lic_clerk", organisation=dept), *LICENCE_PERMS)
    seal = valid_seal(admin, dept, pki, "哈尔滨市市场监督管理局电子证照专用章")
    seal.grants.create(user=clerk, granted_by=admin)
    template = licence_template(orgs["province"])
    TemplateMapping.objects.create(template=template, issuer=dept, item_code="230100-SP-001", item_name="食品经营许可")
    reviewer = grant(StaffFactory(username="lic_reviewer", organisation=dept), "view_licence", "review_licence")
    return {"clerk": clerk, "reviewer": reviewer, "seal": seal, "pki": pki}


def accept_dialogs(page):
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(60_000)  # sealing and first renders are slow on a shared 2-core machine


@pytest.mark.spec("LIC-1.7", "LIC-1.8", "LIC-1.18")
def test_clerk_enters_reviewer_approves_clerk_seals_and_the_ofd_verifies(browser_page, desk):  # noqa: F811
    page = browser_page
    accept_dialogs(page)
    log_in(page, "lic_clerk")
    page.goto(page.url_for("/portal/licences/work/"))
    page.get_by_role("link", name="录入证照").click()
    page.get_by_role("link", name="录入", exact=True).click()
    page.get_by_label("证照编号").fill("JY12301000777")
    page.get_by_label("持证主体", exact=True).fill("哈尔滨冰城餐饮有限公司")
    page.get_by_label("持证主体代码").fill("91230100MA1B2C3D4E")
    page.get_by_label("有效期起").fill("2026-01-01")
    page.get_by_label("有效期至").fill("2030-12-31")
    page.get_by_label("经营场所").fill("哈尔滨市道里区中央大街1号")
    shot(page, "work-entry-form")
    page.get_by_role("button", name="提交录入").click()
    expect(page.get_by_text("请填写照面信息“经营项目”")).to_be_visible()  # a required face field left empty
    page.get_by_label("经营项目").fill("热食类食品制售")
    page.get_by_role("button", name="提交录入").click()
    expect(page.locator("[data-status=entered]").first).to_be_visible()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("[data-status=in_review]").first).to_be_visible()
    detail_url = page.url

    page.context.clear_cookies()
    log_in(page, "lic_reviewer")
    page.goto(page.url_for("/portal/licences/work/?tab=in_review"))
    shot(page, "work-list-in-review")
    page.get_by_role("link", name="食品经营许可证").click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("[data-status=awaiting_sealing]").first).to_be_visible()

    page.context.clear_cookies()
    log_in(page, "lic_clerk")
    page.goto(detail_url)
    page.get_by_label("印章与签章证书").select_option(f"{desk['seal'].pk}:{desk['pki']['signer'].pk}")
    shot(page, "work-seal")
    page.get_by_role("button", name="盖章", exact=True).click()
    expect(page.get_by_text("盖章完成，证照已生效。")).to_be_visible()
    expect(page.locator("[data-status=valid]").first).to_be_visible()
    shot(page, "work-sealed-detail")
    with page.expect_download() as download:
        page.locator("#sealed-files").get_by_role("link", name="下载 OFD").click()
    data = Path(download.value.path()).read_bytes()
    assert verify_ofd(data, trusted_roots=trusted_roots()).verdict == "valid"
    licence = Licence.objects.get(licence_number="JY12301000777")
    assert licence.status == "valid" and licence.seal_id == desk["seal"].pk


def test_work_pages_at_phone_width(browser_page, desk):  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "lic_clerk")
    for name, url in (("work-list-390", "/portal/licences/work/?tab=awaiting_sealing"),
                      ("work-enter-390", "/portal/licences/work/new/")):
        page.goto(page.url_for(url))
        assert page.evaluate("document.documentElement.scrollWidth") <= 392, name
        shot(page, name)
