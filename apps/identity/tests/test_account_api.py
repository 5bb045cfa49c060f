"""Change-password API (IDN-13.7) and the work portal's duplicate checks (IDN-14.3)."""
import pytest
from rest_framework.test import APIClient

from apps.identity.tests.conftest import PASSWORD, give
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.spec("IDN-13.7")
def test_change_password(staff):
    api = APIClient()
    assert api.post("/api/v1/identity/password/", {}).status_code in (401, 403)
    user = staff["harbin"]
    api.force_authenticate(user)
    wrong = api.post("/api/v1/identity/password/", {"old_password": "x", "new_password": "N3w#Passw0rd!"})
    assert wrong.status_code == 400 and "old_password" in wrong.json()["errors"]
    weak = api.post("/api/v1/identity/password/", {"old_password": PASSWORD, "new_password": "123"})
    assert weak.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert api.post("/api/v1/identity/password/", {"old_password": PASSWORD,
                                                   "new_password": "N3w#Passw0rd!"}).status_code == 204
    user.refresh_from_db()
    assert user.check_password("N3w#Passw0rd!")


def test_duplicate_checks(staff, citizen):
    UserFactory(username="dup_user", mobile_number="13500001111", id_number="230102199001011230")
    api = APIClient()
    api.force_authenticate(staff["harbin"])
    assert api.get("/api/v1/identity/duplicates/username/", {"value": "dup_user"}).status_code == 403
    api.force_authenticate(citizen)
    assert api.get("/api/v1/identity/duplicates/username/", {"value": "dup_user"}).status_code == 403
    give(staff["harbin"], "identity.add_user", code="adder")
    api.force_authenticate(staff["harbin"])
    for field, taken, free in (("username", "dup_user", "free_user"),
                               ("id_number", "230102199001011230", "230102198512124566"),
                               ("mobile_number", "13500001111", "13500009999")):
        assert api.get(f"/api/v1/identity/duplicates/{field}/", {"value": taken}).json()["duplicate"] is True
        assert api.get(f"/api/v1/identity/duplicates/{field}/", {"value": free}).json()["duplicate"] is False
    assert api.get("/api/v1/identity/duplicates/password/", {"value": "x"}).status_code == 400


@pytest.mark.spec("IDN-14.3")
def test_work_portal_user_maintenance_apis(staff, citizen, orgs):
    from apps.identity.models import User

    api = APIClient()
    body = {"username": "portal_new", "password": "N3w#Passw0rd!", "organisation": orgs["harbin_dept"].pk,
            "full_name": "新同事", "mobile_number": "13500002222"}
    api.force_authenticate(citizen)
    assert api.post("/api/v1/identity/portal-users/", body, format="json").status_code == 403
    api.force_authenticate(staff["harbin"])
    assert api.post("/api/v1/identity/portal-users/", body, format="json").status_code == 403     # no permission
    give(staff["harbin"], "identity.add_user", "identity.change_user", "identity.view_user", code="portal_api")
    # the portal checks for duplicates first, then adds
    assert api.get("/api/v1/identity/duplicates/username/", {"value": "portal_new"}).json()["duplicate"] is False
    bad = api.post("/api/v1/identity/portal-users/", {**body, "mobile_number": "12"}, format="json")
    assert bad.status_code == 400 and not User.objects.filter(username="portal_new").exists()
    created = api.post("/api/v1/identity/portal-users/", body, format="json")
    assert created.status_code == 201 and created.json()["organisation"]["id"] == orgs["harbin_dept"].pk
    assert api.get("/api/v1/identity/duplicates/username/", {"value": "portal_new"}).json()["duplicate"] is True
    assert api.get("/api/v1/identity/duplicates/mobile_number/", {"value": "13500002222"}).json()["duplicate"]
    pk = created.json()["id"]
    changed = api.patch(f"/api/v1/identity/portal-users/{pk}/", {"full_name": "新同事（改）"}, format="json")
    assert changed.status_code == 200 and changed.json()["full_name"] == "新同事（改）"
    assert api.patch(f"/api/v1/identity/portal-users/{pk}/", {"username": "x"}, format="json").json()[
        "username"] == "portal_new"                                              # login name cannot change
    # a user outside the caller's region does not exist for them
    other = staff["qiqihar"]
    assert api.patch(f"/api/v1/identity/portal-users/{other.pk}/", {"full_name": "越权"},
                     format="json").status_code == 404
    other.refresh_from_db()
    assert other.full_name != "越权"
