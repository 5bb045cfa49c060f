"""The staff to-do list API on large tables: rows rendered without DRF's per-field machinery, and
the total remembered between pages (decision 0007)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.supervision.api.serializers import (
    ComplaintListSerializer,
    COMPLAINT_LIST_VALUES,
    complaint_list_rows,
)
from apps.supervision.models import Complaint
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tests.factories import file_complaint

pytestmark = pytest.mark.django_db


def _counts(queries) -> int:
    return sum("COUNT(*)" in q["sql"] for q in queries)


def test_list_rows_match_the_documented_serializer(people, orgs):
    """The fast rows and the serializer the OpenAPI schema publishes say exactly the same thing."""
    assigned = file_complaint(title="窗口推诿扯皮")
    complaint_step(complaint=assigned, action="accept", actor=people["harbin"])
    complaint_step(complaint=assigned, action="assign", actor=people["harbin"], department=orgs["harbin_dept"])
    file_complaint(title="建议延长办公时间", kind="suggestion")          # no department, no deadline yet
    complaints = list(Complaint.objects.select_related("region", "department").order_by("pk"))
    assert {c.department_id is None for c in complaints} == {True, False}
    rows = complaint_list_rows(Complaint.objects.order_by("pk").values(*COMPLAINT_LIST_VALUES))
    assert rows == ComplaintListSerializer(complaints, many=True).data
    assert rows[0]["mobile"] == "138****8000" and rows[0]["status_display"] == "已指派"


def test_later_pages_reuse_the_total_counted_on_the_first(client, people):
    for n in range(3):
        file_complaint(title=f"投诉{n}")
    client.force_login(people["harbin"])
    url = reverse("supervision-complaint-list")
    with CaptureQueriesContext(connection) as first:
        page1 = client.get(url, {"page_size": 2, "done": "false"}).json()
    with CaptureQueriesContext(connection) as second:
        page2 = client.get(url, {"page_size": 2, "done": "false", "page": 2}).json()
    assert page1["count"] == page2["count"] == 3 and len(page2["results"]) == 1
    assert _counts(first.captured_queries) == 1 and _counts(second.captured_queries) == 0

    file_complaint(title="投诉3")
    assert client.get(url, {"page_size": 2, "done": "false", "page": 2}).json()["count"] == 3   # remembered
    assert client.get(url, {"page_size": 2, "done": "false"}).json()["count"] == 4              # page 1 recounts
    assert client.get(url, {"page_size": 2, "done": "false", "page": 2}).json()["count"] == 4
    # other filters and other users never share a remembered total
    assert client.get(url, {"page_size": 2, "done": "true", "page": 1}).json()["count"] == 0
    client.force_login(people["qiqihar"])
    assert client.get(url, {"page_size": 2, "done": "false", "page": 2}).status_code == 404   # counted: no page 2


def test_to_do_page_runs_a_fixed_number_of_queries(client, people):
    for n in range(25):
        file_complaint(title=f"投诉{n}")
    client.force_login(people["harbin"])
    url = reverse("supervision-complaint-list")
    with CaptureQueriesContext(connection) as first:
        assert client.get(url, {"done": "false"}).json()["count"] == 25
    with CaptureQueriesContext(connection) as later:
        body = client.get(url, {"done": "false", "page": 2}).json()
    # user with organisation and region, role codes (both remembered from then on), count, rows; the
    # session comes from the cache (cached_db)
    assert len(first.captured_queries) == 4
    # rows only: session, user, roles and the count are remembered
    assert len(later.captured_queries) == 1
    assert body["count"] == 25 and len(body["results"]) == 5
