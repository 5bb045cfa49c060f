"""The demo data of `make run` builds a consistent mobile platform (and only once)."""
import pytest

from apps.core.models import OrganisationKind
from apps.core.tests.factories import OrganisationFactory
from apps.mobile import transport
from apps.mobile.models import InterfaceResource, MobileApp
from apps.mobile.services.apps import app_key_matches
from apps.portal.demo.mobile import DEMO_KEY, RESOURCES, build_mobile

pytestmark = pytest.mark.django_db


@pytest.mark.spec("APP-8")
def test_demo_builds_resources_and_apps_once(regions):
    for name in {r[0] for r in RESOURCES}:
        OrganisationFactory(name=name, region=regions["230000000000"], kind=OrganisationKind.DEPARTMENT)
    build_mobile(log=lambda *_: None)
    build_mobile(log=lambda *_: None)
    assert InterfaceResource.objects.count() == len(RESOURCES)
    social = MobileApp.objects.get(identifier="hlj.hrss.social")
    assert social.listing_status == "listed" and social.bindings.count() == 2 and app_key_matches(social, DEMO_KEY)
    assert social.transport_key == transport.derive_transport_key(DEMO_KEY)
    assert social.channels.count() == 3 and social.visit_days.count() == 7
