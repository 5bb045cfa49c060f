"""Shared builders of the query-service tests: the simulated gateway, accounts, valid inputs per field."""
from __future__ import annotations

import pytest
import requests
from django.core.cache import cache

from apps.acceptance.tests.factories import id_number
from apps.core.adapters.simulators import SimulatorServer
from apps.identity.models import RealNameLevel, UserKind
from apps.identity.tests.factories import UserFactory
from apps.stores.adapters.query_source import QuerySourceSimulator
from apps.stores.adapters.query_source_demo import DEMO_INPUT

CREDIT_CODE = DEMO_INPUT["credit_code"]          # enterprise_demo's
OTHER_CREDIT_CODE = "91230100MA1B2C3D57"

# a valid value for every input kind: what the demo user types
VALID_INPUT = DEMO_INPUT


@pytest.fixture
def fresh_cache():
    """Each test starts with no rate-limit history (the tests share one client address)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def query_source(settings):
    """The data-exchange gateway on a free loopback port; settings point at it."""
    simulator = QuerySourceSimulator()
    with SimulatorServer(simulator) as server:
        simulator.url = server.url
        settings.STORES_QUERY_SOURCE_URL = server.url
        yield simulator


def load(simulator, code: str, records: list[dict]) -> None:
    """Load records the way the gateway's operators would: over HTTP."""
    response = requests.post(f"{simulator.url}/records/{code}", json={"records": records}, timeout=5)
    assert response.status_code == 200, response.text


def person(n: int = 1, *, level: int = RealNameLevel.VERIFIED, name: str = "张三"):
    return UserFactory(kind=UserKind.NATURAL_PERSON, id_number=id_number(n), full_name=name, real_name_level=level)


def enterprise(credit_code: str = CREDIT_CODE, name: str = "哈尔滨冰城科技有限公司"):
    return UserFactory(kind=UserKind.LEGAL_PERSON, credit_code=credit_code, full_name=name,
                       real_name_level=RealNameLevel.VERIFIED)
