import pytest

from apps.analytics.tests.factories import Province, administrator


@pytest.fixture
def province(orgs):
    return Province(orgs)


@pytest.fixture
def ana_admin(orgs):
    return administrator(orgs["province"])
