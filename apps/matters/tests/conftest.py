import pytest

from apps.core.adapters.simulators import SimulatorServer
from apps.core.tests.conftest import broker_down  # noqa: F401  (fixture)
from apps.matters.adapters.national_platform.simulator import NationalPlatformSimulator
from apps.matters.licence_catalogue import get_licence_catalogue, register_licence_catalogue
from apps.matters.services.declaration import catalogue_item_declare, matter_review
from apps.matters.tests.factories import children, department_user, element_data, establishment_user


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """The test cache outlives each test's rolled-back data: start every test on a new generation."""
    from apps.matters.public_cache import bump_public_generation

    bump_public_generation()


@pytest.fixture(autouse=True)
def _keep_licence_catalogue():
    """apps.licences registers its provider at start-up; a test that swaps it puts it back."""
    before = get_licence_catalogue()
    yield
    register_licence_catalogue(before)


class LicenceSystem:
    """The real licences app as matters meets it: its provider registered as at start-up, plus what its
    administrators do (define a catalogue entry = a valid licence template, answer a request)."""

    def __init__(self, organisation):
        from apps.licences.services.catalogue import register_catalogue_provider

        self.provider = register_catalogue_provider()
        self.organisation = organisation

    def add_entry(self, code: str, name: str, holder_kind: str = "legal_person"):
        from apps.licences.models import LicenceCategory, LicenceTemplate

        category, _ = LicenceCategory.objects.get_or_create(name="市场监管", defaults={"category_type": "主题"})
        return LicenceTemplate.objects.create(name=name, licence_type="许可证", type_code=code, category=category,
                                              holder_kind=holder_kind, defining_organisation=self.organisation)

    def administrator(self):
        from apps.identity.tests.factories import StaffFactory
        from apps.licences.tests.factories import grant as licences_grant

        user = StaffFactory._meta.model.objects.filter(username="licence_admin").first()
        return user or licences_grant(StaffFactory(username="licence_admin", organisation=self.organisation),
                                      "answer_catalogueentryrequest", "add_licence", "view_licence")

    def confirm(self, request_code: str, code: str, name: str):
        """The e-licence administrator creates the entry and confirms the request through the interface."""
        from apps.licences.models import CatalogueEntryRequest
        from apps.licences.services.catalogue import catalogue_request_confirm

        template = self.add_entry(code, name)
        request = CatalogueEntryRequest.objects.get(request_code=request_code)
        return catalogue_request_confirm(actor=self.administrator(), request=request, template=template)


@pytest.fixture
def licence_system(orgs):
    """apps.licences' real catalogue provider (the autouse fixture above puts the previous one back)."""
    return LicenceSystem(orgs["province"])


@pytest.fixture
def no_licence_interface():
    """As before the licences system is connected: no catalogue provider registered."""
    register_licence_catalogue(None)


def _served(settings, simulator, url_setting: str):
    """Serve `simulator` over real HTTP on a free loopback port, point `url_setting` at it, retry at once."""
    with SimulatorServer(simulator) as server:
        setattr(settings, url_setting, server.url)
        settings.OUTBOX_BACKOFF_SECONDS = 0
        yield simulator


@pytest.fixture
def national_platform(settings):
    """The national platform's matter interface as a real HTTP server on a free loopback port."""
    yield from _served(settings, NationalPlatformSimulator(), "MATTERS_NATIONAL_PLATFORM_URL")


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


@pytest.fixture
def item_library(settings):
    """The original item library's write-back interface, real HTTP on a free port."""
    from apps.matters.adapters.item_library import ItemLibrarySimulator

    yield from _served(settings, ItemLibrarySimulator(), "MATTERS_ITEM_LIBRARY_URL")


@pytest.fixture
def power_list_owner(settings):
    """The power-and-responsibility list owner's interface, real HTTP on a free port."""
    from apps.matters.adapters.item_library import PowerListOwnerSimulator

    yield from _served(settings, PowerListOwnerSimulator(), "MATTERS_POWER_LIST_URL")


@pytest.fixture
def national_library(settings):
    """The national item library's elements interface (other provinces), real HTTP on a free port."""
    from apps.matters.adapters.national_library import NationalLibrarySimulator

    yield from _served(settings, NationalLibrarySimulator(), "MATTERS_NATIONAL_LIBRARY_URL")
