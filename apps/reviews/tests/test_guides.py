"""Service-guide evaluation through the matter-library adapter (REV-14.2, 15.3, 21.1, 23.2.1)
and the evaluation QR codes of items, windows and staff (REV-1.6, 16.3; the staff-to-window
assignment rules of REV-1.4 are acceptance's)."""
import pytest
from django.test import Client
from django.urls import reverse

from apps.matters.models import ApplicationMaterial
from apps.reviews import rankings
from apps.reviews.models import Evaluation
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import handler

pytestmark = pytest.mark.django_db


def login(user):
    http = Client()
    http.force_login(user)
    return http


@pytest.fixture
def person(citizen):
    citizen.real_name_level = 2
    citizen.save()
    return citizen


@pytest.mark.spec("REV-15.3", "REV-14.2", "REV-21.1", "REV-23.2.1")
def test_citizen_rates_a_guide_with_impressions(world, person):
    ApplicationMaterial.objects.create(implementation_item=world.item, name="食品经营许可申请书", order=1)
    url = reverse("reviews-public:guide-evaluate", args=[world.item.implementation_code])
    http = login(person)
    page = http.get(url).content.decode()
    assert "食品经营许可申请书" in page and "清晰度" in page and "合理性" in page
    bad = http.post(url, {"level": "2", "impression_clarity": "很好"})
    assert bad.status_code == 400 and "好、中或差" in bad.content.decode() and not Evaluation.objects.exists()
    assert http.post(url, {"level": "5"}).status_code == 400 and not Evaluation.objects.exists()  # tags needed
    response = http.post(url + "?via=qr", {"level": "2", "impression_clarity": "好", "impression_accuracy": "中",
                                           "comment": "指南清楚"})
    assert response.status_code == 302
    e = Evaluation.objects.get()
    assert (e.object_kind, e.channel, e.matter, e.evaluator) == ("service_guide", "qr", world.item, person)
    assert e.indicators == ["清晰度:好", "准确性:中"]
    aggregate_pending()
    guides = rankings.rank(rankings.RankingFilter(object_kinds=("service_guide",)), by="matter")
    assert [(r["id"], r["total"]) for r in guides] == [(world.item.pk, 1)]
    world.item.status = "draft"
    world.item.save(update_fields=["status"])
    assert http.get(url).status_code == 404  # only published guides, through the item library
    assert Client().get(url).status_code == 302


@pytest.mark.spec("REV-1.6", "REV-16.3")
def test_evaluation_qr_codes_for_items_windows_and_staff(world, orgs, staff):
    manager = handler(world.org, "qr_manager")
    http = login(manager)
    item = http.get(reverse("reviews:qr-image", args=["item", world.item.pk]))
    assert item.status_code == 200 and item.content[:8] == b"\x89PNG\r\n\x1a\n"
    target = item["X-Evaluation-Url"]
    assert target.endswith(reverse("reviews-public:guide-evaluate", args=[world.item.implementation_code]) + "?via=qr")
    window = http.get(reverse("reviews:qr-image", args=["window", world.window.pk]))
    assert window["X-Evaluation-Url"].endswith(f"/reviews/qr/window/{world.hall.qr_token}.{world.window.window_number}/")
    person = http.get(reverse("reviews:qr-image", args=["staff", world.staff.pk]))
    assert person["X-Evaluation-Url"].endswith(f"/reviews/qr/staff/{world.staff.qr_token}/")
    # the staff QR opens the staff evaluation page
    citizen_page = Client()
    assert citizen_page.get(person["X-Evaluation-Url"]).status_code == 302  # login first
    outsider = login(handler(orgs["qiqihar"], "qr_outsider"))
    assert outsider.get(reverse("reviews:qr-image", args=["window", world.window.pk])).status_code == 404
    assert login(staff["harbin_dept"]).get(reverse("reviews:qr-image", args=["hall", world.hall.pk])).status_code == 403
    assert http.get(reverse("reviews:qr-image", args=["nope", 1])).status_code == 404
