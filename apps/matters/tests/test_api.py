"""Public read side: /api/v1/matters/ search and guide detail, and the public guide page."""
import pytest
from django.urls import reverse

from apps.core.tests.factories import OrganisationFactory
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.tests.factories import department_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides(published_item, people, orgs, regions):
    """Published implementation items of the Harbin and Daoli departments, plus a Daoli draft."""
    items = []
    for key, body in (("harbin", orgs["harbin_dept"]), ("daoli", orgs["daoli_dept"])):
        item = catalogue_item_claim(actor=people[key], catalogue_item=published_item, implementing_body=body)
        matter_submit(actor=people[key], item=item)
        matter_review(actor=people["harbin_establishment"], item=item, approve=True)
        items.append(item)
    other = OrganisationFactory(name="道里区卫生健康局", region=regions["230102000000"], parent=orgs["daoli_dept"])
    catalogue_item_claim(actor=department_user(other, "daoli_health"), catalogue_item=published_item,
                         implementing_body=other)                            # draft: never public
    return items


@pytest.mark.spec("MAT-2.2.14")
def test_search_lists_only_published_items_with_few_queries(client, guides, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/matters/")
    body = response.json()
    assert response.status_code == 200 and body["count"] == 2
    assert {row["implementation_code"] for row in body["results"]} == {g.implementation_code for g in guides}


@pytest.mark.spec("MAT-2.2.14")
@pytest.mark.parametrize("params, expected", [
    ({"q": "食品经营"}, 2), ({"q": "不存在的事项"}, 0), ({"region": "230102000000"}, 1),
    ({"region": "230100000000"}, 2), ({"region": "230200000000"}, 0), ({"theme": "餐饮开店"}, 2),
    ({"matter_type": "01"}, 2), ({"region": "bad"}, 0),
])
def test_search_by_name_code_region_theme(client, guides, params, expected):
    assert client.get("/api/v1/matters/", params).json()["count"] == expected


@pytest.mark.spec("MAT-2.2.14")
def test_search_by_code_and_department(client, guides, orgs):
    daoli = guides[1]
    assert client.get("/api/v1/matters/", {"q": daoli.implementation_code}).json()["count"] == 1
    body = client.get("/api/v1/matters/", {"department": orgs["daoli_dept"].pk}).json()
    assert [row["id"] for row in body["results"]] == [daoli.pk]
    assert client.get("/api/v1/matters/", {"department": "x"}).status_code == 400


@pytest.mark.spec("MAT-2.2.14")
def test_guide_detail_has_elements_materials_and_steps(client, guides, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(f"/api/v1/matters/{guides[0].pk}/")
    body = response.json()
    assert body["name"] == "食品经营许可" and body["supervision_phone"] == "0451-12345"
    assert [m["name"] for m in body["materials"]] == ["营业执照", "食品经营许可申请书"]
    assert sum(s["step_limit_working_days"] for s in body["steps"][1:]) == body["committed_limit_working_days"]


def test_draft_guide_is_not_public(client, guides):
    from apps.matters.models import ImplementationItem

    draft = ImplementationItem.objects.get(status="draft")
    assert client.get(f"/api/v1/matters/{draft.pk}/").status_code == 404
    assert client.get(reverse("matters-public:guide-detail", args=[draft.pk])).status_code == 404


@pytest.mark.spec("MAT-2.2.14")
def test_public_guide_page_and_search_page(client, guides, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        html = client.get(reverse("matters-public:guide-detail", args=[guides[0].pk])).content.decode()
    assert "食品经营许可申请书" in html and "0451-12345" in html and "10 个工作日" in html
    html = client.get(reverse("matters-public:guide-list"), {"q": "食品"}).content.decode()
    assert html.count("matters/" + str(guides[0].pk)) == 1 and "道里区市场监督管理局" in html


@pytest.mark.spec("MAT-2.2.14")
def test_search_and_detail_are_one_query_then_cached_until_a_change(client, guides, people,
                                                                    django_assert_num_queries):
    """Detail: one indexed lookup of the stored guide document, which the approved change rewrote
    (decision 0104); search: a page holding every match is one query (no COUNT), a repeated request
    answers from the cache, and the change retires the cached answers (generation key, decision 0105)."""
    from apps.matters.services.changes import matter_change_submit

    item = guides[0]
    with django_assert_num_queries(1):
        assert client.get(f"/api/v1/matters/{item.pk}/").json()["handling_location"] == "道里区政务服务中心2号窗口"
    with django_assert_num_queries(1):
        assert client.get("/api/v1/matters/", {"q": "食品"}).json()["count"] == 2
    with django_assert_num_queries(1):
        client.get(f"/api/v1/matters/{item.pk}/")
    with django_assert_num_queries(0):
        client.get("/api/v1/matters/", {"q": "食品"})
    matter_change_submit(actor=people["harbin"], item=item, proposed={"handling_location": "新地址3号窗口"})
    with django_assert_num_queries(1):
        assert client.get(f"/api/v1/matters/{item.pk}/").json()["handling_location"] == "新地址3号窗口"
