"""Browser journeys of licences: a seal administrator freezes a seal; anyone verifies a sealed licence."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.licences.services.licences import licence_enter, licence_review, licence_seal, licence_submit
from tests.conftest import browser_page, playwright_driver  # noqa: F401 (fixtures)

from .test_external_generation import channel  # noqa: F401 (fixture)
from .factories import LICENCE_PERMS, demo_pki, grant, licence_data, licence_template, seal_admin, valid_seal

pytestmark = pytest.mark.browser
PASSWORD = "Passw0rd!2026"
SHOTS = Path("/tmp/lic_shots")


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, username):
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def sealed_licence(orgs):
    admin = grant(seal_admin(orgs["province"]), *LICENCE_PERMS)
    pki = demo_pki(admin, orgs["province"])
    seal = valid_seal(admin, orgs["harbin_dept"], pki, "哈尔滨市市场监督管理局电子证照专用章")
    licence = licence_enter(actor=admin, template=licence_template(orgs["province"]), issuer=orgs["harbin_dept"],
                            data=licence_data(1))
    licence_submit(actor=admin, licences=[licence])
    licence_review(actor=admin, licence=licence, approve=True)
    return admin, seal, licence_seal(actor=admin, licence=licence, seal=seal, certificate=pki["signer"])


def test_seal_admin_freezes_a_seal_and_opens_a_licence(browser_page, sealed_licence):
    admin, seal, licence = sealed_licence
    page = browser_page
    log_in(page, admin.username)
    page.goto(page.url_for("/portal/licences/seals/"))
    page.get_by_role("link", name=seal.name).click()
    shot(page, "seal-detail")
    page.get_by_label("意见 / 原因").fill("核查用章情况")
    page.get_by_role("button", name="冻结").click()
    expect(page.locator("[data-status=frozen]").first).to_be_visible()
    expect(page.get_by_text("核查用章情况").first).to_be_visible()
    shot(page, "seal-frozen")
    page.goto(page.url_for("/portal/licences/?holder_name=冰城"))
    page.get_by_role("link", name=licence.name).click()
    expect(page.get_by_text(licence.licence_code)).to_be_visible()
    shot(page, "licence-detail")


def test_anyone_verifies_a_sealed_licence(browser_page, sealed_licence, tmp_path):
    _, _, licence = sealed_licence
    path = tmp_path / "licence.ofd"
    path.write_bytes(licence.ofd_file.read())
    page = browser_page
    page.goto(page.url_for("/licences/verify/"))
    page.get_by_label("签章文件（OFD）").set_input_files(str(path))
    page.get_by_role("button", name="验证").click()
    expect(page.locator("[data-verdict=valid]")).to_be_visible()
    expect(page.locator("[data-step=maker_signature][data-status=ok]")).to_be_visible()
    shot(page, "public-verify")
    page.goto(page.url_for(f"/licences/verify/code/{licence.licence_code}/"))
    expect(page.locator("[data-current=yes]")).to_be_visible()
    shot(page, "public-licence")


def test_filer_fills_basic_info_and_admin_opens_template_and_statistics(browser_page, sealed_licence, orgs):
    from apps.licences.tests.test_management import FILING_PERMS, TEMPLATE_PERMS

    admin, _, licence = sealed_licence
    grant(admin, *FILING_PERMS, *TEMPLATE_PERMS)
    page = browser_page
    log_in(page, admin.username)
    page.goto(page.url_for("/portal/licences/filings/new/"))
    page.get_by_label("证照名称").fill("食品经营许可证")
    page.get_by_label("证照类型").fill("许可证")
    page.get_by_label("事项名称").fill("食品经营许可")
    page.get_by_label("盖章方式").select_option("centralised")
    page.get_by_label("印章来源").select_option("provincial")
    shot(page, "filing-form")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("[data-status=submitted]").first).to_be_visible()
    shot(page, "filing-submitted")
    page.goto(page.url_for(f"/portal/licences/templates/{licence.template_id}/"))
    expect(page.get_by_role("heading", name="照面参数")).to_be_visible()
    shot(page, "template-detail")
    page.goto(page.url_for("/portal/licences/statistics/?by=source"))
    expect(page.locator("#stats")).to_contain_text(orgs["harbin_dept"].name)
    shot(page, "statistics")


def test_sharing_admin_runs_aggregation_and_reads_statistics(browser_page, orgs):
    from apps.core.adapters.simulators import SimulatorServer
    from apps.identity.tests.factories import StaffFactory
    from apps.licences.peers.city import CityLicencePlatformSimulator
    from apps.licences.services.sharing import interface_route_save

    from .test_aggregation_proxy import row
    from .test_sharing import SHARE_PERMS
    from .test_sharing_pages import VIEW

    admin = grant(StaffFactory(username="share_browser", organisation=orgs["province"]), *SHARE_PERMS, *VIEW)
    admin.set_password(PASSWORD)
    admin.save()
    city = CityLicencePlatformSimulator(token="t")
    city.frontend = [row(1), row(2, access_url="bad")]
    with SimulatorServer(city) as server:
        interface_route_save(actor=admin, code="hrb", name="哈尔滨市电子证照库", entry_address="/share/hrb/",
                             data_source=orgs["harbin_dept"], access_address=server.url, access_token="t",
                             organisation=orgs["province"])
        page = browser_page
        log_in(page, admin.username)
        page.goto(page.url_for("/portal/licences/sharing/routes/"))
        shot(page, "sharing-routes")
        page.get_by_role("button", name="立即汇聚").click()
        expect(page.get_by_text("质检不通过 1")).to_be_visible()
        shot(page, "aggregated-catalogue")
    page.goto(page.url_for("/portal/licences/sharing/statistics/"))
    expect(page.locator("#shared-stats tbody tr")).to_have_count(1)
    shot(page, "shared-statistics")


def test_admin_signs_a_file_reads_it_and_manages_certificates(browser_page, sealed_licence, tmp_path):
    """Server-side signing page (LIC-9.2) → reader with signature panel (LIC-3.1); certificates and makers."""
    from apps.licences.tests.factories import grant as add_perms
    from apps.licences.tests.test_ofd_write_sign import licence_face

    admin, seal, licence = sealed_licence
    add_perms(admin, "view_signingcertificate", "view_sealmaker", "view_sealissuer", "add_sealissuer")
    page = browser_page
    log_in(page, admin.username)
    page.goto(page.url_for("/portal/licences/signing/sign/"))
    source = tmp_path / "合同.ofd"
    source.write_bytes(licence_face())
    page.get_by_label("OFD 文件").set_input_files(str(source))
    shot(page, "document-sign")
    with page.expect_download() as download:
        page.get_by_role("button", name="签章并下载").click()
    signed = tmp_path / "signed.ofd"
    download.value.save_as(str(signed))
    page.goto(page.url_for("/licences/reader/"))
    page.get_by_label("OFD 文件").set_input_files(str(signed))
    page.get_by_role("button", name="打开").click()
    expect(page.get_by_test_id("page-indicator")).to_have_text("第 1 / 1 页")
    expect(page.locator("[data-verdict=valid]").first).to_be_visible()
    page.wait_for_function("document.querySelector('figure img').complete"
                           " && document.querySelector('figure img').naturalWidth > 500", timeout=30000)
    shot(page, "reader")
    page.goto(page.url_for("/portal/licences/certificates/"))
    expect(page.get_by_text("电子证照签章服务器证书").first).to_be_visible()
    shot(page, "certificates")
    page.goto(page.url_for("/portal/licences/seals/makers/"))
    expect(page.get_by_role("button", name="从省电子印章平台同步")).to_be_visible()
    shot(page, "makers")
    page.goto(page.url_for("/portal/licences/seals/issuers/"))
    shot(page, "issuers")


def test_staff_opens_licence_detail_previews_and_downloads(browser_page, sealed_licence, tmp_path):
    """Licence detail → preview in the reader → back → OFD, signed PDF and offline bundle downloads; the
    visible content is the licence's, the downloaded files are what they claim; phone width stays usable."""
    import zipfile

    from apps.licences.ofd.verify import verify_ofd
    from apps.licences.services.pdf_signing import pdf_verify

    admin, seal, licence = sealed_licence
    page = browser_page
    log_in(page, admin.username)
    page.goto(page.url_for("/portal/licences/"))
    expect(page.get_by_role("link", name=licence.name)).to_be_visible()
    shot(page, "licence-list")
    page.get_by_role("link", name=licence.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(licence.licence_number)
    expect(page.get_by_text("哈尔滨冰城餐饮1有限公司（法人）")).to_be_visible()
    expect(page.get_by_text("哈尔滨市道里区中央大街1号")).to_be_visible()
    expect(page.get_by_role("heading", name="签章文件下载")).to_be_visible()
    shot(page, "licence-detail-files")
    detail_url = page.url

    page.get_by_role("link", name="在线阅读").click()
    expect(page.get_by_test_id("page-indicator")).to_have_text("第 1 / 1 页")
    expect(page.locator("[data-verdict=valid]").first).to_contain_text(seal.name)
    page.wait_for_function("document.querySelector('figure img').complete"
                           " && document.querySelector('figure img').naturalWidth > 500", timeout=30000)
    shot(page, "licence-preview")

    page.goto(detail_url)
    with page.expect_download() as ofd_download:
        page.locator(".page-head").get_by_role("link", name="下载 OFD").click()
    ofd = tmp_path / "licence.ofd"
    ofd_download.value.save_as(str(ofd))
    assert verify_ofd(ofd.read_bytes()).verdict == "valid"
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="下载签章 PDF").click()
    pdf = tmp_path / "signed.pdf"
    pdf_download.value.save_as(str(pdf))
    assert pdf_verify(pdf.read_bytes())[0].verdict == "valid"
    with page.expect_download() as bundle_download:
        page.get_by_role("link", name="下载离线核验包").click()
    bundle = tmp_path / "bundle.zip"
    bundle_download.value.save_as(str(bundle))
    assert zipfile.ZipFile(bundle).read("licence.ofd") == ofd.read_bytes()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(detail_url)
    expect(page.get_by_role("button", name="下载签章 PDF")).to_be_visible()
    offenders = page.evaluate("""() => {
        const width = document.documentElement.clientWidth, out = [];
        for (const el of document.querySelectorAll('#main *')) {
            if (el.closest('.table-wrap')) continue;            // tables scroll inside their own box
            const r = el.getBoundingClientRect();
            if (r.width && r.right > width + 1) out.push(`${el.tagName}.${el.className} ${Math.round(r.right)}`);
        }
        return out;
    }""")
    assert offenders == [], f"content wider than the phone screen: {offenders[:8]}"
    shot(page, "licence-detail-mobile")


