"""ANA-1.1.a/g collection: the portal and the 全省事 app report visit counts through the ingest API."""
import pytest
from django.test import Client
from django.utils import timezone

from apps.analytics.models import DataLog, VisitBatch, VisitCount
from apps.analytics.services.embed import embed_client_register

pytestmark = pytest.mark.django_db


@pytest.fixture
def app_key(ana_admin, orgs):
    _client, key = embed_client_register(actor=ana_admin, name="全省事APP", kind="third_party",
                                         origin="https://app.hlj.gov.cn", region=orgs["province"].region,
                                         allowed_charts=[], may_report_visits=True, visit_channel="app")
    return key


def post(key, body):
    return Client().post("/api/v1/analytics/visits/", body, content_type="application/json", HTTP_X_EMBED_KEY=key)


@pytest.mark.spec("ANA-1.1.a")
def test_a_batch_is_counted_once(app_key, regions):
    today = timezone.localdate().isoformat()
    body = {"batch_id": "2026-11-30-01", "rows": [{"day": today, "matter_code": "X1", "region": "230100000000",
                                                   "count": 3},
                                                  {"day": today, "matter_code": "X1", "region": "230100000000",
                                                   "count": 4}]}
    first = post(app_key, body)
    assert first.status_code == 201 and first.json() == {"batch_id": "2026-11-30-01", "created": True, "rows": 1,
                                                         "visits": 7}
    again = post(app_key, body)
    assert again.status_code == 200 and again.json()["created"] is False
    assert VisitCount.objects.get().count == 7
    assert DataLog.objects.filter(kind="deduplication", summary__contains="2026-11-30-01").count() == 1
    post(app_key, {**body, "batch_id": "2026-11-30-02"})
    assert VisitCount.objects.get().count == 14


@pytest.mark.spec("ANA-1.1.a")
def test_bad_batches_are_refused_and_write_nothing(app_key, ana_admin, orgs):
    today = timezone.localdate().isoformat()
    bad = post(app_key, {"batch_id": "b", "rows": [{"day": today, "count": 1},
                                                   {"day": "2999-01-01", "count": -1}]})
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"rows[1].day"}
    outside = post(app_key, {"batch_id": "b", "rows": [{"day": today, "count": 1, "region": "110000000000"}]})
    assert outside.status_code == 400 and "rows[0].region" in outside.json()["errors"]
    assert post("ana_wrong", {"batch_id": "b", "rows": [{"day": today, "count": 1}]}).status_code == 401
    _c, viewer_key = embed_client_register(actor=ana_admin, name="门户", kind="portal", origin="https://a.cn",
                                           region=orgs["province"].region, allowed_charts=["2.1"])
    assert post(viewer_key, {"batch_id": "b", "rows": [{"day": today, "count": 1}]}).status_code == 403
    assert not VisitCount.objects.exists() and not VisitBatch.objects.exists()
