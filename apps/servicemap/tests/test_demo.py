"""The demo province (make run) shows the tender's example: Nangang's three halls as one "3"."""
import pytest

from apps.core.services.regions import regions_load
from apps.servicemap.selectors import theme_markers

pytestmark = pytest.mark.django_db


@pytest.mark.spec("MAP-2.1", "MAP-0.1")
def test_demo_halls_cluster_as_in_the_tender(orgs):
    from apps.portal.demo.servicemap import build_servicemap

    regions_load()
    assert build_servicemap(log=lambda *_: None) == 13
    assert build_servicemap(log=lambda *_: None) == 0              # idempotent
    markers = theme_markers(theme=None, region=None, zoom=6)
    clusters = sorted(m["count"] for m in markers if m["kind"] == "cluster")
    assert clusters == [2, 2, 3]      # Nangang's three; 木兰镇 with its village; 牡丹江 with 阳明区
    nangang = [m for m in markers if m["kind"] == "cluster" and m["count"] == 3]
    names = {m["name"] for m in theme_markers(theme=None, region=None, zoom=nangang[0]["expand_zoom"])
             if m["kind"] == "point"}
    assert {"哈尔滨市市民大厦", "哈尔滨市南岗区政务服务中心", "哈尔滨市经济开发区政务服务大厅"} <= names
