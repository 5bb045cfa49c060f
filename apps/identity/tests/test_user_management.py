"""IDN-13.6 staff user management: list with filters, detail, create, edit, role assignment,
disable/enable, soft delete — scoped, audited, refusing oneself and users outside scope."""
import pytest
from django.urls import reverse

from apps.core.models import AuditLog
from apps.identity.models import User
from apps.identity.tests.conftest import give
from apps.identity.tests.factories import StaffFactory

LIST = reverse("identity:user-list")


def detail(pk):
    return reverse("identity:user-detail", args=[pk])


@pytest.fixture
def admin(harbin_admin):
    give(harbin_admin, "identity.delete_user", code="harbin_user_deleter")
    return harbin_admin


def names(response) -> set[str]:
    return {u.username for u in response.context["object_list"]}


@pytest.mark.spec("IDN-13.6")
def test_admin_manages_a_staff_user_from_creation_to_deletion(client, admin, staff, orgs):
    client.force_login(admin)
    # add
    created = client.post(reverse("identity:user-create"), {
        "username": "zhao_liu", "password": "Hlj-Secure-2026", "organisation": orgs["harbin_dept"].pk,
        "full_name": "赵六", "kind": "staff", "mobile_number": "13612345678"})
    assert created.status_code == 302
    user = User.objects.get(username="zhao_liu")
    # list with filters, then the detail page (masked mobile, department, region)
    assert names(client.get(LIST, {"full_name": "赵", "is_active": "1"})) == {"zhao_liu"}
    page = client.get(detail(user.pk)).content.decode()
    assert "赵六" in page and "136****5678" in page and "13612345678" not in page and "哈尔滨市市场监督管理局" in page
    # modify
    edited = client.post(reverse("identity:user-edit", args=[user.pk]), {
        "organisation": orgs["daoli_dept"].pk, "full_name": "赵六六", "kind": "staff", "is_active": "on"})
    assert edited.status_code == 302
    # assign a role the admin may give
    role = give(staff["harbin_dept"], "identity.view_user", code="viewer")
    assigned = client.post(reverse("identity:user-authorise", args=[user.pk]), {"roles": [role.pk]})
    assert assigned.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.organisation, list(user.roles.all())) == ("赵六六", orgs["daoli_dept"], [role])
    assert role.name in client.get(detail(user.pk)).content.decode()
    # disable: the account can no longer log in and lists as disabled; enable again
    client.post(reverse("identity:user-active", args=[user.pk]), {"active": "0"})
    user.refresh_from_db()
    assert not user.is_active and names(client.get(LIST, {"is_active": "0"})) == {"zhao_liu"}
    assert client_class_login(client, "zhao_liu") is False
    client.force_login(admin)
    client.post(reverse("identity:user-active", args=[user.pk]), {"active": "1"})
    assert User.objects.get(pk=user.pk).is_active
    # delete (soft): gone from the list and detail, row kept, roles removed, audited
    response = client.post(reverse("identity:user-delete", args=[user.pk]))
    assert response.status_code == 302 and response["Location"] == LIST
    kept = User.objects.get(pk=user.pk)
    assert kept.deleted_at is not None and not kept.is_active and not kept.roles.exists()
    assert "zhao_liu" not in names(client.get(LIST))
    assert client.get(detail(user.pk)).status_code == 404
    actions = list(AuditLog.objects.filter(object_id=str(user.pk), actor=admin).values_list("detail", flat=True))
    assert {"停用账号", "启用账号", "删除账号"} <= set(actions)


def client_class_login(client, username) -> bool:
    client.logout()
    return client.login(username=username, password="Hlj-Secure-2026")


def test_deleting_or_disabling_oneself_is_refused(client, admin):
    client.force_login(admin)
    page = client.get(detail(admin.pk)).content.decode()
    assert "不能停用或删除" in page
    refused = client.post(reverse("identity:user-delete", args=[admin.pk]), follow=True)
    assert "不能对自己的账号执行此操作" in refused.content.decode()
    client.post(reverse("identity:user-active", args=[admin.pk]), {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active and admin.deleted_at is None


@pytest.mark.parametrize("who,expected", [
    ("anonymous", 302), ("citizen", 403), ("other_region", 404), ("no_permission", 403), ("permitted", 302)])
def test_delete_authorisation_matrix(client, who, expected, staff, citizen, request):
    target = staff["daoli_dept"]
    actors = {"citizen": citizen, "no_permission": staff["harbin_dept"]}
    if who == "other_region":
        qiqihar = request.getfixturevalue("qiqihar_admin")
        give(qiqihar, "identity.delete_user", code="qqhr_deleter")
        actors[who] = qiqihar
    elif who == "permitted":
        actors[who] = request.getfixturevalue("admin")
    if who in actors:
        client.force_login(actors[who])
    response = client.post(reverse("identity:user-delete", args=[target.pk]))
    assert response.status_code == expected
    target.refresh_from_db()
    assert (target.deleted_at is not None) is (who == "permitted")
    assert target.is_active is (who != "permitted")


def test_without_delete_permission_the_admin_cannot_delete(client, harbin_admin, staff):
    client.force_login(harbin_admin)
    assert client.post(reverse("identity:user-delete", args=[staff["daoli_dept"].pk])).status_code == 403
    assert "删除账号" not in client.get(detail(staff["daoli_dept"].pk)).content.decode()
    assert User.objects.get(pk=staff["daoli_dept"].pk).deleted_at is None


def test_a_city_admin_cannot_disable_a_system_admin(client, admin, orgs, system_admin_role):
    boss = StaffFactory(username="boss", organisation=orgs["harbin_dept"])
    boss.roles.add(system_admin_role)
    client.force_login(admin)
    refused = client.post(reverse("identity:user-active", args=[boss.pk]), {"active": "0"}, follow=True)
    assert "只有系统管理员" in refused.content.decode()
    assert User.objects.get(pk=boss.pk).is_active


def test_detail_page_queries_do_not_grow_with_roles(client, admin, staff, django_assert_max_num_queries):
    target = staff["daoli_dept"]
    for n in range(5):
        give(target, "identity.view_user", code=f"r{n}")
    client.force_login(admin)
    client.get(detail(target.pk))
    with django_assert_max_num_queries(12):
        assert client.get(detail(target.pk)).status_code == 200
