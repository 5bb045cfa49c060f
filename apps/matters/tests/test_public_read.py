"""Public read side at bench speed: the stored guide document behind the detail API (decision 0104)
and the lean search with its bounded count (decision 0105)."""
import pytest
from django.core.management import call_command
from django.db import connection

from apps.matters.api.serializers import GuideDetailSerializer
from apps.matters.models import ApplicationMaterial, ImplementationItem, PublicGuide
from apps.matters.services.changes import matter_change_submit
from apps.matters.services.dynamics import matter_suspension_review, matter_suspension_submit
from apps.matters.tests.test_api import guides  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _by_serializer(pk) -> dict:
    """The guide as the documented serializer renders it from model instances (an independent path)."""
    item = (ImplementationItem.objects.select_related("region", "handling_department", "implementing_body")
            .prefetch_related("materials", "steps", "fees", "situations").get(pk=pk))
    return dict(GuideDetailSerializer(item).data)


def _detail(client, pk):
    return client.get(f"/api/v1/matters/{pk}/", HTTP_ACCEPT="application/json")


@pytest.mark.spec("MAT-2.2.14")
def test_detail_answers_the_stored_document_in_one_query(client, guides, django_assert_num_queries):  # noqa: F811
    """Publishing stored the document; a read is one indexed lookup and equals what the serializer
    renders from the model, field for field, for every published guide."""
    assert PublicGuide.objects.filter(item__in=guides).count() == 2
    for item in guides:
        with django_assert_num_queries(1):
            response = _detail(client, item.pk)
        assert response.status_code == 200 and response["Content-Type"] == "application/json"
        assert response.json() == _by_serializer(item.pk)
        assert response.content.decode() == PublicGuide.objects.get(item=item).body


@pytest.mark.spec("MAT-2.2.14")
def test_changed_and_republished_guide_is_current_at_once(client, guides, people,  # noqa: F811
                                                          django_assert_num_queries):
    item = guides[0]
    _detail(client, item.pk)
    matter_change_submit(actor=people["harbin"], item=item, proposed={"handling_location": "新地址3号窗口"})
    with django_assert_num_queries(1):                       # refreshed by the service, not on read
        body = _detail(client, item.pk).json()
    assert body["handling_location"] == "新地址3号窗口" and body == _by_serializer(item.pk)


@pytest.mark.spec("MAT-2.2.14")
def test_suspended_guide_is_gone_like_a_draft(client, guides, people):  # noqa: F811
    item = guides[0]
    assert _detail(client, item.pk).status_code == 200
    request = matter_suspension_submit(actor=people["harbin"], item=item, reason="法规修订，暂停受理")
    matter_suspension_review(actor=people["harbin_establishment"], request=request, approve=True)
    response = _detail(client, item.pk)
    assert response.status_code == 404 and response.json()["message"]
    assert not PublicGuide.objects.filter(item=item).exists()


def test_changes_no_service_refreshed_are_rebuilt_on_the_next_read(client, guides, django_assert_num_queries):  # noqa: F811
    """A material edited behind the services' back (the child trigger stamps the item), the item saved
    elsewhere, the handling department renamed, the item unpublished by a bare UPDATE: the stored
    document no longer matches its stamps, so the next read rebuilds it (lookup, build, upsert) or answers 404."""
    item = guides[0]
    ApplicationMaterial.objects.filter(implementation_item=item, name="营业执照").update(name="营业执照副本")
    with django_assert_num_queries(3):
        body = _detail(client, item.pk).json()
    assert [m["name"] for m in body["materials"]] == ["营业执照副本", "食品经营许可申请书"]
    with django_assert_num_queries(1):
        _detail(client, item.pk)
    department = item.handling_department
    department.name = "哈尔滨市市场监督管理局（更名）"
    department.save()
    assert _detail(client, item.pk).json()["department"] == "哈尔滨市市场监督管理局（更名）"
    ImplementationItem.objects.filter(pk=item.pk).update(status="suspended")
    assert _detail(client, item.pk).status_code == 404


