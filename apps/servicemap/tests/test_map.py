"""The public map (MAP-1.1 – 1.6, 2.1 – 2.5) as a visitor meets it: pages and the JSON the map draws."""
from __future__ import annotations

import json

import pytest

from apps.acceptance.models import Window, WindowMatter
from apps.acceptance.services.halls import reference_save
from apps.acceptance.tests import factories as af
from apps.servicemap.models import PointOfInterest, Theme

pytestmark = pytest.mark.django_db


def markers(client, zoom, **params):
    response = client.get("/api/v1/servicemap/markers/", {"zoom": zoom, **params})
    assert response.status_code == 200
    return response.json()["markers"]


@pytest.mark.spec("MAP-2.1")
def test_province_zoom_shows_nangang_as_one_cluster_of_three_and_zooming_in_splits_it(client, halls):
    at_province = markers(client, 6)
    clusters = [m for m in at_province if m["kind"] == "cluster"]
    nangang = [c for c in clusters if halls["nangang"].pk in c["ids"]]
    assert len(nangang) == 1 and nangang[0]["count"] == 3
    assert set(nangang[0]["ids"]) == {halls["citizens"].pk, halls["nangang"].pk, halls["kaifaqu"].pk}
    # the province centre stands in Nangang too but is province level: its own marker, not a 4th member
    assert any(m["kind"] == "point" and m["id"] == halls["province"].pk for m in at_province)
    # clicking the cluster zooms to where it splits: three separate hall markers
    zoom = nangang[0]["expand_zoom"]
    assert 7 <= zoom <= 14
    split = markers(client, zoom)
    ids = {m["id"] for m in split if m["kind"] == "point"}
    assert {halls["citizens"].pk, halls["nangang"].pk, halls["kaifaqu"].pk} <= ids
    assert not any(m["kind"] == "cluster" and halls["nangang"].pk in m["ids"] for m in split)


@pytest.mark.spec("MAP-2.1")
def test_markers_reject_nonsense_zoom_without_error(client, halls):
    assert markers(client, "abc") == markers(client, 6)
    assert markers(client, 99) == markers(client, 18)


@pytest.mark.spec("MAP-1.3", "MAP-2.4", "MAP-1.4")
@pytest.mark.parametrize("code,expected", [
    ("230000000000", {"province"}), ("230100000000", {"citizens"}), ("230103000000", {"nangang", "kaifaqu"}),
    ("230103001000", {"street"}), ("230103001001", {"community"}),
])
def test_each_of_the_five_region_levels_lists_exactly_its_halls(client, halls, code, expected):
    page = client.get("/map/", {"region": code})
    assert page.status_code == 200
    listed = {h.pk for h in page.context["nav"]["halls"]}
    assert listed == {halls[key].pk for key in expected}
    api = client.get(f"/api/v1/servicemap/regions/{code}/").json()
    assert {h["id"] for h in api["halls"]} == listed
    assert [r["code"] for r in api["path"]][-1] == code
    card = api["halls"][0]       # MAP-1.4: name, thumbnail, location, phone, map position, route
    assert {"name", "thumbnail", "address", "telephone", "longitude", "latitude", "url"} <= set(card)
    html = page.content.decode()
    assert "在地图上查看" in html and halls[sorted(expected)[0]].name in html


@pytest.mark.spec("MAP-1.3")
def test_unknown_region_is_404(client, halls):
    assert client.get("/map/", {"region": "239999000000"}).status_code == 404
    assert client.get("/api/v1/servicemap/regions/239999000000/").status_code == 404


@pytest.mark.spec("MAP-2.3")
def test_map_opens_on_the_city_of_the_ip_passed_by_the_channel(client, halls, ip_table):
    mudanjiang = client.get("/map/", {"ip": "222.171.5.9"})
    assert mudanjiang.context["nav"]["region"].name == "牡丹江市"
    assert "已根据您的网络位置定位到：牡丹江市" in mudanjiang.content.decode()
    state = mudanjiang.context["map_state"]
    assert state["focus"] and abs(state["centre"]["lng"] - 129.633) < 0.01
    harbin = client.get("/map/", {"ip": "221.208.1.2"})
    assert harbin.context["nav"]["region"].name == "哈尔滨市"
    ipv6 = client.get("/api/v1/servicemap/locate/", {"ip": "240e:3a0:1::5"}).json()
    assert ipv6["region"]["name"] == "哈尔滨市"


@pytest.mark.spec("MAP-2.3")
def test_forwarded_address_is_believed_only_from_a_trusted_proxy(client, halls, ip_table):
    # behind the loopback reverse proxy (trusted by default) the real client address is used
    trusted = client.get("/map/", HTTP_X_FORWARDED_FOR="222.171.0.8", REMOTE_ADDR="127.0.0.1")
    assert trusted.context["nav"]["region"].name == "牡丹江市"
    # a client on the internet cannot pretend to be elsewhere with the header
    forged = client.get("/map/", HTTP_X_FORWARDED_FOR="222.171.0.8", REMOTE_ADDR="221.208.9.9")
    assert forged.context["nav"]["region"].name == "哈尔滨市"
    unknown = client.get("/api/v1/servicemap/locate/", {"ip": "8.8.8.8"}).json()
    assert unknown["region"] is None
    garbage = client.get("/api/v1/servicemap/locate/", {"ip": "not-an-ip"}).json()
    assert garbage["region"] is None


