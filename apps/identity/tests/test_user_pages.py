"""PORTAL-9.2 user management pages: query, organisation tree, edit, masked numbers, scope."""
import io

import openpyxl
import pytest
from django.urls import reverse

from apps.identity.models import User
from apps.identity.tests.conftest import give
from apps.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.spec("PORTAL-9.2")
LIST = reverse("identity:user-list")


def usernames(response) -> set[str]:
    return {u.username for u in response.context["object_list"]}


def test_list_queries_by_department_login_name_and_name(login, harbin_admin, staff, orgs):
    StaffFactory(username="wangwu", full_name="王五", organisation=orgs["harbin_dept"])
    client = login(harbin_admin)
    assert usernames(client.get(LIST, {"organisation": orgs["daoli_dept"].pk})) == {"staff_daoli_dept"}
    assert usernames(client.get(LIST, {"username": "WANG"})) == {"wangwu"}
    assert usernames(client.get(LIST, {"full_name": "王"})) == {"wangwu"}
    both = client.get(LIST, {"organisation": orgs["harbin_dept"].pk, "full_name": "王五"})
    assert usernames(both) == {"wangwu"}


def test_list_is_cut_to_the_admins_city(login, harbin_admin, staff):
    response = login(harbin_admin).get(LIST)
    assert usernames(response) == {"staff_harbin", "staff_harbin_dept", "staff_daoli_dept"}


def test_clicking_the_organisation_tree_filters_and_the_tree_shows_only_scope(login, harbin_admin, staff, orgs):
    response = login(harbin_admin).get(LIST, {"region": "230102000000"})
    assert usernames(response) == {"staff_daoli_dept"}
    html = response.content.decode()
    assert f'href="?organisation={orgs["daoli_dept"].pk}"' in html
    assert "道里区" in html and "齐齐哈尔市营商环境建设监督局" not in html
    tree_names = {name for group in response.context["tree"] for _pk, name in group.organisations}
    assert tree_names == {"哈尔滨市营商环境建设监督局", "哈尔滨市市场监督管理局", "道里区市场监督管理局"}


def test_an_invalid_region_code_shows_an_error_not_everything(login, harbin_admin, staff):
    response = login(harbin_admin).get(LIST, {"region": "23xx"})
    assert "区划代码必须是 12 位数字" in response.content.decode()
    assert not response.context["object_list"]


def test_mobile_is_masked_in_the_list_and_export(login, harbin_admin, staff):
    target = staff["daoli_dept"]
    target.mobile_number = "13812345678"
    target.save()
    client = login(harbin_admin)
    html = client.get(LIST).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    export = client.get(LIST, {"export": "xlsx", "username": "daoli"})
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][4] == "手机号码" and rows[1][0] == "staff_daoli_dept" and rows[1][4] == "138****5678"


def test_list_query_count_does_not_grow_with_rows(login, harbin_admin, orgs, django_assert_max_num_queries):
    for n in range(25):
        user = StaffFactory(organisation=orgs["harbin_dept"], mobile_number=f"1391234{n:04d}")
        give(user, "identity.view_user", code=f"viewer{n}")
    client = login(harbin_admin)
    client.get(LIST)
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert len(response.context["object_list"]) == 20


def test_admin_edits_the_eight_fields_on_the_page(login, harbin_admin, staff, orgs):
    target = staff["daoli_dept"]
    role = give(staff["harbin_dept"], "identity.view_user", code="viewer")
    give(harbin_admin, "identity.view_user")
    response = login(harbin_admin).post(reverse("identity:user-edit", args=[target.pk]), {
        "organisation": orgs["harbin_dept"].pk, "full_name": "赵六", "email": "zl@hlj.gov.cn",
        "telephone": "0451-1234567", "mobile_number": "15012345678", "kind": "staff", "roles": [role.pk],
        "remarks": "已完善", "is_active": "on"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.organisation, target.full_name, target.email, target.telephone, target.mobile_number,
            target.remarks) == (orgs["harbin_dept"], "赵六", "zl@hlj.gov.cn", "0451-1234567", "15012345678", "已完善")
    assert list(target.roles.all()) == [role]


def test_edit_form_never_shows_the_plain_mobile(login, harbin_admin, staff):
    target = staff["daoli_dept"]
    target.mobile_number = "13812345678"
    target.save()
    html = login(harbin_admin).get(reverse("identity:user-edit", args=[target.pk])).content.decode()
    assert "138****5678" in html and "13812345678" not in html


def test_bad_mobile_on_the_page_shows_the_message_and_writes_nothing(login, harbin_admin, staff, orgs):
    target = staff["daoli_dept"]
    response = login(harbin_admin).post(reverse("identity:user-edit", args=[target.pk]), {
        "organisation": orgs["daoli_dept"].pk, "full_name": "新名字", "kind": "staff", "mobile_number": "1234",
        "is_active": "on"})
    assert response.status_code == 400
    assert "手机号码格式不正确" in response.content.decode()
    target.refresh_from_db()
    assert target.full_name != "新名字"


def test_create_page_creates_a_staff_user(login, harbin_admin, orgs):
    response = login(harbin_admin).post(reverse("identity:user-create"), {
        "username": "newbie", "password": "Hlj-Secure-2026", "organisation": orgs["harbin_dept"].pk,
        "full_name": "新人", "kind": "staff", "mobile_number": "13612345678"})
    assert response.status_code == 302
    assert User.objects.get(username="newbie").organisation == orgs["harbin_dept"]


@pytest.mark.parametrize("who,expected", [
    ("anonymous", 302), ("citizen", 403), ("other_region", 404), ("no_permission", 403), ("permitted", 302)])
def test_edit_authorisation_matrix(client, who, expected, staff, citizen, orgs, request):
    target = staff["daoli_dept"]
    actors = {"citizen": citizen, "no_permission": staff["harbin"]}
    if who == "other_region":
        actors[who] = request.getfixturevalue("qiqihar_admin")
    elif who == "permitted":
        actors[who] = request.getfixturevalue("harbin_admin")
    if who in actors:
        client.force_login(actors[who])
    url = reverse("identity:user-edit", args=[target.pk])
    response = client.post(url, {"organisation": orgs["daoli_dept"].pk, "full_name": "被改名", "kind": "staff",
                                 "is_active": "on"})
    assert response.status_code == expected
    target.refresh_from_db()
    assert (target.full_name == "被改名") is (who == "permitted")
    if who == "anonymous":
        assert reverse("portal:login") in response["Location"]


@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("citizen", 403), ("no_permission", 403)])
def test_list_is_closed_to_those_without_permission(client, who, expected, staff, citizen):
    if who != "anonymous":
        client.force_login(citizen if who == "citizen" else staff["harbin"])
    assert client.get(LIST).status_code == expected


def test_other_region_admin_sees_none_of_harbins_users(login, qiqihar_admin, staff):
    assert usernames(login(qiqihar_admin).get(LIST)) == {"staff_qiqihar"}
