"""Polling monitor, anomalies and interface exception analysis (APP-7, APP-5.6, APP-6.2, APP-3.9)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core.models import OutboxMessage, SmsMessage
from apps.mobile.models import AnomalyStatus, AppAnomaly, InterfaceLog, ListingMode, ListingStatus
from apps.mobile.services import apps as app_services
from apps.mobile.services import interfaces as svc
from apps.mobile.tasks import poll_apps
from apps.mobile.tests.conftest import approved_app, published_resource

pytestmark = pytest.mark.django_db


@pytest.mark.spec("APP-7", "APP-5.6")
def test_unreachable_app_is_auto_delisted_notified_and_relisted_when_it_recovers(client, units, media, app_site):
    app, _key = approved_app(units, "hrb.poll", app_site.url)
    assert poll_apps() ["faulty_apps"] == 0
    app_site.control(down=True)
    result = poll_apps()
    app.refresh_from_db()
    assert result["faulty_apps"] == 1
    assert app.listing_status == ListingStatus.DELISTED and app.health == "faulty"
    anomaly = AppAnomaly.objects.get(app=app)
    assert anomaly.risk_category == "unreachable" and anomaly.status == AnomalyStatus.FAULTY
    sms = SmsMessage.objects.get(purpose="mobile_app_anomaly")
    assert sms.recipient == units["harbin"] and "社保查询" in sms.content
    assert OutboxMessage.objects.filter(peer="sms", idempotency_key=sms.idempotency_key).exists()
    public = client.get("/api/v1/mobile/channels/app/apps/").json()
    assert public[0]["maintenance"] is True and public[0]["url"] == "" and "维护" in public[0]["notice"]
    poll_apps()                                                       # still down: no second SMS, one anomaly
    assert SmsMessage.objects.filter(purpose="mobile_app_anomaly").count() == 1
    app_site.control(down=False)
    poll_apps()
    app.refresh_from_db()
    anomaly.refresh_from_db()
    assert app.listing_status == ListingStatus.LISTED and anomaly.status == AnomalyStatus.RESOLVED
    assert client.get("/api/v1/mobile/channels/app/apps/").json()[0]["maintenance"] is False


@pytest.mark.spec("APP-7", "APP-5.6")
def test_manual_mode_app_is_not_delisted_automatically(units, media, app_site):
    app, _key = approved_app(units, "hrb.manual", app_site.url)
    app_services.app_set_mode(actor=units["admin"], app=app, mode=ListingMode.MANUAL)
    app_site.control(down=True)
    poll_apps()
    app.refresh_from_db()
    assert app.listing_status == ListingStatus.LISTED
    assert AppAnomaly.objects.filter(app=app, status=AnomalyStatus.FAULTY).exists()


@pytest.mark.spec("APP-7", "APP-3.9")
def test_a_stopped_upstream_interface_faults_the_app_and_shows_in_exception_analysis(client, units, media, upstream,
                                                                                    app_site):
    resource = published_resource(units, "hrb-up", upstream.url)
    app, _key = approved_app(units, "hrb.iface", app_site.url)
    svc.subscription_request(actor=units["harbin"], resource=resource)
    app_services.app_bind_interface(actor=units["harbin"], app=app, resource=resource)
    upstream.control(down=True)
    poll_apps()
    app.refresh_from_db()
    resource.refresh_from_db()
    assert resource.health == "faulty"
    assert AppAnomaly.objects.get(app=app).risk_category == "interface_fault"
    assert app.listing_status == ListingStatus.DELISTED
    assert InterfaceLog.objects.filter(resource=resource, action="接口告警").exists()
    client.force_login(units["admin"])
    page = client.get(reverse("mobile:operations")).content.decode()
    assert 'data-testid="faulty-count">1<' in page and "hrb-up" in page


@pytest.mark.spec("APP-6.2")
def test_anomaly_list_exact_query_and_manual_redetection(client, units, media, app_site):
    app, _key = approved_app(units, "hrb.anom", app_site.url)
    other, _ = approved_app(units, "hrb.anom2", app_site.url)
    app_site.control(down=True)
    poll_apps()
    client.force_login(units["admin"])
    today = timezone.localdate().isoformat()
    other.name = "公积金查询"
    other.save(update_fields=["name"])
    found = client.get(reverse("mobile:anomalies"), {"app_name": "社保查询", "risk_category": "unreachable",
                                                     "detected_on": today}).context["object_list"]
    assert [a.app_id for a in found] == [app.pk]
    for query in ({"app_name": "社保"}, {"app_name": "社保查询", "risk_category": "interface_fault"},
                  {"app_name": "社保查询", "detected_on": "2020-01-01"}):
        assert list(client.get(reverse("mobile:anomalies"), query).context["object_list"]) == [], query
    app_site.control(down=False)
    anomaly = AppAnomaly.objects.get(app=app)
    client.post(reverse("mobile:anomaly-action", args=[anomaly.pk, "redetect"]))
    anomaly.refresh_from_db()
    assert anomaly.status == AnomalyStatus.RESOLVED
    assert AppAnomaly.objects.get(app=other).status == AnomalyStatus.FAULTY
    client.post(reverse("mobile:anomaly-action", args=[AppAnomaly.objects.get(app=other).pk, "notify"]))
    assert SmsMessage.objects.filter(purpose="mobile_app_anomaly").count() == 3


@pytest.mark.spec("APP-6.2")
def test_a_unit_admin_does_not_see_other_units_anomalies(client, units, media, app_site, orgs):
    from apps.core.tests.factories import grant
    from apps.identity.tests.factories import StaffFactory

    approved_app(units, "hrb.scope", app_site.url)
    app_site.control(down=True)
    poll_apps()
    qiqihar_admin = grant(StaffFactory(username="qq_admin", organisation=units["qiqihar"].organisation),
                          "mobile.administer_apps")
    client.force_login(qiqihar_admin)
    assert "没有符合条件的记录" in client.get(reverse("mobile:anomalies")).content.decode()
