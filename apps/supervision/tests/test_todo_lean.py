"""The to-do list's lean GET (decision 0503): the same answer as the DRF view it replaces for the common
shape, the same data scope, fixed statements, and everything else still answered by the DRF view."""
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.supervision.api import views as api_views
from apps.supervision.models import Complaint
from apps.supervision.services.workflow import complaint_step
from apps.supervision.tests.factories import file_complaint

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision/complaints/"


@pytest.fixture
def lean_calls(monkeypatch):
    """Counts the requests the lean view answered itself (None = handed to DRF)."""
    answered = []
    original = api_views.lean_todo_response

    def spy(request):
        response = original(request)
        answered.append(response is not None)
        return response

    monkeypatch.setattr(api_views, "lean_todo_response", spy)
    return answered


@pytest.fixture
def cases(people, orgs):
    """Harbin: assigned to the Harbin department, accepted, pending suggestions, one concluded;
    Qiqihar: two pending; different sources and kinds."""
    harbin, made = people["harbin"], []
    for n in range(4):
        complaint = file_complaint(title=f"哈尔滨投诉{n}")
        complaint_step(complaint=complaint, action="accept", actor=harbin)
        if n % 2 == 0:
            complaint_step(complaint=complaint, action="assign", actor=harbin, department=orgs["harbin_dept"])
        made.append(complaint)
    for n in range(3):
        made.append(file_complaint(title=f"哈尔滨建议{n}", kind="suggestion"))
    Complaint.objects.filter(pk=made[-1].pk).update(status="concluded")
    Complaint.objects.filter(pk__in=[made[1].pk, made[5].pk]).update(source="govcn")
    for n in range(2):
        made.append(file_complaint(title=f"齐齐哈尔投诉{n}", region="230200000000"))
    return made


COMBINATIONS = [
    {},
    {"done": "false"},
    {"done": "true"},
    {"source": "provincial", "done": "false"},
    {"source": "provincial", "done": "false", "page": "2", "page_size": "2"},
    {"status": "assigned"},
    {"kind": "suggestion", "done": "false"},
    {"page_size": "3", "page": "2"},
    {"page_size": "3", "page": "3"},
    {"source": "", "done": "", "page_size": "0"},
]


def _both(client, params, lean_calls, monkeypatch):
    """(lean response, DRF response) of the same request, each counting afresh."""
    cache.clear()
    lean = client.get(URL, params)
    # the lean view answers every combination except a page the caller's scope does not have (DRF's 404)
    assert lean_calls[-1] is True or lean.status_code == 404, params
    cache.clear()
    with monkeypatch.context() as patch:
        patch.setattr(api_views, "lean_todo_response", lambda request: None)
        drf = client.get(URL, params)
    return lean, drf


@pytest.mark.spec("PORTAL-1.5")
@pytest.mark.parametrize("who", ["province", "harbin", "dept", "qiqihar", "idle"])
def test_lean_answer_is_identical_to_the_drf_view(client, people, cases, lean_calls, monkeypatch, who):
    client.force_login(people[who])
    for params in COMBINATIONS:
        lean, drf = _both(client, params, lean_calls, monkeypatch)
        assert lean.status_code == drf.status_code, params
        assert lean.content == drf.content, params
        assert lean["Content-Type"] == drf["Content-Type"] and lean["Allow"] == drf["Allow"]


def test_city_bureau_and_department_see_exactly_their_scope(client, people, orgs, cases, lean_calls):
    def case_numbers(user, **params):
        client.force_login(user)
        return {row["case_number"] for row in client.get(URL, {"page_size": 200, **params}).json()["results"]}

    harbin = {c.case_number for c in Complaint.objects.filter(region_id="230100000000")}
    department = {c.case_number for c in Complaint.objects.filter(department=orgs["harbin_dept"])}
    assert len(department) == 2 and len(harbin) == 7
    assert case_numbers(people["harbin"]) == harbin
    assert case_numbers(people["dept"]) == department
    assert case_numbers(people["province"]) == {c.case_number for c in Complaint.objects.all()}
    assert case_numbers(people["qiqihar"]) == {c.case_number for c in Complaint.objects.filter(
        region_id="230200000000")}
    assert case_numbers(people["dept"], status="assigned") == department
    assert case_numbers(people["harbin"], source="govcn") == {cases[1].case_number, cases[5].case_number}
    assert all(lean_calls)


