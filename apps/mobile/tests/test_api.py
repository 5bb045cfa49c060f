"""The mobile REST API: resources (APP-3.1), batch review (APP-3.2), apps (APP-4.3)."""
import pytest
from rest_framework.authtoken.models import Token

from apps.mobile.models import InterfaceResource, ResourceStatus
from apps.mobile.services import apps as app_services
from apps.mobile.services import interfaces as svc
from apps.mobile.tests.conftest import app_data, resource_data

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@pytest.mark.spec("APP-3.1")
def test_resource_api_lists_own_and_creates_with_field_errors(client, units, upstream):
    svc.resource_create(actor=units["qiqihar"], data=resource_data("qqhr-api", upstream.url))
    data = {**resource_data("hrb-api", upstream.url), "category": resource_data("x", "")["category"].pk}
    created = client.post("/api/v1/mobile/resources/", data, content_type="application/json", **auth(units["harbin"]))
    assert created.status_code == 201 and created.json()["provider"] == "哈尔滨市市场监督管理局"
    listing = client.get("/api/v1/mobile/resources/", **auth(units["harbin"])).json()
    assert [r["code"] for r in listing["results"]] == ["hrb-api"]
    bad = client.post("/api/v1/mobile/resources/", {**data, "upstream_url": "nope", "code": "x y"},
                      content_type="application/json", **auth(units["harbin"]))
    assert bad.status_code == 400 and InterfaceResource.objects.count() == 2


@pytest.mark.spec("APP-3.2")
def test_review_api_batch_and_reason(client, units, upstream):
    ids = []
    for n in range(3):
        resource = svc.resource_create(actor=units["harbin"], data=resource_data(f"hrb-r{n}", upstream.url))
        svc.resource_test(actor=units["harbin"], resource=resource)
        svc.resource_submit(actor=units["harbin"], resource=resource)
        ids.append(resource.pk)
    refused = client.post("/api/v1/mobile/resources/review/", {"ids": ids, "approve": False},
                          content_type="application/json", **auth(units["admin"]))
    assert refused.status_code == 400
    done = client.post("/api/v1/mobile/resources/review/", {"ids": ids, "approve": False, "reason": "缺少说明"},
                       content_type="application/json", **auth(units["admin"]))
    assert done.json() == {"reviewed": 3}
    assert set(InterfaceResource.objects.values_list("status", flat=True)) == {ResourceStatus.REJECTED}


@pytest.mark.spec("APP-4.3")
def test_app_api_fuzzy_search_scoped_to_the_unit(client, units, media):
    app_services.app_create(actor=units["harbin"], data=app_data("hrb.api", name="哈尔滨社保查询"))
    app_services.app_create(actor=units["qiqihar"], data=app_data("qqhr.api", name="齐齐哈尔社保查询"))
    rows = client.get("/api/v1/mobile/apps/", {"name": "社保"}, **auth(units["harbin"])).json()["results"]
    assert [r["identifier"] for r in rows] == ["hrb.api"]
    rows = client.get("/api/v1/mobile/apps/", {"name": "社保"}, **auth(units["admin"])).json()["results"]
    assert {r["identifier"] for r in rows} == {"hrb.api", "qqhr.api"}
