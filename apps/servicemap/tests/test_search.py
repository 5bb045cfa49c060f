"""Smart search (MAP-1.2): suggestions, hall name, matter, address, theme tag, a question, nearest halls."""
from __future__ import annotations

import pytest

from apps.servicemap.models import HallConnection

pytestmark = pytest.mark.django_db


@pytest.mark.spec("MAP-1.2")
def test_typing_part_of_a_hall_name_offers_suggestions(client, halls, window_setup):
    found = client.get("/map/suggest/", {"q": "市民"}).json()["suggestions"]
    assert found[0]["label"] == "哈尔滨市市民大厦" and found[0]["kind"] == "hall"
    matters = client.get("/api/v1/servicemap/suggest/", {"q": "身份证"}).json()
    assert [s["label"] for s in matters] == ["居民身份证申领"]
    assert client.get("/map/suggest/", {"q": ""}).json()["suggestions"] == []


@pytest.mark.spec("MAP-1.2")
@pytest.mark.parametrize("query,expected", [
    ("居民身份证", "citizens"),        # matter
    ("学府路", None),                  # address (set below)
    ("不动产", "kaifaqu"),            # theme tag
    ("经济开发区", "kaifaqu"),         # hall name
])
def test_search_by_matter_address_theme_tag_and_name(client, halls, window_setup, query, expected):
    halls["nangang"].address = "哈尔滨市南岗区学府路54号"
    halls["nangang"].save()
    HallConnection.objects.create(hall=halls["kaifaqu"], theme_tags="不动产、项目审批")
    names = [h["name"] for h in client.get("/api/v1/servicemap/search/", {"q": query}).json()["halls"]]
    assert names == [halls[expected or "nangang"].name]


@pytest.mark.spec("MAP-1.2")
def test_a_question_is_split_into_region_and_matter(client, halls, window_setup):
    result = client.get("/api/v1/servicemap/search/", {"q": "哈尔滨哪里可以办身份证"}).json()
    assert [r["name"] for r in result["regions"]] == ["哈尔滨市"]
    assert result["terms"] == ["身份证"]
    assert [h["name"] for h in result["halls"]] == ["哈尔滨市市民大厦"]
    assert [m["name"] for m in result["matters"]] == ["居民身份证申领"]
    # the same matter asked for in another city finds nothing there
    assert client.get("/api/v1/servicemap/search/", {"q": "齐齐哈尔哪里可以办身份证"}).json()["halls"] == []
    page = client.get("/map/search/", {"q": "哈尔滨哪里可以办身份证"}).content.decode()
    assert "哈尔滨市市民大厦" in page and "识别结果" in page


@pytest.mark.spec("MAP-1.2")
def test_nearest_halls_to_a_point(client, halls):
    near = client.get("/api/v1/servicemap/nearest/", {"lng": "129.60", "lat": "44.56"}).json()
    assert near[0]["name"] == "牡丹江市政务服务中心" and near[0]["distance_km"] < 5
    assert near[0]["distance_km"] <= near[1]["distance_km"]
    bad = client.get("/api/v1/servicemap/nearest/", {"lng": "east", "lat": "44"})
    assert bad.status_code == 400 and "lng" in bad.json()["errors"]
    page = client.get("/map/search/", {"lng": "126.67", "lat": "45.75"}).content.decode()
    assert "离您最近的服务大厅" in page
