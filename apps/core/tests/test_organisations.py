"""PORTAL-8.2 organisation view: tree-driven scoped list, detail, API, create/edit with USCC checks."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import Organisation
from apps.core.services.organisations import organisation_create, organisation_update
from apps.core.tests.factories import OrganisationFactory, grant, next_credit_code
from apps.core.validators import make_credit_code

pytestmark = pytest.mark.django_db
API = "/api/v1/core/organisations/"


@pytest.fixture
def harbin_viewer(staff):
    return grant(staff["harbin"], "core.view_organisation", "core.view_region")


@pytest.fixture
def admin_user(staff):
    return grant(staff["province"], "core.view_organisation", "core.add_organisation", "core.change_organisation")


@pytest.mark.spec("PORTAL-8.2")
def test_selecting_a_region_lists_its_organisations_with_the_tender_columns(harbin_viewer, orgs, client,
                                                                           django_assert_max_num_queries):
    client.force_login(harbin_viewer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("core:organisation-list"), {"region": "230102000000"})
    assert [o.name for o in response.context["object_list"]] == ["道里区市场监督管理局"]
    page = response.content.decode()
    for header in ("区划名称", "区划代码", "机构名称", "统一社会信用代码", "部门简称", "上级区划代码"):
        assert header in page
    assert orgs["daoli_dept"].credit_code in page and "230100000000" in page   # parent region code of 道里区
    assert 'aria-current="page"' in page                                       # the tree marks the selection


@pytest.mark.spec("PORTAL-8.2")
def test_another_citys_staff_sees_nothing_of_harbin(staff, orgs, client):
    viewer = grant(staff["qiqihar"], "core.view_organisation")
    client.force_login(viewer)
    response = client.get(reverse("core:organisation-list"), {"region": "230100000000"})
    assert list(response.context["object_list"]) == []
    assert client.get(reverse("core:organisation-detail", args=[orgs["harbin"].pk])).status_code == 404
    assert client.get(f"{API}{orgs['harbin'].pk}/").status_code == 404
    assert [o["name"] for o in client.get(API).json()["results"]] == ["齐齐哈尔市营商环境建设监督局"]


@pytest.mark.spec("PORTAL-8.2")
def test_detail_page_shows_the_organisation_and_its_children(harbin_viewer, orgs, client):
    client.force_login(harbin_viewer)
    page = client.get(reverse("core:organisation-detail", args=[orgs["harbin_dept"].pk])).content.decode()
    assert "哈尔滨市市场监督管理局" in page and "道里区市场监督管理局" in page and orgs["harbin_dept"].credit_code in page


@pytest.mark.spec("PORTAL-8.2")
def test_organisation_api_is_scoped_and_has_no_n_plus_one(harbin_viewer, orgs, regions, client,
                                                          django_assert_max_num_queries):
    client.force_login(harbin_viewer)
    for _ in range(30):
        OrganisationFactory(region=regions["230103000000"], parent=orgs["harbin"])
    # session, user, role codes, organisation, region, 2× permissions, count, page — never per row
    with django_assert_max_num_queries(9):
        data = client.get(API, {"page_size": 100}).json()
    assert data["count"] == 33
    row = next(r for r in data["results"] if r["name"] == "道里区市场监督管理局")
    assert row["region"] == "230102000000" and row["region_name"] == "道里区"
    assert row["parent_region_code"] == "230100000000" and row["parent_name"] == "哈尔滨市市场监督管理局"
    assert client.get(API, {"within": "230100000000"}).json()["count"] == 33
    assert client.get(API, {"region": "230102000000"}).json()["count"] == 1
    assert client.get(API, {"name": "市场监督"}).json()["count"] == 2


@pytest.mark.spec("PORTAL-8.2")
@pytest.mark.parametrize("code, message", [
    ("91230100MA1B2C3D4", "18 位"),
    ("91230100MA1B2C3D4I", "不允许的字符"),
    (make_credit_code("1", "1", "230100", "000000001")[:-1]
     + ("0" if make_credit_code("1", "1", "230100", "000000001")[-1] != "0" else "1"), "校验位错误"),
])
def test_invalid_credit_code_is_refused_and_nothing_written(admin_user, regions, code, message):
    count = Organisation.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        organisation_create(name="哈尔滨市新设局", credit_code=code, region=regions["230100000000"], actor=admin_user)
    assert message in " ".join(excinfo.value.message_dict["credit_code"])
    assert Organisation.objects.count() == count


def test_duplicate_credit_code_is_refused_through_the_api(admin_user, orgs, client):
    client.force_login(admin_user)
    count = Organisation.objects.count()
    response = client.post(API, {"name": "重复局", "credit_code": orgs["harbin"].credit_code.lower(),
                                 "region": "230100000000"}, content_type="application/json")
    assert response.status_code == 400
    assert "已被机构“哈尔滨市营商环境建设监督局”使用" in response.json()["errors"]["credit_code"][0]
    assert Organisation.objects.count() == count


def test_admin_creates_an_organisation_with_a_normalised_credit_code(admin_user, orgs, client):
    client.force_login(admin_user)
    code = next_credit_code("230103")
    response = client.post(reverse("core:organisation-create"), {
        "name": "南岗区行政审批局", "short_name": "南岗审批局", "credit_code": f" {code.lower()} ",
        "region": "230103000000", "parent": orgs["harbin"].pk, "kind": "department", "is_enabled": "on"})
    created = Organisation.objects.get(name="南岗区行政审批局")
    assert response.status_code == 302 and created.credit_code == code
    assert created.tree_path == f"{orgs['harbin'].tree_path}{created.pk}/"


def test_department_staff_cannot_create_organisations(staff, regions, client):
    clerk = grant(staff["daoli_dept"], "core.view_organisation")
    with pytest.raises(PermissionDenied):
        organisation_create(name="x局", credit_code=next_credit_code(), region=regions["230102000000"], actor=clerk)
    client.force_login(clerk)
    assert client.get(reverse("core:organisation-create")).status_code == 403


def test_city_admin_cannot_create_in_another_city(staff, regions):
    harbin_admin = grant(staff["harbin"], "core.add_organisation")
    with pytest.raises(PermissionDenied):
        organisation_create(name="龙沙区某局", credit_code=next_credit_code(), region=regions["230202000000"],
                            actor=harbin_admin)


def test_moving_an_organisation_rewrites_descendant_tree_paths(admin_user, orgs, regions):
    grandchild = OrganisationFactory(region=regions["230102000000"], parent=orgs["daoli_dept"])
    organisation_update(organisation=orgs["harbin_dept"], parent=orgs["harbin"], actor=admin_user)
    orgs["daoli_dept"].refresh_from_db()
    grandchild.refresh_from_db()
    base = f"{orgs['harbin'].tree_path}{orgs['harbin_dept'].pk}/"
    assert orgs["daoli_dept"].tree_path == f"{base}{orgs['daoli_dept'].pk}/"
    assert grandchild.tree_path == f"{base}{orgs['daoli_dept'].pk}/{grandchild.pk}/"


def test_an_organisation_cannot_move_under_its_own_descendant(admin_user, orgs):
    with pytest.raises(ValidationError, match="下级机构"):
        organisation_update(organisation=orgs["harbin_dept"], parent=orgs["daoli_dept"], actor=admin_user)
    orgs["harbin_dept"].refresh_from_db()
    assert orgs["harbin_dept"].parent_id is None


def test_parent_must_cover_the_region(admin_user, orgs, regions):
    with pytest.raises(ValidationError, match="区划不包含"):
        organisation_create(name="龙沙区某局", credit_code=next_credit_code("230202"), region=regions["230202000000"],
                            parent=orgs["harbin"], actor=admin_user)


def test_region_prefix_filter_uses_an_index(orgs, staff):
    """The scoped list's LIKE 'prefix%' on region_id can use the varchar_pattern_ops index."""
    from django.db import connection

    from apps.core.scope import restrict

    queryset = restrict(Organisation.objects.all(), staff["harbin"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "region_id" in plan and "Index" in plan, plan
