"""The public search as one server-side prepared statement per filter shape (decision 0106): one round
trip per cold search whatever the shape, the same answers as the FilterSet, and a session that loses its
prepared statements (reconnect, DEALLOCATE) prepares them again."""
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from apps.matters import selectors
from apps.matters.filters import PublicGuideFilterSet
from apps.core.prepared import PREPARED_ATTR
from apps.matters.selectors_public_search import _shape, search_filters
from apps.matters.tests.test_api import guides  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _search(client, params):
    cache.clear()                                        # a cold search every time
    return client.get("/api/v1/matters/", params, HTTP_ACCEPT="application/json")


def _executes(sql: str, prefix: str = "matters_search_") -> bool:
    """The round trip ran the prepared statement alone (its plan mode set first, decision 0108)."""
    return re.match(rf"(SET plan_cache_mode TO \w+; )?EXECUTE {prefix}\w+\(", sql) is not None


def _expected(params) -> list[int]:
    query = QueryDict(mutable=True)
    query.update(params)
    filterset = PublicGuideFilterSet(query, queryset=selectors.public_guides())
    assert filterset.is_valid()
    return list(filterset.qs.values_list("pk", flat=True))


SHAPES = [                       # every filter the API takes, alone and together (each a distinct statement)
    {}, {"q": "食品经营"}, {"q": "0"}, {"department": None}, {"region": "230102000000"}, {"region": "bad"},
    {"theme": "餐饮开店"}, {"matter_type": "01"},
    {"q": "食品", "department": None, "region": "230100000000", "theme": "餐饮开店", "matter_type": "01"},
    {"q": "X", "department": None, "region": "bad", "theme": "无", "matter_type": "02"},
]


@pytest.mark.spec("MAT-2.2.14")
@pytest.mark.parametrize("params", SHAPES)
def test_each_filter_shape_answers_in_one_statement_like_the_filterset(client, guides, params):  # noqa: F811
    params = {k: (str(guides[0].implementing_body_id) if v is None else v) for k, v in params.items()}
    expected = _expected(params)
    for _ in range(2):                                   # preparing, then executing the prepared statement
        with CaptureQueriesContext(connection) as queries:
            body = _search(client, params).json()
        assert len(queries.captured_queries) == 1
        assert [row["id"] for row in body["results"]] == expected and body["count"] == len(expected)
    assert _executes(queries.captured_queries[0]["sql"])
    assert len({_shape(search_filters(QueryDict("&".join(f"{k}={v}" for k, v in p.items()))))
                for p in ({}, {"q": "a"}, {"q": "中"}, {"theme": "t"}, {"q": "中", "theme": "t"})}) == 5


@pytest.mark.spec("MAT-2.2.14")
def test_rows_labels_and_paging_are_those_of_the_drf_path(client, guides):  # noqa: F811
    for params in ({}, {"page_size": 1}, {"page_size": 1, "page": 2}, {"q": "食品"}):
        lean = _search(client, params).json()
        drf = client.get("/api/v1/matters/", {**params, "format": "json"}).json()
        assert lean["results"] == drf["results"] and lean["count"] == drf["count"]
    assert lean["results"][0]["matter_type_display"] == "行政许可"


@pytest.mark.spec("MAT-2.2.14")
@pytest.mark.django_db(transaction=True)            # autocommit, as a request runs: close() really closes
def test_prepared_search_survives_a_reconnect(client, guides):  # noqa: F811
    first = _search(client, {"q": "食品"}).json()
    raw = getattr(connection, PREPARED_ATTR)[0]
    assert raw is connection.connection and getattr(connection, PREPARED_ATTR)[1]
    connection.close()                                   # the session and its prepared statements are gone
    with CaptureQueriesContext(connection) as queries:
        again = _search(client, {"q": "食品"}).json()
    assert again == first
    assert len(queries.captured_queries) == 1 and queries.captured_queries[0]["sql"].startswith("PREPARE")
    assert getattr(connection, PREPARED_ATTR)[0] is connection.connection is not raw


@pytest.mark.django_db(transaction=True)
def test_a_statement_the_session_lost_is_prepared_again(client, guides):  # noqa: F811
    """Outside a transaction (as the API runs), a DEALLOCATE behind our back costs one retry, not an error."""
    first = _search(client, {"theme": "餐饮开店"}).json()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert _search(client, {"theme": "餐饮开店"}).json() == first
    getattr(connection, PREPARED_ATTR)[1].clear()       # we forgot it, the session still has it
    assert _search(client, {"theme": "餐饮开店"}).json() == first


@pytest.mark.spec("MAT-2.2.14")
def test_the_estimate_comes_in_the_same_round_trip(client, guides, monkeypatch):  # noqa: F811
    monkeypatch.setattr("apps.matters.selectors_public.COUNT_EXACT_UP_TO", 1)
    with CaptureQueriesContext(connection) as queries:
        response = _search(client, {"page_size": 1, "q": "食品"})
    assert len(queries.captured_queries) == 1
    assert response["X-Count-Estimated"] == "true" and response.json()["count"] >= 2
    assert response.json()["next"] == "http://testserver/api/v1/matters/?page=2&page_size=1&q=%E9%A3%9F%E5%93%81"


