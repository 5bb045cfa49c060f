"""Fixtures of the calendar / workflow / outbox / SMS tests: a real SMS gateway simulator, Redis down."""
import pytest

from apps.core.adapters.simulators import SimulatorServer
from apps.core.adapters.sms.simulator import SmsSimulator
from govplatform.celery import app as celery_app


@pytest.fixture
def sms_simulator(settings):
    """A real HTTP SMS gateway on a free loopback port; settings.SMS_GATEWAY_URL points at it."""
    simulator = SmsSimulator()
    with SimulatorServer(simulator) as server:
        simulator.url = server.url
        settings.SMS_GATEWAY_URL = server.url
        yield simulator


@pytest.fixture
def no_backoff(settings):
    """Retries are due at once, so an eager test can run the whole retry chain."""
    settings.OUTBOX_BACKOFF_SECONDS = 0


@pytest.fixture
def broker_down():
    """Point the Celery producer at a closed port (Redis down) and stop running tasks eagerly."""
    conf, amqp = celery_app.conf, celery_app.amqp
    saved = conf.broker_url, conf.task_always_eager, celery_app._pool, amqp._producer_pool
    celery_app._pool = amqp._producer_pool = None
    conf.broker_url, conf.task_always_eager = "redis://127.0.0.1:9/0", False
    yield
    conf.broker_url, conf.task_always_eager, celery_app._pool, amqp._producer_pool = saved