def test_generation_channel_pages_in_the_browser(browser_page, channel, monkeypatch):  # noqa: F811
    """Sharing administrator opens the channel list and detail (counts, pending, failures) and retries."""
    from apps.licences import tasks
    from apps.licences.services.external_generation import licence_generate_external
    from apps.licences.services.seals import seal_transition
    from apps.licences.services.sharing import application_token_issue

    from .test_external_generation import BODY
    from .test_sharing import SHARE_PERMS

    monkeypatch.setattr(tasks.seal_generated, "delay", lambda *args: None)
    token, _ = application_token_issue(name="省市场监管局许可系统", password="gen-pass-123", ip=None)
    licence = licence_generate_external(token=token, payload=BODY)
    admin = channel["seal"].grants.first().granted_by
    seal_transition(actor=admin, seal=channel["seal"], action="freeze", comment="核查")
    tasks.seal_generated(licence.pk, channel["app"].generation_channel.pk)
    seal_transition(actor=admin, seal=channel["seal"], action="unfreeze", comment="核查完毕")
    viewer = grant(admin, *SHARE_PERMS, "view_sharingapplication", "view_licence", "view_sharinglog")
    page = browser_page
    log_in(page, viewer.username)
    page.goto(page.url_for("/portal/licences/generation/"))
    shot(page, "generation-channels")
    page.get_by_role("link", name="省市场监管局许可系统").click()
    expect(page.locator("[data-stat=pending]")).to_have_text("1")
    expect(page.locator("#failures")).to_contain_text("盖章失败")
    shot(page, "generation-channel-detail")
    page.get_by_role("button", name="重新盖章").click()
    expect(page.get_by_text("盖章成功 1 个")).to_be_visible()
    expect(page.locator("[data-stat=pending]")).to_have_text("0")
    shot(page, "generation-channel-retried")
