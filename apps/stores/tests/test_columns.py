"""STORE-5.2: a department's back-office users create information columns for their own store and enter,
edit, review (审核) and delete information; an article is public only once a reviewer approved it."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.workflow import history_for
from apps.stores.models import ArticleStatus, StoreArticle, StoreColumn, StoreLevel
from apps.stores.services.columns import store_article_review
from apps.stores.services.stores import store_open, store_publish, store_template_create
from apps.stores.tests.conftest import staff_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def harbin_store(regions, orgs):
    admin = staff_with("prov_admin", orgs["province"], "stores.manage_flagshipstore")
    store_template_create(actor=admin, level=StoreLevel.CITY, city=regions["230100000000"])
    store = store_open(actor=admin, level=StoreLevel.CITY, organisation=orgs["harbin"],
                       region=regions["230100000000"], slug="harbin", name="哈尔滨市旗舰店")
    return store_publish(actor=admin, store=store)


@pytest.fixture
def editor(orgs):
    return staff_with("harbin_editor", orgs["harbin"], "stores.maintain_store_content", "stores.view_flagshipstore")


@pytest.fixture
def reviewer(orgs):
    return staff_with("harbin_reviewer", orgs["harbin"], "stores.review_storearticle", "stores.view_flagshipstore")


@pytest.mark.spec("STORE-5.2")
def test_column_article_review_publish_edit_delete(client, harbin_store, editor, reviewer):
    client.force_login(editor)
    response = client.post(reverse("stores:column-add", args=[harbin_store.pk]), {"name": "通知公告", "order": 1})
    column = StoreColumn.objects.get(name="通知公告")
    assert response.status_code == 302 and column.store == harbin_store and column.created_by == editor
    client.post(reverse("stores:article-add", args=[column.pk]),
                {"title": "哈尔滨市政务服务中心春节值班安排", "body": "第一段。\n第二段。", "submit": "1"})
    article = StoreArticle.objects.get()
    assert article.status == ArticleStatus.PENDING
    public = reverse("stores-public:store", args=["harbin"])
    assert "春节值班安排" not in client.get(public).content.decode()            # not before review
    assert client.get(reverse("stores-public:article", args=["harbin", article.pk])).status_code == 404
    # the editor cannot review; the reviewer rejects without a reason → refused, with one → rejected
    assert client.post(reverse("stores:review-list"), {"article": article.pk, "decision": "approve"}).status_code == 403
    client.force_login(reviewer)
    assert "春节值班安排" in client.get(reverse("stores:review-list")).content.decode()
    client.post(reverse("stores:review-list"), {"article": article.pk, "decision": "reject", "comment": ""})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PENDING
    client.post(reverse("stores:review-list"), {"article": article.pk, "decision": "reject", "comment": "请补充值班电话"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.REJECTED and article.review_comment == "请补充值班电话"
    # the editor fixes and resubmits; approved → public
    client.force_login(editor)
    client.post(reverse("stores:article-edit", args=[article.pk]),
                {"title": "哈尔滨市政务服务中心春节值班安排", "body": "值班电话 0451-12345。", "submit": "1"})
    client.force_login(reviewer)
    client.post(reverse("stores:review-list"), {"article": article.pk, "decision": "approve", "comment": "同意"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.reviewer == reviewer and article.published_at
    assert "春节值班安排" in client.get(public).content.decode()
    assert "0451-12345" in client.get(reverse("stores-public:article", args=["harbin", article.pk])).content.decode()
    assert [t.to_state for t in history_for(article)] == ["draft", "pending", "rejected", "draft", "pending",
                                                         "published"]
    # editing a published article takes it off the public page until reviewed again
    client.force_login(editor)
    client.post(reverse("stores:article-edit", args=[article.pk]), {"title": "春节值班安排（更新）", "body": "新内容"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT and "春节值班安排" not in client.get(public).content.decode()
    # a column with information cannot be deleted; delete the article first
    client.post(reverse("stores:column", args=[column.pk]))
    assert StoreColumn.objects.filter(pk=column.pk).exists()
    client.post(reverse("stores:article-action", args=[article.pk, "delete"]))
    assert not StoreArticle.objects.exists()
    client.post(reverse("stores:column", args=[column.pk]))
    assert not StoreColumn.objects.exists()


@pytest.mark.spec("STORE-5.2")
def test_no_self_review_and_no_other_departments_columns(harbin_store, orgs, editor):
    from apps.stores.services.columns import store_article_create, store_column_create

    both = staff_with("both_roles", orgs["harbin"], "stores.maintain_store_content", "stores.review_storearticle")
    column = store_column_create(actor=editor, store=harbin_store, name="政策解读")
    article = store_article_create(actor=both, column=column, data={"title": "自审", "body": "x"}, submit=True)
    with pytest.raises(PermissionDenied):
        store_article_review(actor=both, article=article, approve=True)
    qiqihar = staff_with("qq_editor", orgs["qiqihar"], "stores.maintain_store_content", "stores.review_storearticle")
    with pytest.raises(PermissionDenied):
        store_column_create(actor=qiqihar, store=harbin_store, name="越权栏目")
    with pytest.raises(PermissionDenied):
        store_article_review(actor=qiqihar, article=article, approve=True)
    with pytest.raises(ValidationError):
        store_article_create(actor=editor, column=column, data={"title": "", "body": ""})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PENDING and StoreColumn.objects.count() == 1
    assert StoreArticle.objects.count() == 1