def _names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT upper_name FROM matters_itemname")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.spec("MAT-2.2.14")
def test_the_search_finds_items_by_names_given_by_any_write_path(client, guides):  # noqa: F811
    """Decision 0107: the plain-SQL search matches the distinct-name table, which the database keeps from
    every insert and update — services, bulk writes and raw UPDATEs alike — so no item can be missed."""
    from apps.matters.models import ImplementationItem

    item = guides[0]
    assert item.name.upper() in _names()
    ImplementationItem.objects.filter(pk=item.pk).update(name="Ｘ市Alpha证明事项")     # no save(), no signal
    assert "Ｘ市ALPHA证明事项" in _names()
    for term, expected in (("alpha证明", [item.pk]), ("ALPHA", [item.pk]), ("食品经营", [guides[1].pk])):
        with CaptureQueriesContext(connection) as queries:
            body = _search(client, {"q": term}).json()
        assert _executes(queries.captured_queries[-1]["sql"])
        assert [row["id"] for row in body["results"]] == expected == _expected({"q": term})
    clone = ImplementationItem.objects.get(pk=guides[1].pk)
    clone.pk, clone.name = None, "批量写入的新名称"
    clone.implementation_code = clone.implementation_code[:-1] + ("9" if clone.implementation_code[-1] != "9" else "8")
    ImplementationItem.objects.bulk_create([clone])
    assert "批量写入的新名称" in _names()
    assert [row["id"] for row in _search(client, {"q": "新名称"}).json()["results"]] == [clone.pk]


def _plans(prefix: str) -> tuple[int, int]:
    """(generic, custom) plans PostgreSQL used for this session's statements named `prefix…`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)"
                       " FROM pg_prepared_statements WHERE name LIKE %s", [f"{prefix}%"])
        return tuple(cursor.fetchone())


@pytest.mark.spec("MAT-2.2.14")
@pytest.mark.django_db(transaction=True)
def test_value_independent_shapes_run_one_generic_plan_and_prefix_shapes_custom_ones(client, guides):  # noqa: F811
    """Decision 0108: a name, theme or type search is planned once per session (planning cost more than
    running it); a region or code prefix needs its value to become an index range, so it is re-planned."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    getattr(connection, PREPARED_ATTR, (None, set()))[1].clear()
    for term in ("食品经营", "食品", "经营许可", "不存在"):
        assert _search(client, {"q": term, "theme": "餐饮开店"}).status_code == 200
    assert _plans("matters_search_") == (4, 0)
    for region in ("230102000000", "230100000000", "230102000000"):
        assert _search(client, {"region": region}).status_code == 200
    generic, custom = _plans("matters_search_")
    assert (generic, custom) == (4, 3)


@pytest.mark.spec("MAT-2.2.14")
@pytest.mark.parametrize("params", [
    {"q": "食品"}, {"q": "食品", "theme": "餐饮开店"}, {"q": "经营", "matter_type": "01"}, {"q": "食品", "department": None},
    {"q": "食品", "theme": "无此主题"},
])
def test_name_search_past_the_exact_count_walks_the_code_order_like_the_filterset(client, guides, params,  # noqa: F811
                                                                                monkeypatch):
    """Above COUNT_EXACT_UP_TO the page comes from the walk of the code index (names matched once, not
    per row): page by page the same rows, in the same order, as the FilterSet."""
    monkeypatch.setattr("apps.matters.selectors_public.COUNT_EXACT_UP_TO", 1)
    params = {k: (str(guides[0].implementing_body_id) if v is None else v) for k, v in params.items()}
    expected = _expected(params)
    pages = [_search(client, {**params, "page_size": 1, "page": page}) for page in (1, 2, 3)]
    found = [row["id"] for response in pages if response.status_code == 200 for row in response.json()["results"]]
    assert found == expected
    assert pages[0].json()["count"] == len(expected) or pages[0]["X-Count-Estimated"] == "true"


@pytest.mark.spec("MAT-2.2.14")
def test_guide_detail_is_one_prepared_lookup_and_no_bigint_is_not_found(client, guides):  # noqa: F811
    item = guides[0]
    for _ in range(2):                                   # preparing, then executing the prepared statement
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/matters/{item.pk}/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200 and response.json()["id"] == item.pk
        assert len(queries.captured_queries) == 1
    assert _executes(queries.captured_queries[0]["sql"], "matters_guide_read_")
    for pk in (2**63, 10**30):                           # the URL takes any integer; the column is a bigint
        response = client.get(f"/api/v1/matters/{pk}/", HTTP_ACCEPT="application/json")
        assert response.status_code == 404 and response.json()["message"]
