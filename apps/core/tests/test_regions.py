"""PORTAL-8.1 region information: the real Heilongjiang tree, the region page, the API, bad input."""
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from apps.core.models import Region, RegionLevel
from apps.core.services.regions import region_create
from apps.core.tests.factories import grant

pytestmark = pytest.mark.django_db

CITIES = {"230100": "哈尔滨市", "230200": "齐齐哈尔市", "230300": "鸡西市", "230400": "鹤岗市", "230500": "双鸭山市",
          "230600": "大庆市", "230700": "伊春市", "230800": "佳木斯市", "230900": "七台河市", "231000": "牡丹江市",
          "231100": "黑河市", "231200": "绥化市", "232700": "大兴安岭地区"}
COUNTIES_PER_CITY = {"230100": 18, "230200": 16, "230300": 9, "230400": 8, "230500": 8, "230600": 9, "230700": 10,
                     "230800": 10, "230900": 4, "231000": 10, "231100": 6, "231200": 10, "232700": 3}


@pytest.fixture
def province(db):
    call_command("load_regions", stdout=open("/dev/null", "w"))
    return Region.objects.get(code="230000000000")


@pytest.mark.spec("PORTAL-8.1")
def test_fixture_holds_the_real_province_13_cities_and_121_counties(province):
    cities = {r.code[:6]: r.name for r in Region.objects.filter(level=RegionLevel.CITY)}
    assert cities == CITIES
    for city, count in COUNTIES_PER_CITY.items():
        assert Region.objects.filter(parent_id=city + "000000").count() == count, city
    types = {t: Region.objects.filter(region_type=t).count() for t in ("市辖区", "县", "县级市", "自治县")}
    assert types == {"市辖区": 54, "县": 45, "县级市": 21, "自治县": 1}
    assert Region.objects.get(code="232700000000").region_type == "地区"


@pytest.mark.spec("PORTAL-8.1")
def test_fixture_applies_the_changes_since_the_2017_source(province):
    current = {"230717": "伊美区", "230718": "乌翠区", "230719": "友好区", "230751": "金林区", "230723": "汤旺县",
               "230724": "丰林县", "230725": "大箐山县", "230726": "南岔县", "232701": "漠河市", "231183": "嫩江市"}
    for code, name in current.items():
        assert Region.objects.get(code=code + "000000").name == name
    gone = ["230702", "230703", "230716", "232723", "231121"]   # 伊春区, 南岔区, 上甘岭区, 漠河县, 嫩江县
    assert not Region.objects.filter(code__in=[c + "000000" for c in gone]).exists()
    assert not Region.objects.filter(name="市辖区").exists()


def test_load_regions_is_idempotent(province, capsys):
    before = list(Region.objects.values_list("code", "name", "region_type", "parent_id"))
    call_command("load_regions")
    assert "新增 0，更新 0，未变 135" in capsys.readouterr().out
    assert list(Region.objects.values_list("code", "name", "region_type", "parent_id")) == before


def test_load_regions_refuses_a_bad_file_and_writes_nothing(tmp_path, db):
    bad = tmp_path / "regions.json"
    bad.write_text(json.dumps({"regions": [
        {"code": "230000000000", "name": "黑龙江省", "region_type": "省"},
        {"code": "239900000000", "name": "无上级", "region_type": "地级市"},
        {"code": "23019900000", "name": "十一位", "region_type": "县"},
    ]}), encoding="utf-8")
    with pytest.raises(CommandError, match="12 位数字"):
        call_command("load_regions", path=str(bad))
    assert not Region.objects.exists()


