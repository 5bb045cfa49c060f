"""Statistics (APP-6.1, APP-3.8) and the interface operation log (APP-3.9)."""
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.mobile.models import InterfaceCategory, InterfaceLog
from apps.mobile.services import apps as app_services
from apps.mobile.services import interfaces as svc
from apps.mobile.tests.conftest import approved_app, gateway_call, published_resource

pytestmark = pytest.mark.django_db


def chart(page: str, script_id: str) -> dict:
    start = page.index(f'id="{script_id}"')
    start = page.index(">", start) + 1
    return json.loads(page[start:page.index("</script>", start)])


@pytest.fixture
def traffic(client, units, media, upstream, app_site):
    resource = published_resource(units, "hrb-stat", upstream.url)
    app, key = approved_app(units, "hrb.stat", app_site.url)
    approved_app(units, "qqhr.stat", app_site.url, owner="qiqihar")
    subscription = svc.subscription_request(actor=units["harbin"], resource=resource)
    svc.subscription_review(actor=units["admin"], subscription=subscription, approve=True)
    app_services.app_bind_interface(actor=units["harbin"], app=app, resource=resource)
    for _ in range(3):
        assert gateway_call(client, app, key, resource.code, "x")[0].status_code == 200
    upstream.control(down=True)
    assert gateway_call(client, app, key, resource.code, "x")[0].status_code == 502
    for _ in range(2):
        assert client.post(f"/api/v1/mobile/apps/{app.identifier}/open/").status_code == 204
    return resource, app


