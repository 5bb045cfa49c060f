"""Outbox: exactly-once delivery through retries, permanent failures, idempotent enqueue,
surviving a Redis outage, stuck-message reclaim, and the portal/API pages."""
from datetime import timedelta

import pytest
import requests
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from apps.core import outbox
from apps.core.models import OutboxMessage, OutboxStatus, StateTransition
from apps.core.outbox import PeerPermanentError, PeerTemporaryError, deliver, enqueue, register_peer, sweep
from apps.core.tests.conftest import broker_down  # noqa: F401  (fixture)
from apps.core.tests.factories_flow import staff_with
from govplatform.celery import app as celery_app

pytestmark = pytest.mark.django_db


def _enqueue_committed(capture, **kwargs) -> OutboxMessage:
    """enqueue in a transaction and run its on_commit hooks, as a real commit would."""
    defaults = {"peer": "sms", "kind": "test", "payload": {}, "idempotency_key": "k1"}
    with capture(execute=True), transaction.atomic():
        message = enqueue(**{**defaults, **kwargs})
    message.refresh_from_db()
    return message


@pytest.fixture
def echo_peer():
    """A peer that records what it was asked to deliver and fails as told."""
    calls, failures = [], []

    def sender(message):
        calls.append(message.idempotency_key)
        if failures:
            raise failures.pop(0)

    register_peer("echo", sender, queue="sync")
    yield calls, failures
    outbox._peers.pop("echo", None)


def test_enqueue_twice_with_the_same_key_gives_one_row(echo_peer, django_capture_on_commit_callbacks):
    first = _enqueue_committed(django_capture_on_commit_callbacks, peer="echo", idempotency_key="case:1")
    second = _enqueue_committed(django_capture_on_commit_callbacks, peer="echo", idempotency_key="case:1")
    assert first.pk == second.pk and OutboxMessage.objects.count() == 1
    assert echo_peer[0] == ["case:1"]                      # delivered once
    assert first.status == OutboxStatus.DELIVERED


def test_enqueue_outside_a_transaction_is_refused(transactional_db, echo_peer):
    with pytest.raises(outbox.TransactionRequired):
        enqueue(peer="echo", kind="t", payload={}, idempotency_key="x")
    assert not OutboxMessage.objects.exists()


def test_unknown_peer_is_refused():
    with transaction.atomic(), pytest.raises(ValueError, match="Unknown outbox peer"):
        enqueue(peer="nobody", kind="t", payload={}, idempotency_key="x")


@pytest.mark.spec("PORTAL-10.1", "PORTAL-10.2")
def test_gateway_answers_500_three_times_then_the_sms_is_delivered_exactly_once(
        sms_simulator, no_backoff, django_capture_on_commit_callbacks):
    from apps.core.sms import sms_send

    sms_simulator.inject_failures(3, status=500)
    with django_capture_on_commit_callbacks(execute=True):
        sms = sms_send(mobile_number="13800138000", content="测试短信", purpose="test", idempotency_key="retry-1")
    message = OutboxMessage.objects.get(pk=sms.outbox_message_id)
    assert message.status == OutboxStatus.DELIVERED and message.attempts == 4
    assert sms_simulator.requests == 4
    assert [m["idempotency_key"] for m in sms_simulator.messages] == ["retry-1"]   # accepted exactly once
    assert sms_simulator.messages[0]["mobile"] == "13800138000"


def test_a_peer_repeat_of_the_same_key_is_not_sent_twice(sms_simulator):
    from apps.core.adapters.sms.client import get_gateway

    gateway = get_gateway()
    first = gateway.send(mobile="13800138000", content="你好", idempotency_key="same")
    second = gateway.send(mobile="13800138000", content="你好", idempotency_key="same")
    assert first == second and len(sms_simulator.messages) == 1


@pytest.mark.spec("PORTAL-10.1")
def test_permanent_400_is_dead_at_once_and_not_retried(sms_simulator, no_backoff, django_capture_on_commit_callbacks):
    from apps.core.sms import sms_send

    sms_simulator.inject_failures(1, status=400)
    with django_capture_on_commit_callbacks(execute=True):
        sms = sms_send(mobile_number="13800138000", content="测试", purpose="test", idempotency_key="perm-1")
    message = OutboxMessage.objects.get(pk=sms.outbox_message_id)
    assert message.status == OutboxStatus.DEAD and message.attempts == 1
    assert "HTTP 400" in message.last_error
    assert sms_simulator.requests == 1 and sms_simulator.messages == []
    assert sweep() == 0                                      # the sweep does not resurrect it
    assert StateTransition.objects.filter(to_state="dead", object_id=str(message.pk)).count() == 1


