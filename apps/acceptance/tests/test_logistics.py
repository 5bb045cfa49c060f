"""Logistics integration as issuance staff and applicants meet it (ACC-10.8): an express issuance without a
waybill orders the shipment from the courier (a simulator on a real socket, through the outbox, retried
after a failure), the courier's tracking is read back into the delivery movements once each, and the
applicant follows it on the public logistics query."""
import pytest

from apps.acceptance.adapters.courier import CourierSimulator
from apps.acceptance.models import Case, CaseDelivery, DeliveryEvent
from apps.acceptance.services.logistics import courier_sync
from apps.acceptance.tests import factories as f
from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _ago(hours: int) -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.now() - timedelta(hours=hours)).isoformat()


@pytest.fixture
def courier(settings):
    sim = CourierSimulator()
    with SimulatorServer(sim) as server:
        settings.ACCEPTANCE_COURIER_URL = server.url
        settings.OUTBOX_BACKOFF_SECONDS = 0
        yield sim


@pytest.fixture
def clerk(orgs):
    return f.clerk(orgs["harbin_dept"])


@pytest.mark.spec("ACC-10.8")
def test_express_issuance_orders_the_shipment_and_reads_the_tracking_back(client, orgs, clerk, courier, settings,
                                                                         django_capture_on_commit_callbacks):
    from apps.core.outbox import deliver

    item = f.matter(orgs["harbin_dept"])
    case = f.concluded_case(item, clerk, n=1)
    client.force_login(clerk)
    # an express issuance without an address is refused, nothing written
    client.post(case.get_absolute_url(), {"action": "issue", "method": "express", "recipient": "张三1"})
    assert not CaseDelivery.objects.exists() and not OutboxMessage.objects.filter(peer="acceptance.courier").exists()
    courier.inject_failures(1)                                   # the courier is down once: the outbox retries
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(case.get_absolute_url(), {"action": "issue", "method": "express",
                                                         "recipient": "张三1", "address": "哈尔滨市道里区1号"})
    assert response.status_code == 302
    message = OutboxMessage.objects.get(peer="acceptance.courier")
    if message.status != "delivered":
        deliver(message.pk)
        message.refresh_from_db()
    assert message.status == "delivered" and courier.requests == 2
    delivery = CaseDelivery.objects.get(case=case)
    assert delivery.waybill_number == "SIM0000000001"
    assert courier.shipments["SIM0000000001"]["address"] == "哈尔滨市道里区1号"
    assert courier.shipments["SIM0000000001"]["order_id"] == case.case_number

    # tracking: read back once each; an unknown status is skipped; later polls add only what is new
    courier.advance("SIM0000000001", "PICKED_UP", "哈尔滨市政务服务中心", _ago(4))
    courier.advance("SIM0000000001", "IN_TRANSIT", "哈尔滨转运中心", _ago(3))
    courier.advance("SIM0000000001", "WEIRD", "?", _ago(2))
    assert courier_sync() == 2
    assert courier_sync() == 0
    courier.advance("SIM0000000001", "SIGNED", "道里区", _ago(1))
    assert courier_sync() == 1
    # the same sync is the beat task, every 15 minutes
    from django_celery_beat.models import PeriodicTask

    from apps.acceptance.tasks_logistics import courier_sync as task

    assert PeriodicTask.objects.get(task="acceptance.courier_sync").crontab.minute == "*/15"
    assert task.delay().get() == 0                                        # nothing new since
    events = list(DeliveryEvent.objects.filter(delivery=delivery).values_list("kind", "external_id"))
    assert events == [("shipped", "SIM0000000001-1"), ("in_transit", "SIM0000000001-2"),
                      ("delivered", "SIM0000000001-4")]
    assert all(e.recorded_by_id is None for e in DeliveryEvent.objects.all())
    # the applicant follows it on the public logistics query
    client.logout()
    page = client.get("/acceptance/lookup/", {"kind": "delivery", "waybill": "SIM0000000001",
                                              "case_number": case.case_number}).content.decode()
    assert "哈尔滨转运中心" in page and "已签收" in page
    # without a courier connection the waybill number stays required
    other = f.concluded_case(item, clerk, n=2)
    settings.ACCEPTANCE_COURIER_URL = ""
    client.force_login(clerk)
    page = client.post(other.get_absolute_url(), {"action": "issue", "method": "express", "recipient": "张三2",
                                                  "address": "哈尔滨市南岗区2号"}, follow=True).content.decode()
    assert "快递寄送须填写运单号" in page
    assert Case.objects.get(pk=other.pk).issuance_status == "pending"
