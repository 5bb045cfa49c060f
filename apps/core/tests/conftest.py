"""Fixtures of the calendar / workflow / outbox / SMS tests: a real SMS gateway simulator."""
import pytest

from apps.core.adapters.simulators import SimulatorServer
from apps.core.adapters.sms.simulator import SmsSimulator


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