@pytest.mark.spec("PORTAL-8.1")
@pytest.mark.parametrize("code, message", [
    ("2301", "12 位数字"),                     # not 12 digits
    ("23010200000A", "12 位数字"),
    ("230102000001", "缺少乡镇段"),             # village segment without a township
    ("230000001000", "缺少区县段"),             # township segment without a county
    ("230199000000", "上级区划 230100000000 不存在"),  # parent missing (Harbin not loaded)
    ("230000000000", "已存在"),                # duplicate
])
def test_region_create_refuses_bad_codes_with_a_clear_message(db, code, message):
    Region.objects.create(code="230000000000", name="黑龙江省")
    with pytest.raises(ValidationError) as excinfo:
        region_create(code=code, name="新区划", region_type="县")
    assert message in " ".join(excinfo.value.messages)
    assert Region.objects.count() == 1


def test_region_create_derives_level_prefix_and_parent(province):
    region = region_create(code="230102001000", name="兆麟街道", region_type="乡镇街道")
    assert (region.level, region.prefix, region.parent_id) == (RegionLevel.TOWNSHIP, "230102001", "230102000000")


def test_prefix_columns_have_pattern_ops_indexes(db):
    """LIKE 'prefix%' on region codes is indexed even outside the C collation."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE indexdef LIKE '%%varchar_pattern_ops%%'")
        defs = cursor.fetchall()
    assert any(t == "core_region" and "(code varchar_pattern_ops)" in d for t, d in defs)
    assert any(t == "core_organisation" and "(region_id varchar_pattern_ops)" in d for t, d in defs)
    assert any(t == "core_organisation" and "(tree_path varchar_pattern_ops)" in d for t, d in defs)


@pytest.fixture
def viewer(staff):
    return grant(staff["qiqihar"], "core.view_region")


@pytest.mark.spec("PORTAL-8.1")
def test_region_page_shows_the_tree_and_a_nodes_children(province, viewer, client, django_assert_max_num_queries):
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:region-list"), {"parent": "230100000000"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<details open>" in page and 'aria-current="page"' in page     # Harbin's branch is open and marked
    assert "大兴安岭地区" in page and "漠河市" in page                          # the whole tree, server-rendered
    rows = list(response.context["object_list"])
    assert [r.code for r in rows][:3] == ["230102000000", "230103000000", "230104000000"]
    assert len(rows) == 18 and {r.parent_id for r in rows} == {"230100000000"}
    assert "市辖区" in page and "县级市" in page


@pytest.mark.spec("PORTAL-8.1")
def test_region_page_queries_by_code_name_and_status(province, viewer, client):
    Region.objects.filter(code="230184000000").update(is_enabled=False)
    client.force_login(viewer)
    names = lambda **q: [r.name for r in client.get(reverse("core:region-list"), q).context["object_list"]]  # noqa: E731
    assert names(name="漠河") == ["漠河市"]
    assert names(code="2327") == ["大兴安岭地区", "漠河市", "呼玛县", "塔河县"]
    assert names(is_enabled="False") == ["五常市"]
    response = client.get(reverse("core:region-list"), {"parent": "230700000000", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_region_page_needs_the_view_permission(province, staff, client, citizen):
    client.force_login(staff["qiqihar"])
    assert client.get(reverse("core:region-list")).status_code == 403
    client.force_login(citizen)
    assert client.get(reverse("core:region-list")).status_code == 403


@pytest.mark.spec("PORTAL-8.1")
def test_region_api_lists_filters_and_returns_children(province, viewer, client, django_assert_max_num_queries):
    client.force_login(viewer)
    with django_assert_max_num_queries(8):
        data = client.get("/api/v1/core/regions/", {"level": 2, "page_size": 50}).json()
    assert data["count"] == 13
    detail = client.get("/api/v1/core/regions/232701000000/").json()
    assert detail == {"code": "232701000000", "name": "漠河市", "level": 3, "level_display": "区县",
                      "region_type": "县级市", "parent_code": "232700000000", "is_enabled": True}
    children = client.get("/api/v1/core/regions/230700000000/children/").json()
    assert [c["name"] for c in children["results"]][:3] == ["伊美区", "乌翠区", "友好区"]
    assert client.get("/api/v1/core/regions/", {"name": "伊美"}).json()["count"] == 1
    assert client.get("/api/v1/core/regions/999999999999/").status_code == 404
