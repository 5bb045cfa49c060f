"""Portal pages: lists with filters/export, detail, declaration, change with highlighted diff, compare, review."""
import pytest
from django.urls import reverse

from apps.matters.models import CatalogueItem, ChangeRequest, MatterStatus
from apps.matters.services.changes import matter_change_submit
from apps.matters.services.declaration import catalogue_item_declare
from apps.matters.tests.factories import children, element_data, legal_affairs_user

pytestmark = pytest.mark.django_db


def _formset(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"{prefix}-{i}-{key}"] = "on"
            elif value is not False:
                data[f"{prefix}-{i}-{key}"] = value
    return data


def _element_post(item=None, **overrides):
    values = element_data(**overrides)
    data = {key: ("on" if value is True else value) for key, value in values.items()
            if value is not False and value is not None}
    data.update({"handling_form": "window_and_online", "implementing_body_nature": "1", "case_type": "committed",
                 "handling_department": str(item.handling_department_id if item else overrides.get("dept", ""))})
    return data


def _children_post(step_limits=(3, 3, 4)):
    rows = children(step_limits=step_limits)
    return {**_formset("steps", rows["steps"]), **_formset("materials", rows["materials"])}


@pytest.mark.spec("MAT-2.1.5")
def test_declaration_page_refuses_bad_time_limits_and_accepts_good_ones(client, people, orgs):
    client.force_login(people["harbin"])
    url = reverse("matters:catalogue-declare")
    assert client.get(url).status_code == 200
    data = {**_element_post(committed_limit_working_days=25, dept=orgs["harbin_dept"].pk),
            "department": orgs["harbin_dept"].pk, **_children_post(), "submit": "1"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "不得超过法定办结时限" in response.content.decode()
    assert CatalogueItem.objects.count() == 0
    data["committed_limit_working_days"] = 10
    response = client.post(url, data)
    item = CatalogueItem.objects.get()
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    assert item.status == MatterStatus.PENDING_REVIEW and item.steps.count() == 4


@pytest.mark.spec("MAT-2.1.5")
def test_declaration_from_template_is_prefilled(client, published_item, people):
    client.force_login(people["harbin"])
    response = client.get(reverse("matters:catalogue-declare") + f"?template={published_item.pk}")
    html = response.content.decode()
    assert published_item.legal_basis in html and "营业执照" in html


# Multi-level listing (part of MAT-2.1.2 and 2.1.9, not yet the whole items)
def test_catalogue_list_filters_paginates_exports_and_is_scoped(client, published_item, people,
                                                                django_assert_max_num_queries):
    for n in range(3):
        catalogue_item_declare(actor=people["harbin"], department=published_item.department,
                               data=element_data(name=f"其他事项{n}"), children=children())
    url = reverse("matters:catalogue-list")
    client.force_login(people["harbin"])
    with django_assert_max_num_queries(12):
        html = client.get(url).content.decode()
    assert "其他事项2" in html and published_item.basic_code in html
    html = client.get(url, {"q": published_item.basic_code}).content.decode()
    assert "其他事项2" not in html and "食品经营许可" in html
    export = client.get(url, {"status": "published", "export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(people["qiqihar"])
    html = client.get(url).content.decode()
    assert "食品经营许可" not in html and "没有符合条件的记录" in html


# Scope (part of MAT-2.1.2)
def test_another_citys_staff_get_404_on_detail_change_and_compare(client, published_item, people):
    client.force_login(people["qiqihar"])
    for name in ("detail", "change", "compare"):
        assert client.get(reverse(f"matters:catalogue-{name}", args=[published_item.pk])).status_code == 404
    response = client.post(reverse("matters:catalogue-change", args=[published_item.pk]), {"confirm": "1"})
    assert response.status_code == 404
    assert ChangeRequest.objects.count() == 0


@pytest.mark.spec("MAT-2.1.6")
def test_change_form_is_prefilled_and_highlights_changes_before_submission(client, published_item, people, regions):
    legal_affairs_user(regions["230100000000"], "harbin_fzb")
    client.force_login(people["harbin"])
    url = reverse("matters:catalogue-change", args=[published_item.pk])
    html = client.get(url).content.decode()
    assert 'value="0451-12345"' in html and "营业执照" in html
    data = {**_element_post(published_item, supervision_phone="0451-99999999", faq="问：能否邮寄？"),
            **_children_post()}
    preview = client.post(url, data)
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-changed="supervision_phone"' in html and 'data-changed="faq"' in html
    assert 'data-changed="handling_location"' not in html
    assert 'class="field changed" data-field="supervision_phone"' in html
    assert "需逐级报法制办审核" in html
    assert ChangeRequest.objects.count() == 0                      # preview writes nothing
    response = client.post(url, {**data, "confirm": "1", "reason": "更新监督电话与常见问题"})
    change = ChangeRequest.objects.get()
    assert response.status_code == 302 and response.url == change.get_absolute_url()
    assert set(change.changed_fields) == {"supervision_phone", "faq"}


@pytest.mark.spec("MAT-2.1.6", "MAT-2.1.3", "MAT-2.2.5")
def test_immediate_change_then_compare_page_highlights_changed_fields(client, published_item, people):
    client.force_login(people["harbin"])
    url = reverse("matters:catalogue-change", args=[published_item.pk])
    data = {**_element_post(published_item, handling_location="新址一楼"), **_children_post(), "confirm": "1"}
    client.post(url, data)
    published_item.refresh_from_db()
    assert published_item.version == 2
    html = client.get(reverse("matters:catalogue-compare", args=[published_item.pk]), {"a": 1, "b": 2}).content
    html = html.decode()
    assert 'class="changed" data-changed="handling_location"' in html
    assert "新址一楼" in html and "道里区政务服务中心2号窗口" in html
    assert html.count('class="changed"') == 1
    assert client.get(reverse("matters:catalogue-compare", args=[published_item.pk]), {"a": 9}).status_code == 404


@pytest.mark.spec("MAT-2.1.6")
def test_legal_affairs_office_reviews_in_the_inbox_and_on_the_page(client, published_item, people, regions):
    reviewer = legal_affairs_user(regions["230100000000"], "harbin_fzb")
    change = matter_change_submit(actor=people["harbin"], item=published_item, proposed={"faq": "新问答"})
    from apps.core.navigation import inbox_for

    assert [i.url for i in inbox_for(reviewer)] == [change.get_absolute_url()]
    assert inbox_for(people["harbin"]) == []
    client.force_login(reviewer)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "法制办审核" in page and "新问答" in page
    response = client.post(change.get_absolute_url(), {"decision": "reject", "comment": ""})
    assert response.status_code == 400 and "驳回时必须填写审核意见" in response.content.decode()
    client.post(change.get_absolute_url(), {"decision": "reject", "comment": "表述不清"})
    client.force_login(people["harbin"])
    page = client.get(change.get_absolute_url()).content.decode()
    assert "表述不清" in page and "驳回" in page


@pytest.mark.spec("MAT-2.1.5")
def test_item_review_page_publishes(client, people, orgs):
    item = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=element_data(),
                                  children=children())
    client.force_login(people["harbin_establishment"])
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "提交审核意见" in detail and "流转记录" in detail
    client.post(reverse("matters:catalogue-review", args=[item.pk]), {"decision": "approve", "comment": "同意"})
    item.refresh_from_db()
    assert item.status == MatterStatus.PUBLISHED


@pytest.mark.spec("MAT-2.2")
def test_claim_from_the_detail_page(client, published_item, people, orgs):
    client.force_login(people["daoli"])
    response = client.post(reverse("matters:catalogue-claim", args=[published_item.pk]))
    item = published_item.implementation_items.get()
    assert response.url == item.get_absolute_url()
    assert item.implementing_body == orgs["daoli_dept"]
    html = client.get(reverse("matters:implementation-list")).content.decode()
    assert item.implementation_code in html


def test_public_users_and_anonymous_are_kept_out_of_the_portal(client, published_item, citizen):
    url = reverse("matters:catalogue-detail", args=[published_item.pk])
    assert client.get(url).status_code == 302
    client.force_login(citizen)
    assert client.get(url).status_code == 403


@pytest.mark.spec("MAT-2.2", "MAT-2.1.6")
def test_lower_department_sees_the_published_catalogue_item_but_cannot_change_it(client, published_item, people):
    client.force_login(people["daoli"])
    assert client.get(published_item.get_absolute_url()).status_code == 200
    url = reverse("matters:catalogue-change", args=[published_item.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "1"}).status_code == 403
    assert ChangeRequest.objects.count() == 0