@pytest.mark.spec("MAP-2.5")
def test_theme_browsing_shows_the_places_of_the_chosen_theme(client, halls, map_regions):
    medical = Theme.objects.get(code="medical")
    PointOfInterest.objects.create(theme=medical, name="哈医大一院", region=map_regions["230103000000"],
                                   longitude="126.6358", latitude="45.7610")
    found = markers(client, 14, theme="medical")
    assert [m["name"] for m in found] == ["哈医大一院"]
    assert all(m.get("poi") for m in found)
    page = client.get("/map/", {"theme": "medical"})
    assert page.status_code == 200
    assert [t.name for t in page.context["themes"]] == ["办事大厅", "交通管控", "医疗卫生", "教育资源"]
    assert {m.get("id") for m in markers(client, 14, theme="halls") if m["kind"] == "point"} >= {halls["nangang"].pk}


@pytest.mark.spec("MAP-1.1", "MAP-2.2")
def test_map_page_is_accessible_and_has_one_info_window(client, halls):
    html = client.get("/map/").content.decode()
    assert 'role="search"' in html and 'aria-label="区划导航"' in html and 'aria-label="服务主题"' in html
    assert html.count('id="map-info"') == 1 and 'role="dialog"' in html
    assert 'lang="zh-hans"' in html
    state = json.loads(html.split('id="map-state" type="application/json">')[1].split("</script>")[0])
    assert state["zoom"] == 6 and state["markers"]


@pytest.mark.spec("MAP-1.5")
def test_hall_page_shows_every_field_of_a_populated_hall(client, halls, window_setup):
    hall = window_setup["hall"]
    hall.introduction, hall.floor_area = "市民大厦集中办理各类政务服务。", 12000
    hall.floor_info, hall.resident_units = "1F 综合受理区\n3F 户政区", "哈尔滨市公安局\n国网哈尔滨供电公司"
    hall.save()
    response = client.get(f"/map/halls/{hall.pk}/")
    html = response.content.decode()
    for text in ("市民大厦集中办理各类政务服务。", "12000", "1F 综合受理区", "3F 户政区", "哈尔滨市公安局",
                 "国网哈尔滨供电公司", hall.address, hall.opening_hours, "0451-86660000", "居民身份证申领", "01号",
                 "1号 综合受理窗口"):
        assert text in html, text
    assert response.context["windows"][0].matter_count == 1 and len(response.context["staff"]) == 1
    assert client.get("/map/halls/999999/").status_code == 404


@pytest.mark.spec("MAP-1.5")
def test_hall_page_query_count_does_not_grow_with_windows(client, halls, window_setup, django_assert_max_num_queries):
    hall = window_setup["hall"]
    client.get(f"/map/halls/{hall.pk}/")
    for n in range(2, 8):
        window = Window.objects.create(hall=hall, window_number=str(n), name=f"窗口{n}")
        WindowMatter.objects.create(window=window, matter=window_setup["matter"])
    with django_assert_max_num_queries(12):
        assert client.get(f"/map/halls/{hall.pk}/").status_code == 200


@pytest.mark.spec("MAP-1.6", "MAP-3.1", "MAP-3.3")
def test_window_page_shows_a_back_office_change_at_once(client, halls, window_setup, orgs):
    window = window_setup["window"]
    html = client.get(f"/map/windows/{window.pk}/").content.decode()
    for text in ("1F", "A区", "1F A区1号窗口", "居民身份证申领", "01号", "人正在排队", "个可预约时段", "条咨询", "条评价"):
        assert text in html, text
    admin = af.manager(orgs["harbin_dept"], "map_hall_admin")
    new_matter = af.matter(orgs["harbin_dept"], "户口迁移")
    reference_save(instance=WindowMatter(window=window, matter=new_matter), actor=admin,
                   permission="acceptance.add_windowmatter")
    assert "户口迁移" in client.get(f"/map/windows/{window.pk}/").content.decode()   # no publish step
    assert client.get(f"/api/v1/servicemap/windows/{window.pk}/").json()["matters"][1]["name"] == "户口迁移"


@pytest.mark.spec("MAP-1.7.4", "MAP-6.7")
def test_window_guide_link_opens_the_matter_guide(client, halls, window_setup):
    matter = window_setup["matter"]
    html = client.get(f"/map/windows/{window_setup['window'].pk}/").content.decode()
    assert f'href="/matters/{matter.pk}/"' in html
    guide = client.get(f"/matters/{matter.pk}/")
    assert guide.status_code == 200 and "居民身份证申领" in guide.content.decode()


@pytest.mark.spec("MAP-1.3", "MAP-2.1", "MAP-1.2")
def test_public_lists_keep_a_fixed_query_count_as_halls_grow(client, halls, orgs, map_regions):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.servicemap.tests.conftest import make_hall

    urls = ["/api/v1/servicemap/regions/230103000000/", "/api/v1/servicemap/markers/?zoom=12",
            "/api/v1/servicemap/search/?q=南岗", "/map/?region=230103000000"]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as before:
            assert client.get(url).status_code == 200
        counts[url] = len(before)
    for n in range(6):
        make_hall(orgs["harbin_dept"], f"南岗第{n}便民服务站", map_regions["230103000000"], f"126.{60 + n}", "45.70")
    for url in urls:
        with CaptureQueriesContext(connection) as after:
            client.get(url)
        assert len(after) == counts[url], url
    assert len(client.get(urls[0]).json()["halls"]) == 8
