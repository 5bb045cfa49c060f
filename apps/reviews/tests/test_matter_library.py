"""REV-21.1: item satisfaction written back to the matter library (事项库) — through the outbox,
over real HTTP to its simulator; a library that is down gets it later; only changed items are sent
again, with a higher version."""
import pytest
from django.utils import timezone

from apps.acceptance.tests import factories as acc
from apps.core.adapters.simulators import SimulatorServer
from apps.core.models import OutboxMessage
from apps.core.outbox import deliver
from apps.reviews.adapters.simulators import MatterLibrarySimulator
from apps.reviews.models import MatterSatisfactionPush
from apps.reviews.services.matter_library import matter_satisfaction_push
from apps.reviews.services.statistics import aggregate_pending
from apps.reviews.tests.factories import evaluate, rate

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(settings):
    sim = MatterLibrarySimulator()
    with SimulatorServer(sim) as server:
        settings.REVIEWS_MATTER_LIBRARY_URL = server.url
        yield sim


def pushes():
    return OutboxMessage.objects.filter(peer="reviews_matter_library").order_by("pk")


def received(library) -> dict:
    return {i["taskCode"]: i for i in library.listing()["items"]}


@pytest.mark.spec("REV-21.1")
def test_item_satisfaction_written_back_and_a_down_library_gets_it_later(world, library, settings):
    settings.OUTBOX_BACKOFF_SECONDS = 600
    other = acc.matter(world.org, "另一事项")
    evaluate(world.case(1), level=1)
    evaluate(world.case(2), level=4)
    rate("matter", other, 2)
    assert matter_satisfaction_push() == 0  # nothing aggregated yet, nothing to say
    aggregate_pending()
    assert matter_satisfaction_push() == 2
    message = pushes().get()
    library.inject_failures(1, 503)  # the library is down
    assert deliver(message.pk) == "pending"
    assert received(library) == {} and library.requests == 1
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())  # due: the sweep's turn
    assert deliver(message.pk) == "delivered"
    got = received(library)
    item = got[world.item.implementation_code]
    assert (item["total"], item["score"], item["goodRate"], item["badCount"], item["version"]) == (2, 70.0, 50.0, 1, 1)
    assert item["levels"] == {"1": 1, "2": 0, "3": 0, "4": 1, "5": 0} and item["taskName"] == world.item.name
    assert got[other.implementation_code]["score"] == 80.0
    # nothing changed → nothing sent; one new evaluation → only its item, with version 2
    assert matter_satisfaction_push() == 0 and pushes().count() == 1
    evaluate(world.case(3), level=1)
    aggregate_pending()
    assert matter_satisfaction_push() == 1
    assert deliver(pushes().last().pk) == "delivered"
    got = received(library)
    assert (got[world.item.implementation_code]["total"], got[world.item.implementation_code]["version"]) == (3, 2)
    assert got[other.implementation_code]["version"] == 1
    assert not MatterSatisfactionPush.objects.filter(dirty=True).exists()


def test_a_repeated_delivery_changes_nothing_at_the_library(world, library, no_backoff):
    evaluate(world.case(1), level=2)
    aggregate_pending()
    matter_satisfaction_push()
    message = pushes().get()
    assert deliver(message.pk) == "delivered"
    OutboxMessage.objects.filter(pk=message.pk).update(status="pending", next_attempt_at=timezone.now())
    assert deliver(message.pk) == "delivered"  # re-sent with the same key: the library ignores it
    assert len(library.batches) == 1 and received(library)[world.item.implementation_code]["version"] == 1
