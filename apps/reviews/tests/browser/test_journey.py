"""Headless Chromium: the public column draws its charts; the evaluation page shows the tags of
the chosen level only, none preselected, and a bad level without a tag is refused."""
import pytest
from django.test import Client

from apps.reviews.models import Evaluation
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import evaluate
from tests.conftest import save_screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _login_cookie(page, user, live_server):
    http = Client()
    http.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": http.cookies["sessionid"].value,
                               "url": live_server.url}])


@pytest.mark.spec("REV-14.4", "REV-17.2.2", "REV-13.2.2", "REV-13.2.3", "REV-13.2.4")
def test_column_charts_and_evaluation_page(browser_page, live_server, world, citizen):
    evaluate(world.case(9), level=1)
    aggregate_pending()
    page = browser_page
    page.goto(page.url_for("/reviews/"))
    page.wait_for_function("document.querySelectorAll('#rev-levels canvas, #rev-levels svg').length > 0")
    page.wait_for_function("document.querySelectorAll('#rev-channels canvas, #rev-objects canvas').length == 2")
    save_screenshot(page, "reviews-overview")
    citizen.real_name_level = 2
    citizen.save()
    case = world.case(10, applicant=citizen)
    _login_cookie(page, citizen, live_server)
    page.goto(page.url_for(f"/reviews/evaluate/{case.case_number}/"))
    assert page.locator(".rev-tags:visible").count() == 0
    assert page.locator("input[name=tags]:checked").count() == 0
    page.check("input[name=level][value='4']")
    visible = page.locator(".rev-tags:visible input[name=tags]")
    assert visible.count() == 4
    page.click("button[type=submit]")
    assert "至少选择一个" in page.locator("[data-testid=error]").inner_text()
    page.check("input[name=level][value='4']")
    page.check(".rev-tags:visible input[value='办理时间长']")
    save_screenshot(page, "reviews-evaluate")
    page.click("button[type=submit]")
    page.wait_for_url("**/reviews/mine/")
    assert Evaluation.objects.get(case=case).tags == ["办理时间长"]
