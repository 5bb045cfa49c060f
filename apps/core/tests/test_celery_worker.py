"""A real `celery -A govplatform worker` process delivers an SMS from the outbox to the simulator."""
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction

from apps.core.models import OutboxStatus, SmsMessage
from apps.core.sms import sms_send
from govplatform.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 30


def worker_database_url() -> str:
    """A DATABASE_URL naming the test database this process uses (socket or TCP)."""
    db = connection.settings_dict
    credentials = f"{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@"
    socket_dir = (db.get("OPTIONS") or {}).get("host")
    if socket_dir:
        return f"postgresql://{credentials}/{db['NAME']}?host={quote(socket_dir)}"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{credentials}{db['HOST']}{port}/{db['NAME']}"




@pytest.fixture
def queued_tasks():
    """This process publishes tasks to the real broker instead of running them eagerly."""
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {settings.REDIS_URL} is not reachable: {exc}")
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def celery_worker_process(transactional_db, sms_simulator, queued_tasks):
    env = {**os.environ, "DATABASE_URL": worker_database_url(), "REDIS_URL": settings.REDIS_URL,
           "DJANGO_SETTINGS_MODULE": "apps.core.tests.worker_settings", "SMS_GATEWAY_URL": sms_simulator.url}
    log = tempfile.NamedTemporaryFile("w+", prefix="celery-worker-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "govplatform", "worker", "--pool=solo", "--loglevel=INFO",
         "-Q", "sms,sync,default", "--without-mingle", "--without-gossip", "--without-heartbeat",
         "--hostname", f"test-{os.getpid()}@localhost"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process, log.name
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
        os.unlink(log.name)


@pytest.mark.worker
@pytest.mark.spec("PORTAL-10.1", "PORTAL-10.2")
def test_a_real_worker_delivers_a_committed_sms(celery_worker_process, sms_simulator):
    process, log_path = celery_worker_process
    with transaction.atomic():                                   # a real commit: on_commit publishes the task
        sms = sms_send(mobile_number="13800138000", content="真实进程投递测试", purpose="test",
                       idempotency_key="worker-1")
    deadline = time.monotonic() + WAIT_SECONDS
    while not sms_simulator.messages and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    log = Path(log_path).read_text(errors="replace")[-3000:]
    assert sms_simulator.messages, f"worker did not deliver within {WAIT_SECONDS}s; worker log:\n{log}"
    assert [m["idempotency_key"] for m in sms_simulator.messages] == ["worker-1"]
    for _ in range(50):                                          # the worker records the result just after
        if SmsMessage.objects.get(pk=sms.pk).status == OutboxStatus.DELIVERED:
            break
        time.sleep(0.1)
    assert SmsMessage.objects.get(pk=sms.pk).status == OutboxStatus.DELIVERED
