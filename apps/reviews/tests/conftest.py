import pytest
from apps.core.tests.conftest import broker_down, no_backoff, sms_simulator  # noqa: F401 (fixtures)
from tests.conftest import browser_page, playwright_driver  # noqa: F401 (fixtures)

from apps.reviews.tests.factories import Province, World, handler


@pytest.fixture(autouse=True)
def overview_refresh_at_once(settings):
    """Flagged overview snapshots are recomputed on every refresh run (production waits 30 s)."""
    settings.REVIEWS_OVERVIEW_MIN_AGE = 0


@pytest.fixture(autouse=True)
def broker_failure_forgotten():
    """A broker failure remembered by one test (services/follow_up.py) never skips another's message."""
    from apps.reviews.services.follow_up import follow_up_reset

    follow_up_reset()
    yield
    follow_up_reset()


@pytest.fixture
def world(orgs):
    return World(orgs["harbin_dept"])


@pytest.fixture
def province(orgs):
    """Harbin and Qiqihar with the ratings of factories.Province, already aggregated."""
    from apps.reviews.services.statistics import aggregate_pending

    p = Province(orgs)
    aggregate_pending()
    return p


@pytest.fixture
def bureau_handler(orgs):
    return handler(orgs["harbin"], "harbin_rev")


@pytest.fixture
def national_sim(settings):
    from apps.core.adapters.simulators import SimulatorServer
    from apps.reviews.adapters.simulators import NationalReviewSimulator

    sim = NationalReviewSimulator()
    with SimulatorServer(sim) as server:
        settings.REVIEWS_NATIONAL_URL = server.url
        yield sim


@pytest.fixture
def hotline_sim(settings):
    from apps.core.adapters.simulators import SimulatorServer
    from apps.reviews.adapters.simulators import HotlineSimulator

    sim = HotlineSimulator()
    with SimulatorServer(sim) as server:
        settings.REVIEWS_HOTLINE_URL = server.url
        yield sim


@pytest.fixture(autouse=True)
def _fresh_calendar():
    from apps.core import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()
