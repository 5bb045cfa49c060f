"""PORTAL-8.3 organisation change requests: apply → review → cleanse → feedback → push."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.adapters.org_subscriber.simulator import OrgSubscriberSimulator
from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import ChangeStatus, Organisation, OrganisationChangeRequest, OutboxMessage
from apps.core.navigation import inbox_for
from apps.core.services.org_changes import (
    org_change_approve, org_change_create, org_change_reject, org_change_submit, org_change_update,
)
from apps.core.tests.factories import OrganisationFactory, OrganisationSubscriberFactory, grant, next_credit_code
from apps.core.workflow import history_for

pytestmark = pytest.mark.django_db
APPLY = ("core.add_organisationchangerequest", "core.view_organisationchangerequest", "core.view_organisation")
REVIEW = ("core.review_organisationchangerequest", "core.view_organisationchangerequest")


@pytest.fixture
def clerk(staff):
    """A county department's clerk: 道里区市场监督管理局."""
    return grant(staff["daoli_dept"], *APPLY)


@pytest.fixture
def reviewer(staff):
    """Harbin's business environment bureau reviews Harbin's requests."""
    return grant(staff["harbin"], *REVIEW)


@pytest.fixture
def subscriber_sim():
    simulator = OrgSubscriberSimulator()
    with SimulatorServer(simulator) as server:
        simulator.url = f"{server.url}/organisations"
        yield simulator


@pytest.fixture
def subscriber(subscriber_sim):
    return OrganisationSubscriberFactory(name="数据共享平台", endpoint_url=subscriber_sim.url)


def add_data(**overrides):
    data = {"name": "道里区 行政审批局", "short_name": "", "credit_code": next_credit_code("230102").lower(),
            "region_code": "230102000000", "parent_id": None, "kind": "department"}
    return {**data, **overrides}


def approve(request, reviewer, capture):
    with capture(execute=True):
        return org_change_approve(request=request, reviewer=reviewer, comment="同意")


