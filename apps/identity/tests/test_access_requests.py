"""PORTAL-9.3 system access requests: a staff user applies, an approver decides, history is kept."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.navigation import inbox_for
from apps.core.workflow import history_for
from apps.identity.models import AccessRequestStatus, SystemAccessRequest
from apps.identity.selectors import granted_systems
from apps.identity.services import (
    access_request_approve,
    access_request_create,
    access_request_reject,
)
from apps.identity.tests.conftest import give

pytestmark = pytest.mark.spec("PORTAL-9.3")


@pytest.fixture
def approver(staff):
    give(staff["harbin"], "identity.review_systemaccessrequest", code="access_approver")
    return staff["harbin"]


@pytest.fixture
def pending(staff):
    return access_request_create(applicant=staff["daoli_dept"], system="data_sharing", reason="查询共享数据")


def test_staff_user_applies_on_the_page_and_sees_it_pending(login, staff):
    client = login(staff["daoli_dept"])
    response = client.post(reverse("identity:access-request-create"),
                           {"system": "matter_management", "reason": "维护本部门事项"})
    assert response.status_code == 302
    access_request = SystemAccessRequest.objects.get()
    assert (access_request.applicant, access_request.status) == (staff["daoli_dept"], "pending_review")
    page = client.get(response["Location"]).content.decode()
    assert "黑龙江省政务服务事项管理平台" in page and "待审核" in page and "维护本部门事项" in page


@pytest.mark.parametrize("data,field,message", [
    ({"system": "data_sharing", "reason": "  "}, "reason", "请填写申请理由"),
    ({"system": "nonexistent", "reason": "x"}, "system", "请选择要申请的系统"),
])
def test_bad_application_is_refused_and_nothing_written(staff, data, field, message):
    with pytest.raises(ValidationError) as caught:
        access_request_create(applicant=staff["daoli_dept"], **data)
    assert message in caught.value.message_dict[field][0]
    assert not SystemAccessRequest.objects.exists()


def test_duplicate_pending_and_already_granted_applications_are_refused(staff, pending, approver):
    with pytest.raises(ValidationError, match="正在审核中"):
        access_request_create(applicant=staff["daoli_dept"], system="data_sharing", reason="再次")
    access_request_approve(access_request=pending, actor=approver)
    with pytest.raises(ValidationError, match="已拥有"):
        access_request_create(applicant=staff["daoli_dept"], system="data_sharing", reason="再次")
    assert SystemAccessRequest.objects.count() == 1


def test_citizens_cannot_apply(citizen):
    with pytest.raises(PermissionDenied):
        access_request_create(applicant=citizen, system="data_sharing", reason="想看")


def test_approver_sees_the_request_in_the_inbox_and_approves_it(login, approver, pending, staff):
    items = inbox_for(approver)
    assert [item.category for item in items] == ["系统访问权限申请"]
    assert "数据资源共享系统" in items[0].title
    client = login(approver)
    assert "数据资源共享系统" in client.get(reverse("portal:home")).content.decode()
    response = client.post(items[0].url, {"decision": "approve", "comment": "同意"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.reviewer, pending.comment) == ("approved", approver, "同意")
    assert granted_systems(user=staff["daoli_dept"]) == {"data_sharing"}
    assert inbox_for(approver) == []
    steps = [(t.from_state, t.to_state, t.actor_id) for t in history_for(pending)]
    assert steps == [("", "pending_review", staff["daoli_dept"].pk), ("pending_review", "approved", approver.pk)]
    page = client.get(items[0].url).content.decode()
    assert "审核通过" in page and "同意" in page


def test_rejecting_needs_a_reason(login, approver, pending):
    response = login(approver).post(reverse("identity:access-request-detail", args=[pending.pk]),
                                    {"decision": "reject", "comment": ""})
    assert response.status_code == 400 and "驳回时必须填写驳回理由" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == "pending_review" and history_for(pending).count() == 1
    access_request_reject(access_request=pending, actor=approver, comment="非本部门业务")
    pending.refresh_from_db()
    assert pending.status == AccessRequestStatus.REJECTED and pending.comment == "非本部门业务"


def test_a_decided_request_cannot_be_decided_again(approver, pending):
    access_request_approve(access_request=pending, actor=approver)
    with pytest.raises(ValidationError, match="已审核"):
        access_request_reject(access_request=pending, actor=approver, comment="改主意")


def test_nobody_reviews_their_own_request(approver):
    own = access_request_create(applicant=approver, system="data_sharing", reason="自用")
    assert inbox_for(approver) == []
    with pytest.raises(ValidationError, match="不能审核自己"):
        access_request_approve(access_request=own, actor=approver)


@pytest.mark.parametrize("who,expected", [
    ("anonymous", 302), ("citizen", 403), ("other_region", 404), ("no_permission", 404), ("applicant", 403),
    ("permitted", 302)])
def test_decision_authorisation_matrix(client, who, expected, staff, citizen, pending, request):
    """Staff without the permission cannot even see another's request (404); the applicant sees it but
    may not decide it (403)."""
    actors = {"citizen": citizen, "no_permission": staff["harbin_dept"], "applicant": staff["daoli_dept"]}
    if who == "other_region":
        give(staff["qiqihar"], "identity.review_systemaccessrequest", code="qq_approver")
        actors[who] = staff["qiqihar"]
    elif who == "permitted":
        actors[who] = request.getfixturevalue("approver")
    if who in actors:
        client.force_login(actors[who])
    response = client.post(reverse("identity:access-request-detail", args=[pending.pk]),
                           {"decision": "approve", "comment": "ok"})
    assert response.status_code == expected
    pending.refresh_from_db()
    assert (pending.status == "approved") is (who == "permitted")
    assert history_for(pending).count() == (2 if who == "permitted" else 1)


def test_list_shows_own_requests_and_approvers_scope(login, staff, pending, approver):
    access_request_create(applicant=staff["qiqihar"], system="data_sharing", reason="齐齐哈尔")
    url = reverse("identity:access-request-list")
    mine = login(staff["harbin_dept"]).get(url)
    assert list(mine.context["object_list"]) == []
    reviewed = login(approver).get(url)
    assert [r.applicant.username for r in reviewed.context["object_list"]] == ["staff_daoli_dept"]