def test_a_document_built_from_an_older_snapshot_is_never_served(client, guides):  # noqa: F811
    """A reader that stored a document built before a concurrent change carries the older stamps."""
    item = guides[0]
    guide = PublicGuide.objects.get(item=item)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE matters_publicguide SET body = %s WHERE item_id = %s", ['{"stale":true}', item.pk])
    assert _detail(client, item.pk).json() == {"stale": True}            # stamps match: served as stored
    ImplementationItem.objects.filter(pk=item.pk).update(updated_at=guide.item_updated_at.replace(year=2020))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE matters_publicguide SET body = %s WHERE item_id = %s", ['{"stale":true}', item.pk])
    assert _detail(client, item.pk).json() == _by_serializer(item.pk)    # stamps differ: rebuilt


def test_rebuild_command_fills_and_prunes_documents(client, guides):  # noqa: F811
    PublicGuide.objects.all().delete()
    PublicGuide.objects.create(item=ImplementationItem.objects.get(status="draft"), body="{}",
                               item_updated_at="2020-01-01T00:00Z", department_updated_at="2020-01-01T00:00Z",
                               body_updated_at="2020-01-01T00:00Z")
    call_command("matters_public_guides", stdout=open("/dev/null", "w"))
    assert set(PublicGuide.objects.values_list("item_id", flat=True)) == {g.pk for g in guides}


def test_detail_keeps_drf_for_the_browsable_api_and_other_methods(client, guides):  # noqa: F811
    item = guides[0]
    assert client.get(f"/api/v1/matters/{item.pk}/", HTTP_ACCEPT="text/html").status_code == 200
    assert client.get(f"/api/v1/matters/{item.pk}/?format=json").json() == _by_serializer(item.pk)
    assert client.post(f"/api/v1/matters/{item.pk}/", {}).status_code in (403, 405)
    assert client.get("/api/v1/matters/999999/", HTTP_ACCEPT="application/json").status_code == 404


def test_a_guide_that_is_not_published_is_404_in_two_queries(client, guides, django_assert_num_queries):  # noqa: F811
    draft = ImplementationItem.objects.get(status="draft")
    with django_assert_num_queries(2):                       # no valid document; the build finds nothing
        response = _detail(client, draft.pk)
    assert response.status_code == 404 and not PublicGuide.objects.filter(item=draft).exists()


# --- search --------------------------------------------------------------------------------------

def _search(client, params, **extra):
    return client.get("/api/v1/matters/", params, HTTP_ACCEPT="application/json", **extra)


@pytest.mark.spec("MAT-2.2.14")
def test_search_page_is_one_query_then_cached(client, guides, django_assert_num_queries):  # noqa: F811
    """A page that holds every match knows its total without COUNT: one query; repeated: none."""
    with django_assert_num_queries(1):
        body = _search(client, {"q": "食品"}).json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    with django_assert_num_queries(0):
        assert _search(client, {"q": "食品"}).json() == body


@pytest.mark.spec("MAT-2.2.14")
def test_search_pages_links_and_counts_match_drf(client, guides, monkeypatch):  # noqa: F811
    """Page links as DRF's paginator writes them; beyond COUNT_EXACT_UP_TO the total is PostgreSQL's
    estimate, flagged by the X-Count-Estimated header; past the end and bad pages answer like DRF."""
    first = _search(client, {"page_size": 1})
    body = first.json()
    assert body["count"] == 2 and body["next"] == "http://testserver/api/v1/matters/?page=2&page_size=1"
    assert "X-Count-Estimated" not in first
    second = _search(client, {"page_size": 1, "page": 2}).json()
    assert second["previous"] == "http://testserver/api/v1/matters/?page_size=1" and second["next"] is None
    assert {body["results"][0]["id"], second["results"][0]["id"]} == {g.pk for g in guides}
    assert _search(client, {"page": 3}).status_code == 404
    assert _search(client, {"page": "x"}).status_code == 404
    assert _search(client, {"department": "x"}).status_code == 400
    monkeypatch.setattr("apps.matters.selectors_public.COUNT_EXACT_UP_TO", 1)
    estimated = _search(client, {"page_size": 1, "theme": "餐饮开店"})
    assert estimated["X-Count-Estimated"] == "true" and estimated.json()["count"] >= 2


