"""PORTAL-7.13 interface status monitoring: metrics of real HTTP calls to simulated peers, status by the
thresholds in settings, an anomaly reported by SMS to the interface's maintainers once per incident."""
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.core.adapters.http import post_json
from apps.core.adapters.simulators import SimulatorServer
from apps.core.adapters.sms.simulator import SmsSimulator
from apps.core.models import (InterfaceStatus, MonitoredInterface, MonitoringIncident, OutboxMessage, SmsMessage)
from apps.core.monitoring import metrics_redis, read_window
from apps.core.outbox import PeerTemporaryError
from apps.core.services.monitoring import interface_maintainer_create
from apps.core.services.monitoring_checks import interfaces_check
from apps.core.sms import sms_send
from apps.core.tests.factories import grant
from apps.core.tasks import monitoring_interfaces_check

pytestmark = pytest.mark.django_db
PEER = "national_interaction"          # a platform peer; its simulator is a real HTTP server below


@pytest.fixture(autouse=True)
def clean_metrics(settings, monkeypatch):
    from apps.core import monitoring

    monkeypatch.setattr(monitoring, "_paused_until", 0.0)   # no pause left over from another test
    settings.MONITORING_REDIS_URL = f"{settings.REDIS_URL}/4"
    client = metrics_redis()
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def peer():
    """A simulated external interface: real HTTP on a free loopback port, failures and delay injectable."""
    simulator = SmsSimulator()
    with SimulatorServer(simulator) as server:
        simulator.url = server.url
        yield simulator


@pytest.fixture
def manager(staff):
    return grant(staff["province"], "core.view_monitoring", "core.manage_monitoring")


def call_peer(peer, n: int, *, key: str = "call") -> int:
    """n real calls through the platform's HTTP adapter; returns how many failed."""
    failed = 0
    for i in range(n):
        try:
            post_json(f"{peer.url}/messages", {"mobile": "13800138000", "content": "x"},
                      idempotency_key=f"{key}-{i}", interface=PEER)
        except PeerTemporaryError:
            failed += 1
    return failed


def alerts_sent() -> list[SmsMessage]:
    return list(SmsMessage.objects.filter(purpose="monitoring_alert").order_by("pk"))


