"""Identity API: token login for staff and public users, /me, users (scoped, filtered, masked), access requests."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.identity.models import SystemAccessRequest
from apps.identity.tests.conftest import give
from apps.identity.tests.factories import StaffFactory

TOKEN = "/api/v1/identity/token/"
ME = "/api/v1/identity/me/"
USERS = "/api/v1/identity/users/"
REQUESTS = "/api/v1/identity/access-requests/"


def token_client(username, password="Passw0rd!2026") -> APIClient:
    client = APIClient()
    response = client.post(TOKEN, {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.mark.parametrize("username", ["staff_harbin", "citizen1"])
def test_staff_and_public_users_get_a_token_and_see_themselves(staff, citizen, username):
    client = token_client(username)
    me = client.get(ME).json()
    assert me["username"] == username
    assert me["kind"] == ("staff" if username.startswith("staff") else "natural_person")


def test_wrong_password_gets_a_clear_400_and_no_token(staff):
    from rest_framework.authtoken.models import Token

    response = APIClient().post(TOKEN, {"username": "staff_harbin", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.json()["errors"]["non_field_errors"][0]
    assert not Token.objects.exists()


def test_me_needs_authentication(db):
    assert APIClient().get(ME).status_code in (401, 403)


def test_logout_deletes_the_token(staff):
    client = token_client("staff_harbin")
    assert client.delete(ME).status_code == 204
    assert client.get(ME).status_code in (401, 403)


@pytest.mark.spec("PORTAL-9.2")
def test_users_api_is_scoped_filtered_and_masked(harbin_admin, staff, orgs):
    staff["daoli_dept"].mobile_number = "13812345678"
    staff["daoli_dept"].save()
    client = token_client("staff_harbin")
    rows = client.get(USERS).json()["results"]
    assert {r["username"] for r in rows} == {"staff_harbin", "staff_harbin_dept", "staff_daoli_dept"}
    filtered = client.get(USERS, {"organisation": orgs["daoli_dept"].pk}).json()["results"]
    assert [r["username"] for r in filtered] == ["staff_daoli_dept"]
    assert filtered[0]["mobile_number"] == "138****5678"
    assert "13812345678" not in client.get(USERS).content.decode()
    assert client.get(f"{USERS}{staff['qiqihar'].pk}/").status_code == 404


@pytest.mark.spec("PORTAL-9.2")
def test_users_api_query_count_is_flat(harbin_admin, orgs, django_assert_max_num_queries):
    for n in range(30):
        give(StaffFactory(organisation=orgs["harbin_dept"]), "identity.view_user", code=f"v{n}")
    client = token_client("staff_harbin")
    with django_assert_max_num_queries(10):   # auth, perms, scope: constant, not per row
        response = client.get(USERS)
    assert response.status_code == 200 and response.json()["count"] == 33


@pytest.mark.spec("PORTAL-9.2")
@pytest.mark.parametrize("who,expected", [("citizen1", 403), ("staff_harbin_dept", 403)])
def test_users_api_is_closed_without_permission(staff, citizen, who, expected):
    assert token_client(who).get(USERS).status_code == expected


@pytest.mark.spec("PORTAL-9.3")
def test_access_request_api_apply_list_and_decide(staff):
    give(staff["harbin"], "identity.review_systemaccessrequest", code="approver")
    applicant = token_client("staff_daoli_dept")
    created = applicant.post(REQUESTS, {"system": "data_sharing", "reason": "查询"}, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending_review"
    pk = created.json()["id"]
    assert [r["id"] for r in applicant.get(REQUESTS).json()["results"]] == [pk]
    assert applicant.post(f"{REQUESTS}{pk}/approve/", {}, format="json").status_code == 403
    approver = token_client("staff_harbin")
    rejected = approver.post(f"{REQUESTS}{pk}/reject/", {"comment": ""}, format="json")
    assert rejected.status_code == 400 and "驳回理由" in str(rejected.json())
    approved = approver.post(f"{REQUESTS}{pk}/approve/", {"comment": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    other = token_client("staff_qiqihar")
    assert other.get(f"{REQUESTS}{pk}/").status_code == 404


@pytest.mark.spec("PORTAL-9.3")
def test_access_request_api_refuses_bad_input_and_citizens(staff, citizen):
    bad = token_client("staff_daoli_dept").post(REQUESTS, {"system": "x", "reason": ""}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"system", "reason"}
    assert token_client("citizen1").post(REQUESTS, {"system": "data_sharing", "reason": "r"},
                                         format="json").status_code == 403
    assert not SystemAccessRequest.objects.exists()


def test_openapi_schema_documents_identity_endpoints(admin_client):
    schema = admin_client.get(reverse("api-schema"), {"format": "json"}).json()
    for path in (TOKEN, ME, USERS, REQUESTS, REQUESTS + "{id}/approve/"):
        assert path in schema["paths"], path
    assert "mobile_number" in schema["components"]["schemas"]["User"]["properties"]
