"""Browser journeys of acceptance: a citizen books a slot; a window calls, the display updates live."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.acceptance.models import Appointment
from apps.acceptance.tests import factories as f

pytestmark = pytest.mark.browser
PASSWORD = "Passw0rd!2026"
SHOTS = Path("/tmp/acc_shots")


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def next_weekday():
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.mark.spec("ACC-1.2")
def test_citizen_books_a_period_and_sees_it_in_my_appointments(browser_page, hall, citizens):
    page = browser_page
    citizen = citizens[0]
    citizen.full_name, citizen.mobile_number, citizen.id_number = "王五", "13912345678", f.id_number(9)
    citizen.save()
    food = f.bookable(hall)
    f.slot(food, next_weekday(), capacity=2)
    page.goto(page.url_for("/login/"))
    page.get_by_label("用户名").fill(citizen.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(page.url_for(f"/acceptance/halls/{hall.pk}/"))
    slots = page.get_by_test_id("slots")
    expect(slots).to_contain_text("0/2")
    shot(page, "public-hall")
    slots.get_by_role("link", name="预约").first.click()
    expect(page.get_by_label("预约人姓名")).to_have_value("王五")
    shot(page, "public-book")
    page.get_by_role("button", name="提交预约").click()
    number = Appointment.objects.get().appointment_number
    expect(page.get_by_test_id("appointment-number")).to_have_text(number)
    shot(page, "public-appointment")
    page.goto(page.url_for(f"/acceptance/halls/{hall.pk}/"))
    expect(page.get_by_test_id("slots")).to_contain_text("1/2")


def test_window_calls_and_the_waiting_room_display_updates(browser_page, hall, hall_admin):
    from apps.acceptance.services.queue import ticket_call_next, ticket_take

    page = browser_page
    window = f.window(hall, "5")
    ticket_take(hall=hall)
    ticket_take(hall=hall)
    page.goto(page.url_for(f"/acceptance/halls/{hall.pk}/display/"))
    expect(page.locator("#calls")).to_contain_text("暂无叫号")
    ticket_call_next(window=window, actor=hall_admin)
    expect(page.locator("#calls tr.latest")).to_contain_text("A001", timeout=10_000)
    expect(page.locator("#waiting")).to_have_text("1")
    shot(page, "display")
    hall_admin.set_password(PASSWORD)
    hall_admin.save()
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(hall_admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(page.url_for(f"/portal/acceptance/halls/{hall.pk}/queue/?window={window.pk}"))
    expect(page.get_by_test_id("current-number")).to_have_text("A001")
    page.get_by_role("button", name="叫下一位").click()
    expect(page.get_by_test_id("current-number")).to_have_text("A002")
    shot(page, "queue-console")
    page.goto(page.url_for(f"/portal/acceptance/halls/{hall.pk}/"))
    shot(page, "hall-detail")


def test_statistics_charts_render(browser_page, hall, hall_admin, citizens):
    from apps.acceptance.services.booking import appointment_book

    food = f.bookable(hall)
    appointment_book(slot=f.slot(food, next_weekday(), capacity=5), actor=citizens[0], **f.booker(1), notify=False)
    page = browser_page
    hall_admin.set_password(PASSWORD)
    hall_admin.save()
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(hall_admin.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(page.url_for("/portal/acceptance/statistics/"))
    expect(page.locator("#acc-trend canvas")).to_have_count(1)
    expect(page.locator("#acc-halls canvas")).to_have_count(1)
    expect(page.get_by_test_id("by-hall")).to_contain_text(hall.name)
    shot(page, "statistics")


@pytest.mark.spec("ACC-7.1")
def test_window_clerk_accepts_an_online_application_in_the_browser(browser_page, orgs):
    from apps.acceptance.services.onewindow import case_apply_online
    from apps.identity.models import UserKind
    from apps.identity.tests.factories import UserFactory

    item, _situation = f.with_materials(f.matter(orgs["harbin_dept"]))
    applicant = UserFactory(username="online_applicant", kind=UserKind.NATURAL_PERSON)
    required = item.materials.get(name="申请书")
    case = case_apply_online(item=item, actor=applicant, applicant_name="赵六", applicant_id_number=f.id_number(6),
                             files={str(required.pk): f.upload()})
    clerk = f.clerk(orgs["harbin_dept"])
    clerk.set_password(PASSWORD)
    clerk.save()
    page = browser_page
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(clerk.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(page.url_for("/portal/acceptance/cases/?status=pending_pre_review"))
    page.get_by_role("link", name=case.case_number).click()
    pre_review = page.get_by_test_id("pre-review")
    pre_review.get_by_label("预审通过").check()
    pre_review.get_by_label("意见说明").fill("材料齐全，同意受理")
    pre_review.get_by_role("button", name="提交预审意见").click()
    expect(page.get_by_test_id("case-status")).to_have_text("预审通过")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("case-status")).to_have_text("已受理")
    expect(page.get_by_test_id("case-classification")).to_have_text("网上预申办")
    classify = page.get_by_test_id("classify")
    classify.get_by_label("申办件分类").select_option("fast_material")
    classify.get_by_role("button", name="修改分类").click()
    expect(page.get_by_test_id("case-classification")).to_have_text("材料快速审批")
    shot(page, "case_detail")
    # 草稿箱: an intake put aside, found in the drafts box, continued
    page.goto(page.url_for(f"/portal/acceptance/cases/intake/?item={item.pk}"))
    page.get_by_label("申请人", exact=True).fill("钱七")
    page.get_by_role("button", name="暂存草稿").click()
    drafts = page.get_by_test_id("drafts")
    expect(drafts).to_contain_text("钱七")
    shot(page, "drafts")
    drafts.get_by_role("link", name="继续办理").click()
    expect(page.get_by_label("申请人", exact=True)).to_have_value("钱七")
    expect(page.get_by_test_id("draft-note")).to_be_visible()


def test_case_statistics_configuration_and_consultation_pages(browser_page, hall, orgs):
    """A supervisor opens the business statistics (charts drawn), a configuration list and the
    consultation register; a citizen asks the hall's robot."""
    from apps.acceptance.services.cases import case_accept, case_register
    from apps.acceptance.tests.test_config import CONFIG_MODELS
    from apps.identity.tests.factories import StaffFactory

    clerk = f.dispatch_admin(orgs["harbin_dept"], "stats_clerk")
    case_accept(case=case_register(item=f.matter(orgs["harbin_dept"]), applicant_name="张三",
                                   applicant_id_number=f.id_number(1), actor=clerk), actor=clerk)
    viewer = f.grant(StaffFactory(username="stats_viewer", organisation=orgs["harbin"]), "view_case",
                     "view_consultation", "add_consultation",
                     *[f"{a}_{m}" for m in CONFIG_MODELS for a in ("view", "add", "change")])
    viewer.set_password(PASSWORD)
    viewer.save()
    page = browser_page
    page.goto(page.url_for(f"/acceptance/halls/{hall.pk}/consult/"))
    page.get_by_label("您的问题").fill("外籍人员子女入学怎么办理")
    page.get_by_role("button", name="提问").click()
    expect(page.get_by_test_id("robot-pending")).to_be_visible()
    shot(page, "consult")
    page.goto(page.url_for("/portal/login/"))
    page.get_by_label("用户名").fill(viewer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(page.url_for("/portal/acceptance/case-statistics/"))
    expect(page.locator("#acc-case-trend canvas")).to_have_count(1)
    expect(page.locator("#acc-case-by canvas")).to_have_count(1)
    expect(page.get_by_test_id("report-dispatch")).to_contain_text("哈尔滨市")
    shot(page, "case-statistics")
    page.goto(page.url_for("/portal/acceptance/config/"))
    page.get_by_test_id("config-devices").click()
    page.get_by_role("link", name="新增").click()
    page.get_by_label("设备名称").fill("一号取号机")
    page.get_by_label("设备编码").fill("QH-001")
    page.get_by_label("设备类型").select_option("queue_machine")
    page.get_by_label("所属区划").select_option("230100000000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("config-table")).to_contain_text("QH-001")
    shot(page, "config-devices")
    page.goto(page.url_for("/portal/acceptance/consultations/"))
    expect(page.get_by_role("cell", name="外籍人员子女入学怎么办理").first).to_be_visible()
    shot(page, "consultations")