def test_temporary_failures_give_up_after_max_attempts(echo_peer, settings, no_backoff,
                                                       django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    calls, failures = echo_peer
    failures.extend(PeerTemporaryError("timeout") for _ in range(5))
    message = _enqueue_committed(django_capture_on_commit_callbacks, peer="echo", idempotency_key="t-1")
    assert (message.status, message.attempts, len(calls)) == (OutboxStatus.DEAD, 3, 3)


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.OUTBOX_BACKOFF_SECONDS = 2
    for attempts, ceiling in [(1, 2), (2, 4), (5, 32)]:
        values = {outbox.backoff_seconds(attempts) for _ in range(20)}
        assert all(ceiling / 2 <= v <= ceiling for v in values) and len(values) > 1


def test_a_message_survives_a_redis_outage(echo_peer, broker_down, django_capture_on_commit_callbacks):
    calls, _ = echo_peer
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = enqueue(peer="echo", kind="t", payload={"n": 1}, idempotency_key="outage-1")
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and calls == []       # nothing raised; the row waits
    assert sweep() == 0                                                  # broker still down
    celery_app.conf.task_always_eager = True                             # broker back (eager stands in for it)
    assert sweep() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED and calls == ["outage-1"]


def test_deliver_skips_a_message_another_worker_holds(echo_peer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        message = enqueue(peer="echo", kind="t", payload={}, idempotency_key="busy")
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.DELIVERING, claimed_at=timezone.now())
    assert deliver(message.pk) is None and echo_peer[0] == []


def test_sweep_reclaims_a_message_stuck_in_delivering(echo_peer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        message = enqueue(peer="echo", kind="t", payload={}, idempotency_key="stuck")
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.DELIVERING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=6))
    assert sweep() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED and message.attempts == 2


def test_http_helper_classifies_failures(sms_simulator):
    from apps.core.adapters.http import post_json

    sms_simulator.inject_failures(1, status=503)
    with pytest.raises(PeerTemporaryError):
        post_json(f"{sms_simulator.url}/messages", {}, idempotency_key="a")
    with pytest.raises(PeerPermanentError):              # no mobile → the gateway answers 400
        post_json(f"{sms_simulator.url}/messages", {"content": "x"}, idempotency_key="b")
    with pytest.raises(PeerTemporaryError):              # nothing listens there
        post_json("http://127.0.0.1:9/messages", {}, idempotency_key="c", timeout=1)
    control = requests.post(f"{sms_simulator.url}/control", json={"fail_next": 2, "status": 502}, timeout=5)
    assert control.json() == {"fail_next": 2, "status": 502}


# --- portal page and API --------------------------------------------------------------


@pytest.fixture
def dead_message(echo_peer, regions, django_capture_on_commit_callbacks):
    echo_peer[1].append(PeerPermanentError("HTTP 400: bad data"))
    return _enqueue_committed(django_capture_on_commit_callbacks, peer="echo", idempotency_key="dead-1",
                              region=regions["230100000000"])


def test_admin_retries_a_dead_message_and_the_history_shows_it(client, orgs, dead_message,
                                                                 django_capture_on_commit_callbacks):
    operator = staff_with("core.view_outboxmessage", "core.change_outboxmessage", organisation=orgs["province"])
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:outbox-retry", args=[dead_message.pk]), {"comment": "对端已修复"})
    assert response.status_code == 302
    dead_message.refresh_from_db()
    assert dead_message.status == OutboxStatus.DELIVERED
    page = client.get(reverse("core:outbox-detail", args=[dead_message.pk])).content.decode()
    assert "对端已修复" in page and "投递失败" in page and operator.full_name in page


def test_retry_needs_the_change_permission(client, orgs, dead_message):
    viewer = staff_with("core.view_outboxmessage", organisation=orgs["province"])
    client.force_login(viewer)
    assert client.post(reverse("core:outbox-retry", args=[dead_message.pk])).status_code == 403
    assert client.post(f"/api/v1/core/outbox/{dead_message.pk}/retry/").status_code == 403
    dead_message.refresh_from_db()
    assert dead_message.status == OutboxStatus.DEAD


def test_list_filters_and_is_scoped(client, orgs, dead_message, echo_peer, regions,
                                    django_capture_on_commit_callbacks, django_assert_max_num_queries):
    for n in range(5):
        _enqueue_committed(django_capture_on_commit_callbacks, peer="echo", idempotency_key=f"ok-{n}",
                           region=regions["230200000000"])
    harbin = staff_with("core.view_outboxmessage", organisation=orgs["harbin"])
    client.force_login(harbin)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("core:outbox-list"), {"status": "dead"})
    assert page.status_code == 200 and list(page.context["object_list"]) == [dead_message]
    assert client.get(reverse("core:outbox-list"), {"status": "delivered"}).context["object_list"].count() == 0
    api = client.get("/api/v1/core/outbox/").json()
    assert api["count"] == 1                                           # Qiqihar's five are out of scope
    qiqihar = staff_with("core.view_outboxmessage", organisation=orgs["qiqihar"])
    client.force_login(qiqihar)
    assert client.get(reverse("core:outbox-detail", args=[dead_message.pk])).status_code == 404
    assert client.get(f"/api/v1/core/outbox/{dead_message.pk}/").status_code == 404


def test_every_page_of_the_area_opens_for_an_administrator(client, dead_message, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "Passw0rd!2026")
    client.force_login(admin)
    for name, args in [("core:calendar", []), ("core:outbox-list", []), ("core:outbox-detail", [dead_message.pk]),
                       ("core:sms-list", []), ("core:sms-schedule-list", []), ("core:sms-schedule-create", [])]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    export = client.get(reverse("core:outbox-list"), {"status": "dead", "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    home = client.get(reverse("portal:home")).content.decode()
    assert "工作日配置" in home and "短信定时推送" in home and "外发消息" in home
    for model in ("calendarday", "outboxmessage", "smsmessage", "smsschedule", "statetransition"):
        assert client.get(f"/admin/core/{model}/").status_code == 200, model
