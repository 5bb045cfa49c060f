import pytest

from apps.core.adapters.simulators import SimulatorServer
from apps.matters.adapters.national_platform.simulator import NationalPlatformSimulator
from apps.matters.licence_catalogue import get_licence_catalogue, register_licence_catalogue
from apps.matters.services.declaration import catalogue_item_declare, matter_review
from apps.matters.tests.factories import children, department_user, element_data, establishment_user


@pytest.fixture(autouse=True)
def _keep_licence_catalogue():
    """apps.licences registers its provider at start-up; a test that swaps it puts it back."""
    before = get_licence_catalogue()
    yield
    register_licence_catalogue(before)


@pytest.fixture
def no_licence_interface():
    """As before the licences system is connected: no catalogue provider registered."""
    register_licence_catalogue(None)


@pytest.fixture
def national_platform(settings):
    """The national platform's matter interface as a real HTTP server on a free loopback port."""
    simulator = NationalPlatformSimulator()
    with SimulatorServer(simulator) as server:
        settings.MATTERS_NATIONAL_PLATFORM_URL = server.url
        settings.OUTBOX_BACKOFF_SECONDS = 0
        yield simulator


@pytest.fixture
def people(orgs, regions):
    """Department staff in Harbin city and Daoli district, Qiqihar staff, Harbin 编办 reviewer."""
    from apps.core.tests.factories import OrganisationFactory

    qiqihar_dept = OrganisationFactory(name="齐齐哈尔市市场监督管理局", region=regions["230200000000"])
    return {
        "harbin": department_user(orgs["harbin_dept"], "harbin_clerk"),
        "daoli": department_user(orgs["daoli_dept"], "daoli_clerk"),
        "qiqihar": department_user(qiqihar_dept, "qiqihar_clerk"),
        "harbin_establishment": establishment_user(regions["230100000000"], "harbin_bianban"),
    }


@pytest.fixture
def published_item(people, orgs):
    """A catalogue item of the Harbin department, reviewed and published (V1)."""
    item = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=element_data(),
                                  children=children())
    matter_review(actor=people["harbin_establishment"], item=item, approve=True, comment="同意")
    item.refresh_from_db()
    return item