@pytest.mark.spec("APP-6.1")
def test_statistics_page_counts_organisations_apps_and_visits(client, units, traffic, django_assert_max_num_queries):
    client.force_login(units["admin"])
    client.get(reverse("mobile:statistics"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("mobile:statistics"))
    page = response.content.decode()
    data = response.context["data"]
    assert data["totals"]["organisations"] == 2 and data["totals"]["apps"] == 2
    assert data["ranking"][0]["app__name"] == "社保查询" and data["ranking"][0]["opens"] == 2
    assert data["ranking"][0]["calls"] == 4 and data["totals"]["visits"] == 6
    for label in ("接入单位数", "接入应用数", "地域分布", "应用热度排行", "多端输出情况", "接入排行"):
        assert label in page
    assert chart(page, "ch-channel")["series"][0]["data"] == [2, 2, 2]


@pytest.mark.spec("APP-6.1")
def test_statistics_are_scoped_to_the_region(client, units, traffic, orgs):
    from apps.core.tests.factories import grant
    from apps.identity.tests.factories import StaffFactory

    qiqihar_bureau = grant(StaffFactory(username="qq_bureau", organisation=orgs["qiqihar"]), "mobile.administer_apps")
    client.force_login(qiqihar_bureau)
    data = client.get(reverse("mobile:statistics")).context["data"]
    assert data["totals"]["apps"] == 1 and data["totals"]["visits"] == 0


@pytest.mark.spec("APP-3.8")
def test_operations_dashboard_switches_between_new_requests_and_exceptions(client, units, traffic):
    client.force_login(units["admin"])
    requests_ = chart(client.get(reverse("mobile:operations")).content.decode(), "ch-trend")
    assert len(requests_["xAxis"]["data"]) == 7 and requests_["series"][0]["data"][-1] == 4
    exceptions = chart(client.get(reverse("mobile:operations"), {"dimension": "exceptions"}).content.decode(),
                       "ch-trend")
    assert exceptions["series"][0]["name"] == "接口异常数" and exceptions["series"][0]["data"][-1] == 1
    new = chart(client.get(reverse("mobile:operations"), {"dimension": "new"}).content.decode(), "ch-trend")
    assert new["series"][0]["data"][-1] == 1
    health = chart(client.get(reverse("mobile:operations")).content.decode(), "ch-health")
    assert health["series"][0]["data"][-1] == 75.0


@pytest.mark.spec("APP-3.9")
def test_operation_log_records_modules_and_filters_by_organisation_app_and_theme(client, units, traffic):
    resource, app = traffic
    modules = set(InterfaceLog.objects.values_list("module", flat=True))
    assert {"management", "review", "binding", "application", "configuration"} <= modules
    client.force_login(units["admin"])
    page = client.get(reverse("mobile:logs"), {"app": app.pk}).content.decode()
    assert "绑定接口" in page and "新增接口资源" not in page
    page = client.get(reverse("mobile:logs"), {"organisation": units["qiqihar"].organisation_id}).content.decode()
    assert "hrb-stat" not in page
    page = client.get(reverse("mobile:logs"), {"category": resource.category_id, "module": "review"}).content.decode()
    assert "审核通过" in page


@pytest.mark.spec("APP-6.1")
def test_usage_duration_reported_on_close_gives_the_average_per_opening(client, units, traffic):
    resource, app = traffic
    for seconds in (120, 240):
        assert client.post(f"/api/v1/mobile/apps/{app.identifier}/close/", {"seconds": seconds},
                           content_type="application/json").status_code == 204
    assert client.post(f"/api/v1/mobile/apps/{app.identifier}/close/", {"seconds": -5},
                       content_type="application/json").status_code == 400
    client.force_login(units["admin"])
    data = client.get(reverse("mobile:statistics")).context["data"]
    assert data["ranking"][0]["average_minutes"] == 3.0                 # 360 s over 2 openings


@pytest.mark.spec("APP-3.6")
def test_running_interfaces_page_shows_health_and_traffic_in_scope(client, units, traffic, upstream):
    resource, app = traffic
    upstream.control(down=False)
    published_resource(units, "qqhr-live", upstream.url, owner="qiqihar")
    client.force_login(units["harbin"])
    page = client.get(reverse("mobile:running")).content.decode()
    assert "hrb-stat" in page and "qqhr-live" not in page
    rows = list(client.get(reverse("mobile:running")).context["resources"])
    assert rows[0].week_calls == 4 and rows[0].week_failures == 1


@pytest.mark.spec("APP-5.1")
def test_admins_maintain_app_types_and_statistics_classify_apps_by_type(admin_client, units, media, app_site):
    from apps.mobile.models import AppType, MobileApp

    response = admin_client.post("/admin/mobile/apptype/add/", {"code": "tourism", "name": "文化旅游",
                                                                "sort_order": 9})
    assert response.status_code == 302
    app, _key = approved_app(units, "hrb.tour", app_site.url)
    MobileApp.objects.filter(pk=app.pk).update(app_type=AppType.objects.get(code="tourism"))
    admin_client.force_login(units["admin"])
    by_type = admin_client.get(reverse("mobile:statistics")).context["data"]["by_type"]
    assert by_type == [{"app_type__name": "文化旅游", "n": 1}]


@pytest.mark.spec("APP-3.9", "APP-3.8")
def test_interface_statistics_filter_by_organisation_app_theme_and_time(client, units, traffic):
    resource, app = traffic
    client.force_login(units["admin"])
    url = reverse("mobile:operations")
    assert chart(client.get(url, {"app": app.pk}).content.decode(), "ch-trend")["series"][0]["data"][-1] == 4
    other_org = chart(client.get(url, {"organisation": units["qiqihar"].organisation_id}).content.decode(), "ch-trend")
    assert other_org["series"][0]["data"][-1] == 0
    other_theme = InterfaceCategory.objects.exclude(pk=resource.category_id).first()
    assert chart(client.get(url, {"category": other_theme.pk}).content.decode(), "ch-trend")["empty"] is True
    earlier = (timezone.localdate() - timedelta(days=10)).isoformat()
    past = chart(client.get(url, {"end": earlier}).content.decode(), "ch-trend")
    assert past["empty"] is True and past["xAxis"]["data"][-1] == earlier[5:]


@pytest.mark.spec("APP-6.1")
def test_public_visit_counters_are_throttled_per_address(client, units, media, app_site):
    from apps.mobile.api.views import OPEN_LIMIT_PER_MINUTE
    from apps.mobile.models import AppVisitDay

    app, _key = approved_app(units, "hrb.flood", app_site.url)
    url = f"/api/v1/mobile/apps/{app.identifier}/open/"
    statuses = [client.post(url).status_code for _ in range(OPEN_LIMIT_PER_MINUTE + 1)]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {204}
    assert AppVisitDay.objects.get(app=app).opens == OPEN_LIMIT_PER_MINUTE
