"""Citizen intake pages, portal pages and the public column (REV-12, 13, 16, 18, 20, PORTAL-2)."""
import re

import pytest
from django.test import Client
from django.urls import reverse

from apps.reviews.models import BadReviewDisposal, Evaluation, EvaluationChannel
from apps.reviews.services.intake import dynamic_qr_token
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import evaluate, handler

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(citizen):
    citizen.real_name_level = 2
    citizen.save()
    return citizen


def login(user):
    http = Client()
    http.force_login(user)
    return http


@pytest.mark.spec("REV-16.4", "REV-16.6", "REV-23.10", "REV-23.10.2", "REV-16.2")
def test_dynamic_qr_opens_the_case_and_expired_code_is_refused(world, person):
    case = world.case(applicant=person)
    http = login(person)
    url = reverse("reviews-public:dynamic-qr", args=[dynamic_qr_token(case=case)])
    page = http.get(url)
    assert page.status_code == 200 and world.item.name in page.content.decode()
    assert 'name="case_number"' not in page.content.decode()
    assert http.post(url, {"level": "1"}).status_code == 302
    assert Evaluation.objects.get().channel == EvaluationChannel.QR
    other = world.case(2, applicant=person)
    expired = reverse("reviews-public:dynamic-qr", args=[dynamic_qr_token(case=other, hours=-1)])
    response = http.post(expired, {"level": "1"})
    assert response.status_code == 410 and "二维码已过期" in response.content.decode()
    forged = http.get(reverse("reviews-public:dynamic-qr", args=["abc.def"]))
    assert forged.status_code == 410
    assert Evaluation.objects.count() == 1
    assert Client().get(url).status_code == 302  # anonymous → login


@pytest.mark.spec("REV-16.5", "REV-1.7", "REV-16.1")
def test_static_staff_qr_evaluates_staff_or_a_case_by_number(world, person):
    case = world.case(applicant=person)
    http = login(person)
    url = reverse("reviews-public:static-qr", args=["staff", world.staff.qr_token])
    assert 'name="case_number"' in http.get(url).content.decode()
    assert http.post(url, {"level": "2", "case_number": case.case_number}).status_code == 302
    assert Evaluation.objects.get().case == case
    response = http.post(url, {"level": "2", "case_number": "NOPE"})
    assert response.status_code == 400 and Evaluation.objects.count() == 1
    assert http.post(url, {"level": "1"}).status_code == 302
    assert Evaluation.objects.filter(object_kind="staff", staff=world.staff).count() == 1


@pytest.mark.spec("REV-14.3")
def test_real_name_level_required(world, citizen):
    case = world.case(applicant=citizen)
    response = login(citizen).get(reverse("reviews-public:evaluate-case", args=[case.case_number]))
    assert response.status_code == 403


@pytest.mark.spec("REV-18.3", "REV-18.4")
def test_sms_link_after_login_shows_the_case_without_number(world, person, sms_simulator):
    from datetime import timedelta

    from django.utils import timezone

    from apps.reviews.models import EvaluationReminder
    from apps.reviews.services.intake import reminders_send

    case = world.case(applicant=person)
    type(case).objects.filter(pk=case.pk).update(concluded_at=timezone.now() - timedelta(days=5))
    reminders_send()
    url = reverse("reviews-public:sms", args=[EvaluationReminder.objects.get().token])
    assert Client().get(url).status_code == 302
    page = login(person).get(url)
    assert page.status_code == 200 and 'name="case_number"' not in page.content.decode()
    assert login(person).post(url, {"level": "4", "tags": ["办理时间长"]}).status_code == 302
    assert Evaluation.objects.get().channel == "sms"


@pytest.mark.spec("REV-20.3.1", "REV-20.6", "REV-20.7", "REV-14.1")
def test_website_lookup_and_personal_centre(world, person):
    case = world.case(applicant=person)
    http = login(person)
    found = Client().get(reverse("reviews-public:lookup"), {"case_number": case.case_number, "name": case.applicant_name})
    assert 'data-testid="evaluate-button"' in found.content.decode()
    assert case.case_number in http.get(reverse("reviews-public:mine")).content.decode()
    response = http.post(reverse("reviews-public:evaluate-case", args=[case.case_number]),
                         {"level": "5", "comment": "等了很久"})
    assert response.status_code == 400 and "标签" in response.content.decode()
    http.post(reverse("reviews-public:evaluate-case", args=[case.case_number]), {"level": "1", "is_anonymous": "1"})
    again = Client().get(reverse("reviews-public:lookup"), {"case_number": case.case_number, "name": case.applicant_name})
    assert 'data-testid="evaluate-button"' not in again.content.decode()
    assert Evaluation.objects.get().is_anonymous


