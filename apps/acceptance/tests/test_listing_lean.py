"""The slot listing's lean path (decision 0420): a plain JSON GET of a cached listing is answered with the
stored JSON text — the same bytes and headers DRF sends, no SQL, no DRF request cycle — and everything
else (a miss, another format, credentials to check) goes through DRF unchanged."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from apps.acceptance.tests.test_performance import fortnight  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

HEADERS = ("Content-Type", "Allow", "Vary")


def _url(matter) -> str:
    return f"/api/v1/acceptance/bookable-matters/{matter.pk}/slots/"


@pytest.mark.spec("ACC-1.2")
def test_a_cached_listing_is_the_stored_json_text_with_drfs_headers(fortnight):  # noqa: F811
    matter, _slots = fortnight
    client = APIClient()
    by_drf = client.get(_url(matter))                        # a miss: DRF builds it and fills the cache
    with CaptureQueriesContext(connection) as queries:
        lean = client.get(_url(matter))
    assert queries.captured_queries == []
    assert lean.status_code == by_drf.status_code == 200 and len(lean.json()) == len(by_drf.json()) > 0
    assert lean.content == by_drf.content
    assert [lean[h] for h in HEADERS] == [by_drf[h] for h in HEADERS]
    assert lean["Content-Type"] == "application/json" and lean["Allow"] == "GET, HEAD, OPTIONS"
    assert not hasattr(lean, "renderer_context") and hasattr(by_drf, "renderer_context")   # not DRF's Response
    again = client.get(_url(matter), {"format": "json"})     # an explicit format: DRF, same answer
    assert hasattr(again, "renderer_context") and again.content == lean.content


@pytest.mark.spec("ACC-1.2")
def test_other_formats_and_credentials_go_through_drf(fortnight):  # noqa: F811
    matter, _slots = fortnight
    client = APIClient()
    client.get(_url(matter))                                 # cached from here on
    indented = client.get(_url(matter), HTTP_ACCEPT="application/json; indent=2")
    assert indented.status_code == 200 and b'\n  {' in indented.content
    html = client.get(_url(matter), HTTP_ACCEPT="text/html")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    refused = client.get(_url(matter), HTTP_AUTHORIZATION="Token not-a-token")
    cache.clear()
    uncached = client.get(_url(matter), HTTP_AUTHORIZATION="Token not-a-token")
    assert refused.status_code == uncached.status_code == 403     # DRF's answer, cached or not
    assert refused.json() == uncached.json()
    assert client.get("/api/v1/acceptance/bookable-matters/999999999/slots/").status_code == 404
