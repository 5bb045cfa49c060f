import pytest

from apps.acceptance.tests import factories as f
from apps.acceptance.tests.booking_queue_support import gate, no_kick  # noqa: F401 (fixtures)
from apps.core.tests.conftest import sms_simulator  # noqa: F401 (fixture)
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from tests.conftest import browser_page, playwright_driver  # noqa: F401 (fixtures)


@pytest.fixture
def hall(orgs):
    return f.hall(orgs["harbin_dept"])


@pytest.fixture
def sub_hall(orgs, hall):
    return f.hall(orgs["daoli_dept"], name="道里区分厅", parent=hall)


@pytest.fixture
def hall_admin(orgs):
    return f.manager(orgs["harbin_dept"], "hall_admin")


@pytest.fixture
def sub_hall_admin(orgs):
    return f.manager(orgs["daoli_dept"], "sub_hall_admin")


@pytest.fixture
def other_region_admin(orgs):
    return f.manager(orgs["qiqihar"], "qiqihar_admin")


@pytest.fixture
def citizens(db):
    return [UserFactory(username=f"citizen_{n}", kind=UserKind.NATURAL_PERSON) for n in range(3)]


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Forget the kernel calendar's process cache and the acceptance read caches around each test
    (rolled-back holidays, labels and bookings must not leak into the next test)."""
    from django.core.cache import cache

    from apps.core import calendar

    cache.clear()
    calendar.invalidate()
    yield
    cache.clear()
    calendar.invalidate()