def test_token_caller_gets_the_lean_answer_in_fixed_statements(client, people, cases, lean_calls):
    """Token with user + organisation + region (one query), count, rows — the role codes are already
    remembered from the workflow steps of the `cases` fixture; page 2: rows only (token user and the
    total are remembered)."""
    token = Token.objects.create(user=people["harbin"])
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_ACCEPT": "application/json"}
    with CaptureQueriesContext(connection) as first:
        page1 = client.get(URL, {"done": "false", "page_size": 2}, **headers).json()
    with CaptureQueriesContext(connection) as later:
        page2 = client.get(URL, {"done": "false", "page_size": 2, "page": 2}, **headers).json()
    assert len(first.captured_queries) == 3 and len(later.captured_queries) == 1
    assert page1["count"] == page2["count"] == 6 and len(page2["results"]) == 2
    assert page2["previous"] == "http://testserver/api/v1/supervision/complaints/?done=false&page_size=2"
    assert page2["next"].endswith("?done=false&page=3&page_size=2") and page2["results"][0]["mobile"] == "138****8000"
    assert lean_calls == [True, True]


def test_repeated_shapes_reuse_the_compiled_statement(client, people, cases, lean_calls):
    """A second caller of another city with the same filters: same compiled shape, own scope value."""
    from apps.supervision.api import todo

    todo._shapes.clear()
    client.force_login(people["harbin"])
    assert client.get(URL, {"done": "false"}).json()["count"] == 6
    client.force_login(people["qiqihar"])
    assert client.get(URL, {"done": "false"}).json()["count"] == 2
    assert len(todo._shapes) == 1 and lean_calls == [True, True]


def test_authorisation_matrix_and_refusals(client, people, cases, lean_calls):
    assert client.get(URL).status_code == 403                                    # anonymous
    assert client.get(URL, HTTP_AUTHORIZATION="Token nonsense").status_code == 403
    citizen = cases[0].complainant
    client.force_login(citizen)                                                  # a citizen: own complaints
    assert [r["case_number"] for r in client.get(URL).json()["results"]] == [cases[0].case_number]
    client.force_login(UserFactory(kind=UserKind.NATURAL_PERSON))
    assert client.get(URL).json()["count"] == 0
    client.force_login(people["qiqihar"])                                        # other region
    assert cases[0].case_number not in client.get(URL).content.decode()
    client.force_login(people["harbin"])
    bad = client.get(URL, {"source": "nowhere"})
    assert bad.status_code == 400 and "source" in bad.json()["errors"]
    assert client.get(URL, {"page": "9"}).status_code == 404
    assert client.get(URL, {"page": "x"}).status_code == 404
    assert client.get(URL, {"page": "last", "page_size": 5}).json()["previous"] is not None
    assert client.get(URL, {"case_number": cases[0].case_number}).json()["count"] == 1
    # only the plain shapes were answered by the lean view; the rest by DRF
    assert lean_calls.count(True) == 1
    people["harbin"].is_active = False
    people["harbin"].save()
    token = Token.objects.create(user=people["harbin"])
    client.logout()
    assert client.get(URL, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 403


def test_the_schema_still_documents_the_list_and_filing(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = schema["paths"]["/api/v1/supervision/complaints/"]
    assert operations["get"]["operationId"] == "supervision_complaint_list"
    assert operations["post"]["operationId"] == "supervision_complaint_file"
    assert {p["name"] for p in operations["get"]["parameters"]} >= {"source", "kind", "status", "done", "page"}
