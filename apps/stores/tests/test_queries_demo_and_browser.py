"""The query zone as the demo shows it: the simulator seeded the way `make run` seeds it answers every
service for the demo accounts, and a citizen finds and runs a query in headless Chromium."""
import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from rest_framework.test import APIClient

from apps.core.adapters.simulators import SimulatorServer
from apps.identity.tests.conftest import PASSWORD
from apps.stores.adapters.query_source import QuerySourceSimulator
from apps.stores.adapters.query_source_demo import demo_records
from apps.stores.queries_catalogue import SERVICES, Access, Mode
from apps.stores.tests.queries_support import (  # noqa: F401 - fixtures
    CREDIT_CODE,
    VALID_INPUT,
    enterprise,
    fresh_cache,
    load,
    person,
    query_source,
)
from tests.conftest import browser_page, playwright_driver, save_screenshot  # noqa: F401


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
@pytest.mark.spec(*[f"STORE-3.{n}" for n in range(1, 96) if n not in (5, 6, 15, 85, 92)])   # the ones it checks
def test_the_demo_registers_answer_every_service_for_the_demo_accounts(settings):
    settings.STORES_QUERY_RATE_PER_MINUTE = 1000
    citizen, company = person(1), enterprise()
    simulator = QuerySourceSimulator()
    for code, records in demo_records([(citizen.id_number, citizen.full_name)],
                                      [(CREDIT_CODE, company.full_name)]).items():
        simulator.add_records(code, records)
    with SimulatorServer(simulator) as server:
        settings.STORES_QUERY_SOURCE_URL = server.url
        for service in SERVICES:
            if service.mode == Mode.LOCAL or service.about_others:
                continue
            api = APIClient()
            user = {Access.PERSON: citizen, Access.ENTERPRISE: company}.get(service.access)
            if user:
                api.force_login(user)
            params = {f.code: VALID_INPUT[f.code] for f in service.inputs if f.required or f.code == "city"}
            body = api.post(f"/api/v1/stores/queries/{service.code}/", {"params": params}, format="json").json()
            if service.mode == Mode.VERIFY:
                continue
            assert body["total"] >= 1, (service.spec_id, params, body)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_cache")
@pytest.mark.spec("STORE-3.94", "STORE-3.25")
def test_a_citizen_finds_a_query_signs_in_and_sees_their_masked_account(browser_page, query_source):  # noqa: F811
    citizen = person(1)
    citizen.username = "query_citizen"
    citizen.set_password(PASSWORD)
    citizen.save()
    load(query_source, "provident-account", [{
        "id_number": citizen.id_number, "name": "张三", "account": "1002003004005006", "employer": "哈尔滨冰城科技有限公司",
        "balance": "12680.50", "monthly": "1320.00", "paid_until": "2026-10", "status": "正常"}])
    load(query_source, "enterprise-basic", [{"credit_code": CREDIT_CODE, "entity_name": "哈尔滨冰城科技有限公司",
                                             "status": "存续", "representative": "王**"}])
    page = browser_page
    page.goto(page.url_for("/stores/queries/"))
    expect(page.get_by_test_id("query-card")).to_have_count(95)
    save_screenshot(page, "stores-query-zone")
    page.get_by_label("搜索查询服务").fill("公积金账户")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_test_id("query-card")).to_have_count(1)
    page.get_by_test_id("query-card").click()
    expect(page.get_by_test_id("query-refused")).to_contain_text("请先登录")
    page.get_by_role("link", name="登录后查询").click()
    page.get_by_label("用户名").fill("query_citizen")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/stores/queries/provident-account/")
    expect(page.get_by_test_id("query-self")).to_contain_text("张三")
    page.get_by_role("button", name="查询").click()
    answer = page.get_by_test_id("query-answer")
    expect(answer).to_contain_text("12680.50")
    expect(answer).to_contain_text("1002********5006")
    assert "1002003004005006" not in page.content()
    save_screenshot(page, "stores-query-provident-account")
    page.goto(page.url_for("/stores/queries/enterprise-basic/"))
    page.get_by_label("统一社会信用代码").fill("91230100MA1B2C3D40")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".query-form .error")).to_contain_text("校验")
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("query-answer")).to_contain_text("存续")
    save_screenshot(page, "stores-query-enterprise")


def test_the_simulator_command_is_installed():
    with pytest.raises(SystemExit):
        call_command("run_store_query_source_simulator", "--help")
