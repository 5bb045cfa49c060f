"""OPS-11.1: metric samples pushed by a collector through the API; a threshold met N times in a row
raises one alarm with an SMS, the next normal sample clears it; bad batches write nothing."""
import pytest

from apps.core.models import SmsMessage
from apps.core.tests.factories import grant
from apps.ops.models import Alert, MetricSample, MetricThreshold

pytestmark = pytest.mark.django_db
URL = "/api/v1/ops/metrics/"


def push(client, *values, target="db-01", metric="cpu_percent"):
    return client.post(URL, {"samples": [{"metric": metric, "target": target, "value": v} for v in values]},
                       content_type="application/json")


@pytest.mark.spec("OPS-11.1")
def test_threshold_met_three_times_in_a_row_raises_one_alarm_and_clears(client, ops_team):
    collector = grant(ops_team["manager"], "ops.add_metricsample")
    rule = MetricThreshold.objects.create(name="CPU过高", metric="cpu_percent", operator="gt", value=90,
                                          consecutive=3, severity="high")
    rule.recipients.add(ops_team["engineer"])
    client.force_login(collector)
    assert push(client, 95, 96).json()["alerts"] == []
    assert push(client, 50).status_code == 201                        # the run is broken
    assert push(client, 91, 97).json()["alerts"] == []
    response = push(client, 99)
    assert [a["title"] for a in response.json()["alerts"]] == ["CPU过高：db-01 cpu_percent=99"]
    assert push(client, 98).json()["alerts"] == []                    # still high: same alarm, counted
    alert = Alert.objects.get(origin="threshold")
    assert alert.count == 2 and alert.status == "open"
    assert SmsMessage.objects.filter(purpose="ops_alert", recipient=ops_team["engineer"]).count() == 1
    assert push(client, 99, target="db-02").json()["alerts"] == []    # another target has its own run
    push(client, 40)
    alert.refresh_from_db()
    assert alert.status == "closed"


@pytest.mark.spec("OPS-11.1")
def test_bad_samples_and_missing_permission_write_nothing(client, ops_team):
    client.force_login(grant(ops_team["manager"], "ops.add_metricsample"))
    assert push(client, "abc").status_code == 400
    assert client.post(URL, {"samples": []}, content_type="application/json").status_code == 400
    assert client.post(URL, {"samples": [{"metric": "cpu", "target": "x", "value": 1},
                                         {"metric": "", "target": "x", "value": 1}]},
                       content_type="application/json").status_code == 400
    assert not MetricSample.objects.exists()
    client.force_login(ops_team["engineer"])
    assert push(client, 1).status_code == 403
    assert not MetricSample.objects.exists()


@pytest.mark.spec("OPS-11.1", "OPS-3.12")
def test_a_cleared_alarm_that_recurs_opens_a_new_alert_not_first_seen_today(client, ops_team):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    client.force_login(grant(ops_team["manager"], "ops.add_metricsample"))
    MetricThreshold.objects.create(name="磁盘将满", metric="disk_percent", operator="gte", value=95, consecutive=1)
    push(client, 96, metric="disk_percent")
    push(client, 60, metric="disk_percent")
    first = Alert.objects.get()
    assert first.status == "closed"
    Alert.objects.filter(pk=first.pk).update(first_seen_at=timezone.now() - timedelta(days=1),
                                             created_at=timezone.now() - timedelta(days=1))
    assert len(push(client, 97, metric="disk_percent").json()["alerts"]) == 1
    assert Alert.objects.filter(fingerprint=first.fingerprint).count() == 2
    today_new = client.get(reverse("ops:alerts"), {"quick": "today_new"}).content.decode()
    first_seen = client.get(reverse("ops:alerts"), {"quick": "today_first_seen"}).content.decode()
    assert "磁盘将满：db-01 disk_percent=97" in today_new
    assert "磁盘将满" not in first_seen                       # the same fault was already seen yesterday
    # searching by address or by text never breaks on input that is not an address
    assert client.get(reverse("ops:alerts"), {"q": "abc"}).status_code == 200
    assert client.get(reverse("ops:alerts"), {"q": "::1"}).status_code == 200