@pytest.mark.spec("MAT-2.2.14")
def test_search_lean_and_drf_paths_answer_alike(client, guides):  # noqa: F811
    for params in ({}, {"q": "食品经营"}, {"region": "230102000000"}, {"page_size": 1, "page": 2}):
        lean = _search(client, params).json()
        drf = client.get("/api/v1/matters/", {**params, "format": "json"}).json()   # DRF's links carry format=
        assert (lean["count"], lean["results"]) == (drf["count"], drf["results"])
        assert (bool(lean["next"]), bool(lean["previous"])) == (bool(drf["next"]), bool(drf["previous"]))


def test_search_by_chinese_name_uses_the_name_only_and_codes_still_match(client, guides):  # noqa: F811
    """A Chinese term cannot be a code prefix: the filter is the name alone (served by the trigram index);
    an ASCII term still matches code prefixes, case-insensitively as before."""
    from apps.matters.selectors_public_search import _shape, _statement, search_filters

    def statement(q):                                      # the prepared text of the term's filter shape
        return _statement(_shape(search_filters({"q": q}))).prepare

    assert _search(client, {"q": "食品经营许可"}).json()["count"] == 2
    code = guides[1].implementation_code
    assert _search(client, {"q": code.lower()}).json()["count"] == 1
    assert "implementation_code::text LIKE" not in statement("食品经营许可")
    assert "implementation_code::text LIKE" in statement(code.lower())


@pytest.mark.spec("MAT-2.2.14")
@pytest.mark.parametrize("params", [
    {"q": "食品经营"}, {"q": " 食品 "}, {"q": "不存在"}, {"q": "100%_"}, {"region": "230102000000"},
    {"region": "230100000000"}, {"region": "bad"}, {"region": ""}, {"theme": "餐饮开店"}, {"theme": ""},
    {"matter_type": "01"}, {"matter_type": ""}, {"q": "食品", "region": "230100000000", "theme": "餐饮开店"},
])
def test_sql_search_matches_the_filterset(client, guides, params):  # noqa: F811
    """The hand-written SQL of the lean path finds exactly what PublicGuideFilterSet finds."""
    from django.http import QueryDict

    from apps.matters import selectors
    from apps.matters.filters import PublicGuideFilterSet
    from apps.matters.selectors_public_search import guide_search_page_sql, search_filters

    query = QueryDict(mutable=True)
    query.update(params)
    filterset = PublicGuideFilterSet(query, queryset=selectors.public_guides())
    assert filterset.is_valid()
    expected = list(filterset.qs.values_list("pk", flat=True))
    found = guide_search_page_sql(search_filters(query), page=1, page_size=50)
    assert [row["id"] for row in found.rows] == expected and found.count == len(expected)


def test_sql_search_leaves_what_the_filterset_refuses_to_drf(client, guides):  # noqa: F811
    from django.http import QueryDict

    from apps.matters.selectors_public_search import search_filters

    assert search_filters(QueryDict("department=x")) is None
    assert search_filters(QueryDict("matter_type=zz")) is None
    assert _search(client, {"matter_type": "zz"}).status_code == 400


@pytest.mark.spec("MAT-2.2.14")
def test_public_search_page_says_when_the_total_is_an_estimate(client, guides, monkeypatch):  # noqa: F811
    from django.urls import reverse

    html = client.get(reverse("matters-public:guide-list"), {"q": "食品"}).content.decode()
    assert "共 2 条" in html and "下一页" not in html
    monkeypatch.setattr("apps.matters.selectors_public.COUNT_EXACT_UP_TO", 1)
    monkeypatch.setattr("apps.matters.views.public.PAGE_SIZE", 1)
    html = client.get(reverse("matters-public:guide-list"), {"theme": "餐饮开店"}).content.decode()
    assert "约 " in html and "共 " not in html and "下一页" in html
    paged = client.get(reverse("matters-public:guide-list"), {"q": "食品", "page": 9}).content.decode()
    assert paged.count('class="tile"') == 1 and "第 1 页" in paged     # past the end: the first page
