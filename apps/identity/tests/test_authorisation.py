"""PORTAL-9.1 user authorisation: query, assign roles and permissions, role management, guard rails."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.identity.models import Role, User
from apps.identity.services import role_create, role_update, user_authorise
from apps.identity.tests.conftest import give, permissions

pytestmark = pytest.mark.spec("PORTAL-9.1")
LIST = reverse("identity:authorisation-list")


def test_authorisation_list_queries_by_department_login_name_and_name(login, harbin_admin, staff, orgs):
    client = login(harbin_admin)
    names = lambda r: {u.username for u in r.context["object_list"]}
    assert names(client.get(LIST, {"organisation": orgs["harbin_dept"].pk})) == {"staff_harbin_dept"}
    assert names(client.get(LIST, {"username": "daoli"})) == {"staff_daoli_dept"}
    assert names(client.get(LIST, {"full_name": staff["daoli_dept"].full_name})) == {"staff_daoli_dept"}
    html = client.get(LIST).content.decode()
    assert reverse("identity:user-authorise", args=[staff["daoli_dept"].pk]) in html and "授权" in html


def test_admin_assigns_roles_and_direct_permissions_on_the_page(login, harbin_admin, staff):
    target = staff["daoli_dept"]
    role = Role.objects.create(code="viewer", name="查看用户")
    role.permissions.add(*permissions("identity.view_user"))
    perm = permissions("identity.view_role")[0]
    response = login(harbin_admin).post(reverse("identity:user-authorise", args=[target.pk]),
                                        {"roles": [role.pk], "permissions": [perm.pk]})
    assert response.status_code == 302
    target = User.objects.get(pk=target.pk)
    assert target.has_role("viewer") and target.has_perm("identity.view_user") and target.has_perm(
        "identity.view_role")


def test_non_system_admin_cannot_grant_system_admin(harbin_admin, staff, system_admin_role):
    target = staff["daoli_dept"]
    with pytest.raises(ValidationError) as caught:
        user_authorise(user=target, roles=[system_admin_role], actor=harbin_admin)
    assert "只有系统管理员" in caught.value.message_dict["roles"][0]
    assert not target.roles.exists()


def test_non_system_admin_cannot_grant_permissions_they_do_not_hold(harbin_admin, staff):
    target = staff["daoli_dept"]
    with pytest.raises(ValidationError) as caught:
        user_authorise(user=target, roles=[], permissions=permissions("core.delete_region"), actor=harbin_admin)
    assert "core.delete_region" in caught.value.message_dict["permissions"][0]
    assert not target.user_permissions.exists()


def test_system_admin_may_grant_system_admin(staff, system_admin_role):
    admin = staff["province"]
    admin.roles.add(system_admin_role)
    admin = User.objects.get(pk=admin.pk)
    user_authorise(user=staff["daoli_dept"], roles=[system_admin_role], actor=admin)
    assert User.objects.get(pk=staff["daoli_dept"].pk).is_system_admin


def test_nobody_authorises_themselves(harbin_admin):
    role = give(harbin_admin, "identity.view_user", code="self_role")
    with pytest.raises(ValidationError):
        user_authorise(user=harbin_admin, roles=[role], permissions=[], actor=harbin_admin)


@pytest.mark.parametrize("who,expected", [
    ("anonymous", 302), ("citizen", 403), ("other_region", 404), ("no_permission", 403), ("permitted", 302)])
def test_authorise_page_authorisation_matrix(client, who, expected, staff, citizen, request):
    target = staff["daoli_dept"]
    role = Role.objects.create(code="viewer", name="查看用户")
    role.permissions.add(*permissions("identity.view_user"))
    actors = {"citizen": citizen, "no_permission": staff["harbin"]}
    if who == "other_region":
        actors[who] = request.getfixturevalue("qiqihar_admin")
    elif who == "permitted":
        actors[who] = request.getfixturevalue("harbin_admin")
    if who in actors:
        client.force_login(actors[who])
    response = client.post(reverse("identity:user-authorise", args=[target.pk]), {"roles": [role.pk]})
    assert response.status_code == expected
    assert target.roles.filter(pk=role.pk).exists() is (who == "permitted")


def test_role_management_creates_a_role_with_permissions_grouped_by_app(login, staff):
    admin = staff["province"]
    give(admin, "identity.view_role", "identity.add_role", "identity.change_role", "identity.view_user",
         code="role_admin")
    client = login(admin)
    page = client.get(reverse("identity:role-create")).content.decode()
    assert "统一身份认证" in page and "查看用户" in page      # grouped by app, Chinese labels
    assert "删除区划" not in page                          # permissions the admin lacks are not offered
    view_user = permissions("identity.view_user")[0]
    response = client.post(reverse("identity:role-create"), {"code": "user_viewer", "name": "用户查看员",
                                                             "permissions": [view_user.pk]})
    assert response.status_code == 302
    assert list(Role.objects.get(code="user_viewer").permissions.all()) == [view_user]


def test_role_with_unheld_permission_or_bad_code_is_refused(staff):
    admin = staff["province"]
    give(admin, "identity.add_role", "identity.change_role", code="role_admin")
    with pytest.raises(ValidationError) as caught:
        role_create(data={"code": "Bad Code", "name": "", "permissions": permissions("core.delete_region")},
                    actor=admin)
    assert set(caught.value.message_dict) == {"code", "name", "permissions"}
    assert not Role.objects.filter(name="").exists()


def test_only_system_admins_change_the_system_admin_role(staff, system_admin_role):
    admin = staff["province"]
    give(admin, "identity.change_role", code="role_admin")
    with pytest.raises(PermissionDenied):
        role_update(role=system_admin_role, data={"name": "改"}, actor=admin)
    system_admin_role.refresh_from_db()
    assert system_admin_role.name == "系统管理员"