def test_hall_pad_rates_latest_case_at_the_window(world, person):
    case = world.case(applicant=person)
    device = handler(world.org, "pad_device")
    http = login(device)
    url = reverse("reviews-public:pad", args=[world.window.pk])
    assert case.item.name in http.get(url).content.decode()
    assert http.post(url, {"level": "1"}).status_code == 302
    assert Evaluation.objects.get().channel == "hall" and Evaluation.objects.get().case == case
    assert login(person).get(url).status_code == 403


@pytest.mark.spec("REV-12.1", "REV-12.2", "REV-12.3", "REV-12.5", "REV-12.6", "REV-12.8", "REV-12.9", "REV-12.10",
                  "REV-13.2.2", "REV-13.2.3", "REV-13.2.4", "REV-12.12", "REV-12.13")
def test_public_column_with_region_switch(world, regions):
    evaluate(world.case(1), level=1)
    evaluate(world.case(2), level=4)
    aggregate_pending()
    http = Client()
    page = http.get(reverse("reviews-public:overview")).content.decode()
    for text in ("评价量", "好评率", "整改率", "服务热线", "短信", "echarts.min.js", "哈尔滨市", "食品经营许可", "李四"):
        assert text in page
    city = http.get(reverse("reviews-public:overview"), {"region": "230200000000"}).content.decode()
    assert "齐齐哈尔市" in city and "食品经营许可" not in city
    assert http.get(reverse("reviews-public:help")).status_code == 200


@pytest.mark.spec("REV-6.6", "REV-6.7", "REV-6.8", "REV-6.9", "REV-20.4")
def test_star_rankings_page_and_levels_of_detail(world, staff):
    evaluate(world.case(1), level=1)
    aggregate_pending()
    http = Client()
    for kind in ("halls", "windows", "departments", "staff"):
        assert http.get(reverse("reviews-public:ranking", args=[kind])).status_code == 200
    detail = reverse("reviews-public:ranking-detail", args=["hall", world.hall.pk])
    assert 'data-testid="level3"' not in http.get(detail).content.decode()
    assert 'data-testid="level3"' in login(staff["harbin"]).get(detail).content.decode()


@pytest.mark.spec("REV-5.1", "REV-5.2", "REV-5.3", "REV-5.4", "REV-5.5", "REV-11.5.1", "PORTAL-2.5")
def test_statistics_scope_and_drill_down(world, orgs, staff):
    evaluate(world.case(1), level=1)
    aggregate_pending()
    province = handler(orgs["province"], "prov_stats")
    page = login(province).get(reverse("reviews:statistics")).content.decode()
    assert "哈尔滨市" in page and 'dimension=region&region=230100000000' in page
    for dimension in ("hall", "window", "staff", "matter", "organisation"):
        body = login(province).get(reverse("reviews:statistics"), {"dimension": dimension}).content.decode()
        assert "暂无数据" not in body
    qq = handler(orgs["qiqihar"], "qq_stats")
    assert "暂无数据" in login(qq).get(reverse("reviews:statistics"), {"dimension": "hall"}).content.decode()
    assert login(staff["harbin"]).get(reverse("reviews:statistics")).status_code == 403
    assert Client().get(reverse("reviews:statistics")).status_code == 302


@pytest.mark.spec("PORTAL-2.1", "PORTAL-2.2")
def test_portal_lists_by_scope_and_filters(world, orgs, citizen):
    e = evaluate(world.case(1), level=4)
    evaluate(world.case(2), level=1)
    harbin = handler(orgs["harbin"], "h_list")
    page = login(harbin).get(reverse("reviews:evaluation-list"), {"level": 4, "title": "食品"}).content.decode()
    # one evaluation listed (counted by number: the page's CSRF token may contain the letters "PJ")
    assert e.evaluation_number in page and len(re.findall(r"PJ\d{8}[0-9A-F]{12}", page)) == 1
    assert e.evaluation_number not in login(handler(orgs["qiqihar"], "q_list")).get(
        reverse("reviews:evaluation-list")).content.decode()
    assert login(citizen).get(reverse("reviews:evaluation-list")).status_code == 403
    d = BadReviewDisposal.objects.get(evaluation=e)
    http = login(harbin)
    assert http.get(reverse("reviews:disposal-detail", args=[d.pk])).status_code == 200
    http.post(reverse("reviews:disposal-detail", args=[d.pk]), {"action": "accept"})
    d.refresh_from_db()
    assert d.status == "accepted"
    xlsx = http.get(reverse("reviews:disposal-list"), {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    pdf = http.get(reverse("reviews:disposal-notice", args=[d.pk]))
    assert pdf.content[:4] == b"%PDF"