@pytest.mark.spec("PORTAL-7.13")
def test_outbox_deliveries_are_counted_for_their_peer_with_latency(sms_simulator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(3):
            sms_send(mobile_number="13800138000", content=f"测试{i}", purpose="test", idempotency_key=f"m-{i}")
    assert len(sms_simulator.messages) == 3
    interface = {i.code: i for i in interfaces_check()}["sms"]
    assert (interface.window_calls, interface.window_failures) == (3, 0)
    assert interface.status == InterfaceStatus.NORMAL
    assert interface.avg_latency_ms is not None and interface.last_success_at is not None
    assert interface.outbox_pending == 0


@pytest.mark.spec("PORTAL-7.13")
def test_failing_interface_alerts_its_maintainers_once_per_incident(
        peer, sms_simulator, manager, client, django_capture_on_commit_callbacks):
    interface = MonitoredInterface.objects.create(code=PEER, name="国家政务服务平台互动交流")
    other = MonitoredInterface.objects.create(code="reviews_national", name="国家好差评")
    keeper = interface_maintainer_create(data={"name": "王运维", "mobile_number": "13712345678"},
                                     interfaces=[interface], actor=manager)
    interface_maintainer_create(data={"name": "不相关", "mobile_number": "13612345678"}, interfaces=[other],
                            actor=manager)
    assert call_peer(peer, 3, key="ok") == 0
    with django_capture_on_commit_callbacks(execute=True):
        interfaces_check()
    assert MonitoredInterface.objects.get(code=PEER).status == InterfaceStatus.NORMAL
    assert not alerts_sent()

    peer.inject_failures(20, status=503)                   # the peer breaks: 20 of 23 calls fail (87%)
    assert call_peer(peer, 20, key="bad") == 20
    with django_capture_on_commit_callbacks(execute=True):
        monitoring_interfaces_check()                       # the beat task, run as a function
        monitoring_interfaces_check()                       # the next minute: same incident, no second SMS
    interface.refresh_from_db()
    assert interface.status == InterfaceStatus.DOWN and "失败率" in interface.status_reason
    assert "503" in interface.last_error
    sent = alerts_sent()
    assert [s.mobile_number for s in sent] == [keeper.mobile_number]
    assert "国家政务服务平台互动交流" in sent[0].content and "中断" in sent[0].content
    assert [m["mobile"] for m in sms_simulator.messages] == ["13712345678"]   # really reached the gateway
    assert MonitoringIncident.objects.filter(closed_at__isnull=True).count() == 1

    client.force_login(manager)
    page = client.get(reverse("core:monitoring-interfaces")).content.decode()
    assert 'data-testid="monitoring-alerts"' in page and "接口 国家政务服务平台互动交流" in page
    assert "已短信通知 1 名维护人员" in page

    assert call_peer(peer, 90, key="recovered") == 0        # recovered: 20 of 113 calls failed, under 20%
    with django_capture_on_commit_callbacks(execute=True):
        interfaces_check()
    interface.refresh_from_db()
    assert interface.status == InterfaceStatus.NORMAL
    assert not MonitoringIncident.objects.filter(closed_at__isnull=True).exists()
    assert 'data-testid="monitoring-alerts"' not in client.get(reverse("core:monitoring-interfaces")).content.decode()
    assert len(alerts_sent()) == 1

    peer.inject_failures(100, status=500)                   # a new failure after recovery: a new incident
    assert call_peer(peer, 100, key="again") == 100
    with django_capture_on_commit_callbacks(execute=True):
        interfaces_check()
        interfaces_check()
    assert len(alerts_sent()) == 2
    assert MonitoringIncident.objects.filter(target_key=f"interface:{PEER}").count() == 2


@pytest.mark.spec("PORTAL-7.13")
def test_slow_interface_is_degraded_by_latency(peer, settings):
    settings.MONITORING_SLOW_LATENCY_MS = 300
    peer.delay_seconds = 0.4
    assert call_peer(peer, 2, key="slow") == 0
    interface = {i.code: i for i in interfaces_check()}[PEER]
    assert interface.status == InterfaceStatus.DEGRADED
    assert "平均耗时" in interface.status_reason
    assert interface.avg_latency_ms >= 400 and interface.max_latency_ms >= 400
    assert MonitoringIncident.objects.filter(target_key=f"interface:{PEER}", closed_at__isnull=True).exists()


@pytest.mark.spec("PORTAL-7.13")
def test_old_undelivered_outbox_messages_degrade_their_interface(settings, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        sms = sms_send(mobile_number="13800138000", content="积压", purpose="test", idempotency_key="stuck-1")
    OutboxMessage.objects.filter(pk=sms.outbox_message_id).update(created_at=timezone.now() - timedelta(minutes=30))
    interface = {i.code: i for i in interfaces_check()}["sms"]
    assert interface.outbox_pending == 1 and interface.status == InterfaceStatus.DEGRADED
    assert "积压 30 分钟" in interface.status_reason


@pytest.mark.spec("PORTAL-7.13")
def test_metrics_store_down_never_breaks_the_call(peer, settings):
    settings.MONITORING_REDIS_URL = "redis://127.0.0.1:9/0"   # nothing listens there
    response = post_json(f"{peer.url}/messages", {"mobile": "13800138000", "content": "x"},
                         idempotency_key="k", interface=PEER)
    assert response.status_code == 200 and peer.requests == 1
    from apps.core import monitoring

    assert monitoring._paused_until > time.monotonic()      # later calls skip the dead store at once
    interfaces_check()                                      # judged on the outbox alone, no exception


@pytest.mark.spec("PORTAL-7.13")
def test_unnamed_calls_are_not_counted(peer):
    post_json(f"{peer.url}/messages", {"mobile": "13800138000", "content": "x"}, idempotency_key="plain")
    assert read_window(minutes=5) == {}


@pytest.mark.spec("PORTAL-7.13")
def test_page_needs_the_permission_and_its_query_count_does_not_grow(client, manager, staff):
    url = reverse("core:monitoring-interfaces")
    client.force_login(staff["harbin"])
    assert client.get(url).status_code == 403
    client.force_login(manager)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(2):
        interface = MonitoredInterface.objects.create(code=f"peer{n}", status=InterfaceStatus.DOWN)
        interface_maintainer_create(data={"name": f"人{n}", "mobile_number": "13712345678"}, interfaces=[interface],
                                actor=manager)
    queries()
    few = queries()
    for n in range(2, 15):
        MonitoredInterface.objects.create(code=f"peer{n}")
    assert queries() == few
    page = client.get(url).content.decode()
    assert "中断" in page and "人0" in page


@pytest.mark.spec("PORTAL-7.13")
def test_a_synchronous_interface_is_counted_under_its_name(settings):
    """Calls made in a request, not through the outbox (here a real-name check at registration against the
    national real-name service's simulator), are counted under the adapter's interface name."""
    from apps.identity.adapters.simulators import RealNameRegistrySimulator
    from apps.identity.adapters.verification import PersonQuery, national_real_name

    registry = RealNameRegistrySimulator()
    registry.register(id_number="230102199001011234", name="张三")
    with SimulatorServer(registry) as server:
        settings.IDENTITY_NATIONAL_REALNAME_URL = server.url
        result = national_real_name().verify(PersonQuery(id_type="resident_id", name="张三",
                                                         id_number="230102199001011234"))
    assert result.matched
    interface = {i.code: i for i in interfaces_check()}["identity.national_realname"]
    assert (interface.window_calls, interface.window_failures, interface.status) == (1, 0, InterfaceStatus.NORMAL)
    assert interface.last_success_at is not None
