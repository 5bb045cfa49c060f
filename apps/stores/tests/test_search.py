"""STORE-2.f smart search: automatic segmentation of the typed text, associated words set in the back
office widen the search, related keywords are shown, the division scope narrows the results. The rows
come from apps.matters' public guide search (same published matters, same order)."""
import pytest
from django.urls import reverse

from apps.stores.models import KeywordAssociation
from apps.stores.segmentation import segment
from apps.stores.selectors_search import smart_search
from apps.stores.services.search import keyword_association_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(publish):
    return {"food_harbin": publish("食品经营许可", "harbin"),
            "food_daoli": publish("食品经营许可", "daoli"),
            "catering": publish("餐饮服务备案", "daoli"),
            "elder_card": publish("老年人优待证办理", "harbin")}


@pytest.mark.spec("STORE-2.f")
def test_segmentation_splits_a_question_into_search_words():
    result = segment("如何办理食品经营许可证")
    assert result.words == ["如何", "办理", "食品经营许可证"]
    assert result.terms == ["食品经营许可证"]
    assert segment("我要开饭店 在哈尔滨").terms == ["开饭店", "哈尔滨"]
    # words set by administrators become part of the dictionary
    assert segment("我想开个体小吃店", extra_words=["小吃店"]).terms[-1] == "小吃店"


@pytest.mark.spec("STORE-2.f")
def test_an_administrator_sets_associated_words_and_the_search_matches_them(client, catalogue, portal_admin):
    # Without an association, "开饭店" is in no matter name: nothing found.
    page = client.get(reverse("stores-public:search"), {"q": "我要开饭店"}).content.decode()
    assert 'data-result="' not in page
    client.force_login(portal_admin)
    response = client.post(reverse("stores:keyword-add"), {"keyword": "开饭店", "associated_words": "食品经营许可、餐饮",
                                                           "is_enabled": "on"})
    assert response.status_code == 302
    assert KeywordAssociation.objects.get(keyword="开饭店").associated_words == ["食品经营许可", "餐饮"]
    client.logout()
    html = client.get(reverse("stores-public:search"), {"q": "我要开饭店"}).content.decode()
    for key in ("food_harbin", "food_daoli", "catering"):
        assert f'data-result="{catalogue[key].implementation_code}"' in html
    assert catalogue["elder_card"].implementation_code not in html
    assert 'data-word="开饭店"' in html and 'data-associated="餐饮"' in html       # segmentation + expansion shown


@pytest.mark.spec("STORE-2.f")
def test_related_keywords_are_displayed(client, catalogue, portal_admin):
    keyword_association_save(actor=portal_admin, keyword="开饭店", associated_words=["食品经营许可", "餐饮"])
    keyword_association_save(actor=portal_admin, keyword="开公司", associated_words=["营业执照", "企业设立"])
    html = client.get(reverse("stores-public:search"), {"q": "食品经营许可"}).content.decode()
    # the keyword whose associated words contain the searched word is offered as a related search
    assert 'data-related="开饭店"' in html and 'data-related="开公司"' not in html
    body = client.get("/api/v1/stores/search/", {"q": "开饭店"}).json()
    assert body["expansions"] == {"开饭店": ["食品经营许可", "餐饮"]} and body["related"][:2] == ["食品经营许可", "餐饮"]


@pytest.mark.spec("STORE-2.f")
def test_the_division_scope_narrows_the_results(client, catalogue):
    everywhere = client.get("/api/v1/stores/search/", {"q": "食品经营许可"}).json()
    daoli = client.get("/api/v1/stores/search/", {"q": "食品经营许可", "region": "230102000000"}).json()
    qiqihar = client.get("/api/v1/stores/search/", {"q": "食品经营许可", "region": "230200000000"}).json()
    assert everywhere["count"] == 2 and daoli["count"] == 1 and qiqihar["count"] == 0
    assert daoli["results"][0]["implementation_code"] == catalogue["food_daoli"].implementation_code
    assert daoli["region"] == "230102000000"
    html = client.get(reverse("stores-public:search"), {"q": "食品经营许可", "region": "230102000000"}).content.decode()
    assert catalogue["food_daoli"].implementation_code in html
    assert catalogue["food_harbin"].implementation_code not in html


@pytest.mark.spec("STORE-2.f")
def test_a_division_named_in_the_text_becomes_the_scope(client, catalogue):
    body = client.get("/api/v1/stores/search/", {"q": "道里区食品经营许可"}).json()
    assert body["region"] == "230102000000" and body["terms"] == ["食品经营许可"] and body["count"] == 1
    assert body["results"][0]["implementation_code"] == catalogue["food_daoli"].implementation_code
    body = client.get("/api/v1/stores/search/", {"q": "哈尔滨 食品经营许可"}).json()
    assert body["region"] == "230100000000" and body["count"] == 2
    # an explicit choice of scope wins over the text
    body = client.get("/api/v1/stores/search/", {"q": "道里区 食品经营许可", "region": "230200000000"}).json()
    assert body["region"] == "230200000000" and body["count"] == 0


@pytest.mark.spec("STORE-2.f")
def test_a_question_with_several_words_falls_back_to_any_word(catalogue):
    found = smart_search(text="老年人优待证怎么办 哈尔滨市")
    assert found.terms[0] == "老年人优待证"
    assert [r["implementation_code"] for r in found.page.rows] == [catalogue["elder_card"].implementation_code]


@pytest.mark.spec("STORE-2.f")
@pytest.mark.parametrize("params, field", [({"q": "如何办理"}, "q"), ({"q": "食品", "region": "99"}, "region"),
                                           ({"q": "食品", "region": "239900000000"}, "region")])
def test_bad_search_input_is_a_clear_400(client, catalogue, params, field):
    response = client.get("/api/v1/stores/search/", params)
    assert response.status_code == 400 and field in response.json()["errors"]
    page = client.get(reverse("stores-public:search"), params)
    assert page.status_code == 400 and 'role="alert"' in page.content.decode()


@pytest.mark.spec("STORE-2.f")
def test_keyword_associations_need_the_permission_and_bad_input_writes_nothing(client, resident, orgs, portal_admin):
    from apps.stores.tests.conftest import staff_with

    clerk = staff_with("clerk", orgs["harbin_dept"], "stores.view_flagshipstore")
    client.force_login(clerk)
    assert client.post(reverse("stores:keyword-add"), {"keyword": "开饭店", "associated_words": "餐饮"}).status_code == 403
    assert client.post("/api/v1/stores/keywords/", {"keyword": "开饭店", "associated_words": ["餐饮"]},
                       content_type="application/json").status_code == 403
    client.force_login(portal_admin)
    response = client.post(reverse("stores:keyword-add"), {"keyword": "开饭店", "associated_words": "开饭店"})
    assert response.status_code == 400 and "关联词不能与关键字相同" in response.content.decode()
    response = client.post("/api/v1/stores/keywords/", {"keyword": "", "associated_words": []},
                           content_type="application/json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"keyword", "associated_words"}
    assert not KeywordAssociation.objects.exists()


@pytest.mark.spec("STORE-2.f")
def test_search_page_query_count_does_not_grow_with_results(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get(reverse("stores-public:search"), {"q": "食品经营许可 餐饮"})
    assert response.status_code == 200
