"""Fixtures of the supervision tests: staff with roles and mobiles, and real HTTP simulators."""
import pytest

from apps.core.adapters.simulators import SimulatorServer
from apps.core.tests.conftest import no_backoff, sms_simulator  # noqa: F401  (fixtures)
from apps.core.tests.factories import grant
from apps.identity.tests.factories import StaffFactory
from apps.supervision.adapters.govcn_simulator import GovcnInspectionSimulator
from apps.supervision.adapters.national_simulator import NationalInteractionSimulator
from tests.conftest import browser_page, playwright_driver  # noqa: F401  (fixtures)

VIEW, HANDLE, PROCESS = "supervision.view_complaint", "supervision.handle_complaint", "supervision.process_complaint"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard shares figures through the cache (a per-process LocMemCache in tests)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def people(orgs):
    """Province handler, Harbin city handler, Harbin department officer, Qiqihar handler, an idle
    province staff member without supervision permissions."""
    def make(username, org, *perms, mobile):
        user = StaffFactory(username=username, organisation=org, full_name=username, mobile_number=mobile)
        return grant(user, *perms, role_code=f"r-{username}") if perms else user

    return {
        "province": make("prov_handler", orgs["province"], VIEW, HANDLE, mobile="13900000011"),
        "harbin": make("hrb_handler", orgs["harbin"], VIEW, HANDLE, mobile="13900000012"),
        "dept": make("hrb_officer", orgs["harbin_dept"], VIEW, PROCESS, mobile="13900000013"),
        "qiqihar": make("qqhr_handler", orgs["qiqihar"], VIEW, HANDLE, mobile="13900000014"),
        "idle": make("prov_idle", orgs["province"], mobile="13900000015"),
    }


@pytest.fixture
def national_simulator(settings):
    simulator = NationalInteractionSimulator()
    with SimulatorServer(simulator) as server:
        settings.SUPERVISION_NATIONAL_URL = server.url
        yield simulator


@pytest.fixture
def govcn_simulator(settings):
    simulator = GovcnInspectionSimulator()
    with SimulatorServer(simulator) as server:
        settings.SUPERVISION_GOVCN_URL = server.url
        yield simulator
