"""Interface resource catalogue and onboarding (APP-3.1, 3.2, 3.7) as unit staff and reviewers meet them."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import StateTransition
from apps.mobile.models import InterfaceLog, InterfaceResource, ResourceStatus
from apps.mobile.services import interfaces as svc
from apps.mobile.tests.conftest import published_resource, resource_data

pytestmark = pytest.mark.django_db


@pytest.mark.spec("APP-3.1")
def test_resource_list_shows_the_columns_and_only_the_units_own_resources(client, units, upstream):
    svc.resource_create(actor=units["harbin"], data=resource_data("hrb-social", upstream.url))
    svc.resource_create(actor=units["qiqihar"], data=resource_data("qqhr-tax", upstream.url))
    client.force_login(units["harbin"])
    page = client.get(reverse("mobile:resource-list")).content.decode()
    for header in ("资源编码", "资源名称", "资源提供方", "版本号", "资源状态"):
        assert header in page
    assert "hrb-social" in page and "哈尔滨市市场监督管理局" in page
    assert "qqhr-tax" not in page


@pytest.mark.spec("APP-3.1")
def test_a_unit_cannot_open_edit_or_delete_another_units_resource(client, units, upstream):
    other = svc.resource_create(actor=units["qiqihar"], data=resource_data("qqhr-only", upstream.url))
    client.force_login(units["harbin"])
    assert client.get(reverse("mobile:resource-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("mobile:resource-edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("mobile:resource-action", args=[other.pk, "delete"])).status_code == 404
    with pytest.raises(PermissionDenied):
        svc.resource_update(actor=units["harbin"], resource=other, data={"name": "改名"})
    other.refresh_from_db()
    assert other.name == "接口qqhr-only"
    assert InterfaceResource.objects.filter(pk=other.pk).exists()


@pytest.mark.spec("APP-3.1", "APP-3.7")
def test_add_through_the_page_then_edit_and_delete(client, units, upstream):
    client.force_login(units["harbin"])
    data = {**resource_data("hrb-new", upstream.url), "category": resource_data("x", "")["category"].pk}
    data["is_public"] = "on"
    response = client.post(reverse("mobile:resource-create"), data)
    resource = InterfaceResource.objects.get(code="hrb-new")
    assert response.status_code == 302 and resource.organisation == units["harbin"].organisation
    data["name"] = "社保缴费查询"
    client.post(reverse("mobile:resource-edit", args=[resource.pk]), data)
    resource.refresh_from_db()
    assert resource.name == "社保缴费查询"
    client.post(reverse("mobile:resource-action", args=[resource.pk, "delete"]))
    assert not InterfaceResource.objects.filter(pk=resource.pk).exists()


@pytest.mark.spec("APP-3.7")
def test_bad_input_is_refused_with_a_message_and_nothing_written(client, units, upstream):
    client.force_login(units["harbin"])
    data = {**resource_data("bad code!", "not-a-url"), "category": resource_data("x", "")["category"].pk,
            "rate_limit_count": 0}
    response = client.post(reverse("mobile:resource-create"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "error" in page
    assert InterfaceResource.objects.count() == 0
    svc.resource_create(actor=units["harbin"], data=resource_data("dup", upstream.url))
    with pytest.raises(ValidationError) as error:
        svc.resource_create(actor=units["qiqihar"], data=resource_data("dup", upstream.url))
    assert "资源编码已存在" in str(error.value)


@pytest.mark.spec("APP-3.7")
def test_onboarding_needs_a_passed_api_test_against_the_upstream(units, upstream):
    resource = svc.resource_create(actor=units["harbin"], data=resource_data("hrb-flow", upstream.url))
    with pytest.raises(ValidationError):
        svc.resource_submit(actor=units["harbin"], resource=resource)
    upstream.control(down=True)
    test = svc.resource_test(actor=units["harbin"], resource=resource)
    assert not test.ok and test.status_code == 503
    with pytest.raises(ValidationError):
        svc.resource_submit(actor=units["harbin"], resource=resource)
    upstream.control(down=False)
    calls_before = upstream.simulator.calls
    assert svc.resource_test(actor=units["harbin"], resource=resource).ok
    assert upstream.simulator.calls == calls_before + 1          # a real call reached the upstream
    svc.resource_submit(actor=units["harbin"], resource=resource)
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PENDING_REVIEW


@pytest.mark.spec("APP-3.2", "APP-3.7")
def test_reject_needs_a_reason_and_returns_the_resource_to_the_submitter(client, units, upstream):
    resource = svc.resource_create(actor=units["harbin"], data=resource_data("hrb-rej", upstream.url))
    svc.resource_test(actor=units["harbin"], resource=resource)
    svc.resource_submit(actor=units["harbin"], resource=resource)
    client.force_login(units["admin"])
    client.post(reverse("mobile:review-queue"), {"ids": [resource.pk], "decision": "reject", "reason": ""})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PENDING_REVIEW          # refused: nothing changed
    client.post(reverse("mobile:review-queue"), {"ids": [resource.pk], "decision": "reject",
                                                 "reason": "接口说明不完整"})
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.REJECTED and resource.rejection_reason == "接口说明不完整"
    client.force_login(units["harbin"])
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "接口说明不完整" in page and "提交审核" in page
    assert StateTransition.objects.filter(object_id=str(resource.pk), to_state="rejected",
                                          comment="接口说明不完整").exists()


@pytest.mark.spec("APP-3.2")
def test_batch_review_of_three_resources_changes_all_three(client, units, upstream):
    resources = []
    for n in range(3):
        resource = svc.resource_create(actor=units["harbin"], data=resource_data(f"hrb-b{n}", upstream.url))
        svc.resource_test(actor=units["harbin"], resource=resource)
        svc.resource_submit(actor=units["harbin"], resource=resource)
        resources.append(resource)
    client.force_login(units["admin"])
    client.post(reverse("mobile:review-queue"), {"ids": [r.pk for r in resources], "decision": "approve"})
    assert set(InterfaceResource.objects.filter(pk__in=[r.pk for r in resources]).values_list(
        "status", flat=True)) == {ResourceStatus.PUBLISHED}
    assert len({r.batch for r in InterfaceResource.objects.get(pk=resources[0].pk).reviews.all()}) == 1


@pytest.mark.spec("APP-3.2")
def test_unit_staff_cannot_review(client, units, upstream):
    resource = svc.resource_create(actor=units["harbin"], data=resource_data("hrb-self", upstream.url))
    svc.resource_test(actor=units["harbin"], resource=resource)
    svc.resource_submit(actor=units["harbin"], resource=resource)
    client.force_login(units["harbin"])
    assert client.post(reverse("mobile:review-queue"), {"ids": [resource.pk], "decision": "approve"}).status_code == 403
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PENDING_REVIEW


@pytest.mark.spec("APP-3.7")
def test_rate_limit_public_flag_listing_and_excel_export(client, units, upstream):
    resource = published_resource(units, "hrb-cfg", upstream.url)
    client.force_login(units["harbin"])
    client.post(reverse("mobile:resource-action", args=[resource.pk, "configure"]),
                {"rate_limit_count": 5, "rate_limit_seconds": 10})
    client.post(reverse("mobile:resource-action", args=[resource.pk, "delist"]))
    resource.refresh_from_db()
    assert (resource.rate_limit_count, resource.rate_limit_seconds, resource.is_public) == (5, 10, False)
    assert resource.is_listed is False
    response = client.get(reverse("mobile:resource-list") + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any("hrb-cfg" in [str(v) for v in row] for row in rows)
    assert InterfaceLog.objects.filter(resource=resource, module="configuration").count() >= 2


@pytest.mark.spec("APP-3.1")
def test_resource_list_query_count_does_not_grow_with_rows(client, units, upstream, django_assert_max_num_queries):
    for n in range(12):
        svc.resource_create(actor=units["harbin"], data=resource_data(f"hrb-q{n}", upstream.url))
    client.force_login(units["harbin"])
    client.get(reverse("mobile:resource-list"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("mobile:resource-list")).status_code == 200


@pytest.mark.spec("APP-3.2")
def test_pending_resources_appear_in_the_reviewers_portal_inbox(client, units, upstream):
    resource = svc.resource_create(actor=units["harbin"], data=resource_data("hrb-inbox", upstream.url))
    svc.resource_test(actor=units["harbin"], resource=resource)
    svc.resource_submit(actor=units["harbin"], resource=resource)
    client.force_login(units["admin"])
    assert "接口资源审核 hrb-inbox" in client.get("/portal/").content.decode()
    client.force_login(units["qiqihar"])
    assert "hrb-inbox" not in client.get("/portal/").content.decode()
