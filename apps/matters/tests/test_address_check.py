"""MAT-7.9 address check: the reader requests each online item's address over real HTTP (a simulator
answering 200 / 404 / 500 / a non-item page / a hang past the timeout) and files the errors, which the
department then corrects on the address-error list."""
import pytest

from apps.core.adapters.simulators import SimulatorServer
from apps.matters.adapters.address_simulator import AddressSimulator
from apps.matters.models import AddressError, ImplementationItem
from apps.matters.services.address_check import address_check_run
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.tests.factories import establishment_user

pytestmark = pytest.mark.django_db


@pytest.mark.spec("MAT-7.9")
def test_reader_files_unreachable_missing_and_wrong_pages_once(published_item, people, orgs):
    items = []
    for key, body in (("harbin", orgs["harbin_dept"]), ("daoli", orgs["daoli_dept"])):
        item = catalogue_item_claim(actor=people[key], catalogue_item=published_item, implementing_body=body)
        matter_submit(actor=people[key], item=item)
        matter_review(actor=establishment_user(body.region, f"bb_{key}"), item=item, approve=True)
        items.append(item)
    simulator = AddressSimulator(slow_seconds=3)
    with SimulatorServer(simulator) as server:
        urls = {items[0].pk: f"{server.url}/item/{items[0].implementation_code}",      # fine
                items[1].pk: f"{server.url}/missing/x"}                                 # 404
        for pk, url in urls.items():
            ImplementationItem.objects.filter(pk=pk).update(online_handling_url=url)
        summary = address_check_run(timeout=1.0, workers=2)
        assert summary == {"checked": 2, "errors": 1}
        error = AddressError.objects.get()
        assert error.implementation_item_id == items[1].pk and error.category == "unreachable"
        assert error.department == orgs["daoli_dept"] and error.detail == "HTTP 404" and error.detected_at
        # an open error is not filed again; other failures are classified
        ImplementationItem.objects.filter(pk=items[0].pk).update(online_handling_url=f"{server.url}/slow/x")
        assert address_check_run(timeout=1.0, workers=2) == {"checked": 1, "errors": 1}
        assert AddressError.objects.get(implementation_item=items[0]).detail.startswith("访问超时")
        assert len(simulator.hits) == 3
