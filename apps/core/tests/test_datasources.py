"""PORTAL-7.9 data-source codes: one per city and per provincial department, admin-managed."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import DataSourceCode
from apps.core.services.datasources import data_source_code_create, data_source_code_update
from apps.core.tests.factories import OrganisationFactory, grant

pytestmark = pytest.mark.django_db
MANAGE = ("core.view_datasourcecode", "core.add_datasourcecode", "core.change_datasourcecode",
          "core.delete_datasourcecode")


@pytest.fixture
def admin_user(staff):
    return grant(staff["province"], *MANAGE)


@pytest.fixture
def provincial_department(regions):
    return OrganisationFactory(name="黑龙江省市场监督管理局", region=regions["230000000000"])


@pytest.mark.spec("PORTAL-7.9")
def test_admin_assigns_codes_to_a_city_and_a_provincial_department(admin_user, regions, provincial_department,
                                                                   client):
    client.force_login(admin_user)
    response = client.post(reverse("core:datasource-create"), {"code": "hlj-2301", "name": "哈尔滨市",
                                                                "region": "230100000000", "is_enabled": "on"})
    assert response.status_code == 302
    response = client.post("/api/v1/core/data-sources/", {"code": "HLJ-SJ-SCJG", "name": "省市场监管局",
                                                           "organisation": provincial_department.pk},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["owner_name"] == "黑龙江省市场监督管理局"
    page = client.get(reverse("core:datasource-list")).content.decode()
    assert "HLJ-2301" in page and "HLJ-SJ-SCJG" in page and "省直部门" in page


@pytest.mark.spec("PORTAL-7.9")
@pytest.mark.parametrize("kwargs, field, message", [
    ({"code": "X-1", "name": "无归属"}, "region", "只能属于一个"),
    ({"code": "X-2", "name": "两个归属", "region": "230100000000", "organisation": "dept"}, "region", "只能属于一个"),
    ({"code": "X-3", "name": "区县", "region": "230102000000"}, "region", "不是市（地）级"),
    ({"code": "X-4", "name": "市级部门", "organisation": "harbin_dept"}, "organisation", "不是省直部门"),
    ({"code": "坏 代码", "name": "哈尔滨", "region": "230100000000"}, "code", "大写字母"),
    ({"code": "DUP", "name": "重复代码", "region": "230200000000"}, "code", "已存在"),
    ({"code": "X-5", "name": "同城第二个", "region": "230100000000"}, "region", "已配置数据来源代码 DUP"),
])
def test_bad_input_is_refused_and_nothing_written(admin_user, regions, orgs, provincial_department, kwargs, field,
                                                  message):
    data_source_code_create(code="DUP", name="哈尔滨市", region=regions["230100000000"], actor=admin_user)
    lookup = {"dept": provincial_department, "harbin_dept": orgs["harbin_dept"]}
    kwargs = {k: regions.get(v, lookup.get(v, v)) if k in ("region", "organisation") else v
              for k, v in kwargs.items()}
    with pytest.raises(ValidationError) as excinfo:
        data_source_code_create(actor=admin_user, **kwargs)
    assert message in " ".join(excinfo.value.message_dict[field])
    assert DataSourceCode.objects.count() == 1


def test_database_refuses_a_row_with_two_owners(regions, provincial_department):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DataSourceCode.objects.create(code="RAW", name="x", region=regions["230100000000"],
                                      organisation=provincial_department, scope_region=regions["230100000000"])


def test_owner_can_move_from_city_to_department(admin_user, regions, provincial_department):
    code = data_source_code_create(code="A1", name="a", region=regions["230100000000"], actor=admin_user)
    data_source_code_update(data_source=code, region=None, organisation=provincial_department, actor=admin_user)
    code.refresh_from_db()
    assert code.organisation == provincial_department and code.scope_region_id == "230000000000"


@pytest.mark.spec("PORTAL-7.9")
def test_only_admins_manage_codes_and_cities_see_their_own(admin_user, staff, regions, client):
    data_source_code_create(code="HLJ-2301", name="哈尔滨市", region=regions["230100000000"], actor=admin_user)
    data_source_code_create(code="HLJ-2302", name="齐齐哈尔市", region=regions["230200000000"], actor=admin_user)
    clerk = grant(staff["harbin_dept"], "core.view_datasourcecode")
    with pytest.raises(PermissionDenied):
        data_source_code_create(code="X", name="x", region=regions["230100000000"], actor=clerk)
    client.force_login(clerk)
    assert client.get(reverse("core:datasource-create")).status_code == 403
    assert client.post("/api/v1/core/data-sources/", {"code": "Y", "name": "y", "region": "230100000000"},
                       content_type="application/json").status_code == 403
    harbin = grant(staff["harbin"], "core.view_datasourcecode")
    client.force_login(harbin)
    assert [d["code"] for d in client.get("/api/v1/core/data-sources/").json()["results"]] == ["HLJ-2301"]
