"""A real `celery -A govplatform worker` process delivers an SMS from the outbox to the simulator."""
import time

import pytest
from django.db import transaction

from apps.core.models import OutboxStatus, SmsMessage
from apps.core.sms import sms_send

from .workers import queued_tasks, running_worker  # noqa: F401 (fixture)

WAIT_SECONDS = 30


@pytest.fixture
def celery_worker_process(transactional_db, sms_simulator, queued_tasks):  # noqa: F811
    with running_worker("sms,sync,default", SMS_GATEWAY_URL=sms_simulator.url) as worker:
        yield worker


@pytest.mark.worker
@pytest.mark.spec("PORTAL-10.1", "PORTAL-10.2")
def test_a_real_worker_delivers_a_committed_sms(celery_worker_process, sms_simulator):
    worker = celery_worker_process
    with transaction.atomic():                                   # a real commit: on_commit publishes the task
        sms = sms_send(mobile_number="13800138000", content="真实进程投递测试", purpose="test",
                       idempotency_key="worker-1")
    deadline = time.monotonic() + WAIT_SECONDS
    while not sms_simulator.messages and time.monotonic() < deadline and worker.alive():
        time.sleep(0.2)
    assert sms_simulator.messages, f"worker did not deliver within {WAIT_SECONDS}s; worker log:\n{worker.log()}"
    assert [m["idempotency_key"] for m in sms_simulator.messages] == ["worker-1"]
    for _ in range(50):                                          # the worker records the result just after
        if SmsMessage.objects.get(pk=sms.pk).status == OutboxStatus.DELIVERED:
            break
        time.sleep(0.1)
    assert SmsMessage.objects.get(pk=sms.pk).status == OutboxStatus.DELIVERED