@pytest.mark.spec("PORTAL-8.3")
def test_add_request_goes_through_review_cleansing_feedback_and_push(clerk, reviewer, subscriber, subscriber_sim,
                                                                      django_capture_on_commit_callbacks):
    data = add_data(name="道里区\u3000行政审批局(试点) ")
    request = org_change_create(applicant=clerk, kind="add", data=data, reason="机构改革新设")
    assert request.status == ChangeStatus.PENDING_REVIEW
    request = approve(request, reviewer, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    created = request.result_organisation
    assert request.status == ChangeStatus.DELIVERED
    assert created.name == "道里区行政审批局（试点）"                 # whitespace and parentheses normalised
    assert created.short_name == "行政审批局（试点）"                  # 简称 derived from the name
    assert created.credit_code == data["credit_code"].upper()
    assert "已新增机构" in request.feedback and "1 个订阅系统" in request.feedback
    assert [t.action for t in history_for(request)] == ["create", "submit", "approve", "cleanse", "apply", "feedback"]
    [pushed] = subscriber_sim.received
    assert pushed["event"] == "add" and pushed["organisation"]["credit_code"] == created.credit_code
    assert pushed["organisation"]["region_code"] == "230102000000"
    assert OutboxMessage.objects.get(peer=subscriber.peer_name).status == "delivered"


@pytest.mark.spec("PORTAL-8.3")
def test_modify_request_changes_the_organisation_and_pushes_it(clerk, reviewer, orgs, subscriber, subscriber_sim,
                                                               django_capture_on_commit_callbacks):
    target = orgs["daoli_dept"]
    request = org_change_create(applicant=clerk, kind="modify", target=target,
                                data={"name": "道里区市场监管局", "short_name": "道里市场监管"})
    assert request.proposed_data["credit_code"] == target.credit_code       # unchanged fields kept
    approve(request, reviewer, django_capture_on_commit_callbacks)
    target.refresh_from_db()
    request.refresh_from_db()
    assert (target.name, target.short_name) == ("道里区市场监管局", "道里市场监管")
    assert request.status == ChangeStatus.DELIVERED
    assert subscriber_sim.received[0]["event"] == "modify"
    assert subscriber_sim.received[0]["organisation"]["name"] == "道里区市场监管局"


@pytest.mark.spec("PORTAL-8.3")
def test_delete_request_disables_the_organisation_and_pushes_it(clerk, reviewer, orgs, regions, subscriber,
                                                                subscriber_sim, django_capture_on_commit_callbacks):
    office = OrganisationFactory(name="道里区临时办公室", region=regions["230102000000"], parent=orgs["daoli_dept"])
    with pytest.raises(ValidationError, match="申请理由"):
        org_change_create(applicant=clerk, kind="delete", target=office)
    request = org_change_create(applicant=clerk, kind="delete", target=office, reason="职能划转，撤销")
    approve(request, reviewer, django_capture_on_commit_callbacks)
    office.refresh_from_db()
    request.refresh_from_db()
    assert office.is_enabled is False and request.status == ChangeStatus.DELIVERED
    assert subscriber_sim.received[0]["event"] == "delete"
    assert subscriber_sim.received[0]["organisation"]["is_enabled"] is False


@pytest.mark.spec("PORTAL-8.3")
def test_problem_data_is_fed_back_and_the_corrected_request_succeeds(clerk, reviewer, orgs, subscriber, subscriber_sim,
                                                                     client, django_capture_on_commit_callbacks):
    bad = add_data(name="道里区市场监督管理局", credit_code=orgs["harbin"].credit_code)   # duplicate name + USCC
    request = org_change_create(applicant=clerk, kind="add", data=bad)
    approve(request, reviewer, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.status == ChangeStatus.RETURNED
    problems = {p["field"]: p["message"] for p in request.problem_data}
    assert "已被机构“哈尔滨市营商环境建设监督局”使用" in problems["credit_code"]
    assert "疑似重复" in problems["name"]
    assert Organisation.objects.filter(name="道里区市场监督管理局").count() == 1   # nothing written
    assert subscriber_sim.received == []
    client.force_login(clerk)                                                   # the applicant sees the problems
    page = client.get(reverse("core:orgchange-detail", args=[request.pk])).content.decode()
    assert "问题数据" in page and "疑似重复" in page and "已被机构" in page
    org_change_update(request=request, actor=clerk, data=add_data(name="道里区数据局"))
    org_change_submit(request=request, actor=clerk)
    approve(request, reviewer, django_capture_on_commit_callbacks)
    request.refresh_from_db()
    assert request.status == ChangeStatus.DELIVERED and request.problem_data == []
    assert [r["organisation"]["name"] for r in subscriber_sim.received] == ["道里区数据局"]


@pytest.mark.spec("PORTAL-8.3")
def test_invalid_check_digit_is_problem_data(clerk, reviewer, django_capture_on_commit_callbacks):
    code = next_credit_code("230102")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    request = approve(org_change_create(applicant=clerk, kind="add", data=add_data(credit_code=wrong)), reviewer,
                      django_capture_on_commit_callbacks)
    assert request.status == ChangeStatus.RETURNED
    assert "校验位错误" in request.feedback


@pytest.mark.spec("PORTAL-8.3")
def test_rejection_needs_a_reason(clerk, reviewer):
    request = org_change_create(applicant=clerk, kind="add", data=add_data())
    with pytest.raises(ValidationError, match="驳回必须填写理由"):
        org_change_reject(request=request, reviewer=reviewer, reason="  ")
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING_REVIEW
    org_change_reject(request=request, reviewer=reviewer, reason="名称不规范")
    request.refresh_from_db()
    assert request.status == ChangeStatus.REJECTED and "名称不规范" in request.feedback
    assert history_for(request).last().comment == "名称不规范"


@pytest.mark.spec("PORTAL-8.3")
def test_a_department_cannot_review(clerk, staff, client):
    department = grant(staff["harbin_dept"], *REVIEW)      # even holding the permission
    request = org_change_create(applicant=clerk, kind="add", data=add_data())
    with pytest.raises(PermissionDenied):
        org_change_approve(request=request, reviewer=department)
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING_REVIEW
    client.force_login(department)
    response = client.post(reverse("core:orgchange-approve", args=[request.pk]), follow=True)
    assert "没有审核该申请的权限" in response.content.decode()
    assert inbox_for(department) == [] or all(i.category != "机构变更审核" for i in inbox_for(department))


@pytest.mark.spec("PORTAL-8.3")
def test_another_citys_staff_cannot_see_the_request(clerk, staff, client):
    qiqihar = grant(staff["qiqihar"], *REVIEW)
    request = org_change_create(applicant=clerk, kind="add", data=add_data())
    client.force_login(qiqihar)
    assert client.get(reverse("core:orgchange-detail", args=[request.pk])).status_code == 404
    assert client.get(f"/api/v1/core/org-changes/{request.pk}/").status_code == 404
    assert client.post(f"/api/v1/core/org-changes/{request.pk}/approve/").status_code == 404
    assert list(client.get(reverse("core:orgchange-queue")).context["object_list"]) == []
    with pytest.raises(PermissionDenied):
        org_change_approve(request=request, reviewer=qiqihar)


def test_applicant_cannot_apply_outside_its_region(clerk):
    with pytest.raises(ValidationError, match="本单位所在区划"):
        org_change_create(applicant=clerk, kind="add", data=add_data(region_code="230103000000"))
    with pytest.raises(ValidationError, match="区划不存在"):
        org_change_create(applicant=clerk, kind="add", data=add_data(region_code="239999000000"))
    assert not OrganisationChangeRequest.objects.exists()


@pytest.mark.spec("PORTAL-8.3")
def test_portal_journey_apply_review_and_see_feedback(clerk, reviewer, subscriber, subscriber_sim, client,
                                                      django_capture_on_commit_callbacks):
    client.force_login(clerk)
    form = {"kind": "add", "name": "道里区医疗保障局", "credit_code": next_credit_code("230102"),
            "region_code": "230102000000", "org_kind": "department", "reason": "新设"}
    response = client.post(reverse("core:orgchange-create"), form)
    request = OrganisationChangeRequest.objects.get()
    assert response.status_code == 302 and request.status == ChangeStatus.PENDING_REVIEW
    assert [str(r) for r in client.get(reverse("core:orgchange-mine")).context["object_list"]] == [str(request)]
    client.force_login(reviewer)
    assert [item.url for item in inbox_for(reviewer)] == [request.get_absolute_url()]
    detail = client.get(reverse("core:orgchange-detail", args=[request.pk])).content.decode()
    assert "申请数据与现有数据对比" in detail and "审核通过" in detail and "道里区医疗保障局" in detail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("core:orgchange-approve", args=[request.pk]), {"comment": "同意"})
    client.force_login(clerk)
    page = client.get(reverse("core:orgchange-detail", args=[request.pk])).content.decode()
    assert "申请已办结" in page and "数据共享平台" in page and "已投递" in page
    assert len(subscriber_sim.received) == 1


def test_api_apply_and_reject_without_reason_is_400(clerk, reviewer, client):
    client.force_login(clerk)
    response = client.post("/api/v1/core/org-changes/", {"kind": "add", "proposed_data": add_data()},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "pending_review"
    client.force_login(reviewer)
    pk = response.json()["id"]
    bad = client.post(f"/api/v1/core/org-changes/{pk}/reject/", {"comment": ""}, content_type="application/json")
    assert bad.status_code == 400 and "驳回必须填写理由" in str(bad.json())
    ok = client.post(f"/api/v1/core/org-changes/{pk}/reject/", {"comment": "材料不全"},
                     content_type="application/json")
    assert ok.json()["status"] == "rejected"
    assert [h["action"] for h in ok.json()["history"]] == ["create", "submit", "reject"]


@pytest.mark.spec("PORTAL-8.3")
def test_a_failing_subscriber_does_not_hold_back_the_others(clerk, reviewer, subscriber, subscriber_sim,
                                                            django_capture_on_commit_callbacks):
    broken_sim = OrgSubscriberSimulator()
    with SimulatorServer(broken_sim) as server:
        broken = OrganisationSubscriberFactory(name="故障系统", endpoint_url=f"{server.url}/organisations")
        broken_sim.inject_failures(3, status=500)
        approve(org_change_create(applicant=clerk, kind="add", data=add_data()), reviewer,
                django_capture_on_commit_callbacks)
    assert len(subscriber_sim.received) == 1
    failed = OutboxMessage.objects.get(peer=broken.peer_name)
    assert failed.status == "pending" and "500" in failed.last_error      # retried later with backoff
    assert OutboxMessage.objects.get(peer=subscriber.peer_name).status == "delivered"


def test_simulator_dedupes_by_idempotency_key(subscriber_sim):
    import requests

    body = {"event": "add", "organisation": {"name": "x"}}
    for _ in range(2):
        assert requests.post(subscriber_sim.url, json=body, headers={"Idempotency-Key": "k1"}, timeout=5).ok
    assert len(subscriber_sim.received) == 1
    assert requests.post(subscriber_sim.url, json=body, timeout=5).status_code == 400
