"""信息发布 (PORTAL-5.1) as staff meet it through the portal pages: columns with their attributes,
sub-columns and articles, the home page (positions, display modes, categorised display, a fixed
query count), modifying, and refusals (cycle, too deep, non-empty delete, missing title, another
organisation's column) that write nothing; every write audited."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core.audit import AuditAction, AuditLog
from apps.core.navigation import menu_for
from apps.core.tests.factories import grant
from apps.identity.tests.factories import StaffFactory
from apps.portal.models import Article, ContentColumn

pytestmark = pytest.mark.django_db

COLUMNS = "portal.manage_contentcolumn"
ARTICLES = "portal.manage_article"
LIST_URL, ADD_URL, HOME_URL = "/portal/columns/", "/portal/columns/add/", "/portal/"


@pytest.fixture
def people(orgs):
    editors = {key: grant(StaffFactory(username=f"cms_{key}", organisation=org), COLUMNS, ARTICLES,
                          role_code="cms-editor") for key, org in orgs.items()}
    reader = StaffFactory(username="cms_reader", organisation=orgs["harbin_dept"])
    return {"editor": editors, "reader": reader}


def login(client, user):
    client.force_login(user)
    return client


def column_data(org, **extra) -> dict:
    data = {"name": "政务要闻", "parent": "", "organisation": str(org.pk), "column_model": "news_list",
            "position": "home_main", "is_categorised": "", "display_mode": "title_list", "link_url": "",
            "home_count": "5", "order": "10", "is_enabled": "on"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def article_data(**extra) -> dict:
    return {"title": "全省政务服务工作会议召开", "category": "", "summary": "", "body": "第一段\n第二段",
            "image_url": "", "is_published": "on", "published_at": "", **extra}


def writes() -> list:
    """Audit rows of the publishing models (the request middleware's own rows left out)."""
    return list(AuditLog.objects.exclude(action=AuditAction.REQUEST)
                .filter(content_type__app_label="portal", content_type__model__in=["contentcolumn", "article"])
                .values_list("action", "object_repr"))


def make_column(org, name, parent=None, **fields):
    return ContentColumn.objects.create(name=name, parent=parent, organisation=org, **fields)


def publish(column, title, minutes_ago=10, **fields):
    return Article.objects.create(column=column, title=title, is_published=True,
                                  published_at=timezone.now() - timedelta(minutes=minutes_ago), **fields)


@pytest.mark.spec("PORTAL-5.1")
def test_editor_adds_a_column_with_its_attributes_and_it_is_audited(client, orgs, people):
    http = login(client, people["editor"]["harbin"])
    form = http.get(ADD_URL).content.decode()
    for label in ("栏目归属机构", "栏目模型", "显示位置", "分类显示", "展示方式"):
        assert label in form
    response = http.post(ADD_URL, column_data(orgs["harbin"], name="营商动态", position="home_side",
                                              display_mode="title_summary", is_categorised="on"))
    assert response.status_code == 302
    column = ContentColumn.objects.get()
    assert (column.name, column.organisation, column.column_model, column.position, column.display_mode,
            column.is_categorised, column.parent) == ("营商动态", orgs["harbin"], "news_list", "home_side",
                                                      "title_summary", True, None)
    assert column.created_by == people["editor"]["harbin"]
    assert writes() == [(AuditAction.CREATE, "营商动态")]
    assert "栏目管理" in [e.label for _, entries in menu_for(people["editor"]["harbin"]) for e in entries]
    listing = http.get(LIST_URL).content.decode()
    assert "营商动态" in listing and "首页侧栏" in listing and "标题加摘要" in listing


@pytest.mark.spec("PORTAL-5.1")
def test_sub_column_and_article_appear_on_the_home_page_in_position_and_mode(client, orgs, people):
    http = login(client, people["editor"]["province"])
    http.post(ADD_URL, column_data(orgs["province"], name="通知公告", position="home_main"))
    parent = ContentColumn.objects.get(name="通知公告")
    assert "通知公告" in http.get(f"{ADD_URL}?parent={parent.pk}").content.decode()
    response = http.post(ADD_URL, column_data(orgs["province"], name="图片新闻", parent=str(parent.pk),
                                              position="home_side", display_mode="image_title"))
    assert response.status_code == 302
    child = ContentColumn.objects.get(name="图片新闻")
    assert child.parent == parent
    response = http.post(f"/portal/columns/{child.pk}/articles/add/",
                         article_data(title="冰雪季便民服务上线", image_url="https://example.org/ice.jpg"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.column == child and article.author == people["editor"]["province"] and article.published_at
    http.post(f"/portal/columns/{parent.pk}/articles/add/", article_data(title="草稿不上首页", is_published=""))

    client = Client()                                   # a fresh session: any staff user reads the home page
    home = login(client, people["reader"]).get(HOME_URL).content.decode()
    main, side = home.split('data-testid="news-main"')[1].split('data-testid="news-side"')
    assert "通知公告" in main and "图片新闻" not in main
    assert "图片新闻" in side and "冰雪季便民服务上线" in side
    assert 'data-mode="image_title"' in side and 'src="https://example.org/ice.jpg"' in side
    assert "草稿不上首页" not in home
    detail = client.get(f"/portal/news/article/{article.pk}/").content.decode()
    assert "冰雪季便民服务上线" in detail and "第一段<br>第二段" in detail
    draft = Article.objects.get(title="草稿不上首页")
    assert client.get(f"/portal/news/article/{draft.pk}/").status_code == 404
    page = client.get(f"/portal/news/{parent.pk}/").content.decode()
    assert "图片新闻" in page                                                # its sub-columns are listed
    assert [a for a, _ in writes()].count(AuditAction.CREATE) == 4


@pytest.mark.spec("PORTAL-5.1")
def test_home_page_shows_summaries_categories_and_escapes_text(client, orgs, people):
    news = make_column(orgs["province"], "政务要闻", display_mode="title_summary", is_categorised=True)
    publish(news, "<script>alert(1)</script>标题", category="省级动态", summary="摘要一句话")
    publish(news, "市地新闻一", category="市地动态", minutes_ago=20)
    make_column(orgs["province"], "不上首页", position="hidden")
    make_column(orgs["province"], "停用栏目", is_enabled=False)
    home = login(client, people["reader"]).get(HOME_URL).content.decode()
    assert "摘要一句话" in home
    assert '<h3 class="news-category">省级动态</h3>' in home and '<h3 class="news-category">市地动态</h3>' in home
    assert "<script>alert(1)</script>" not in home and "&lt;script&gt;" in home
    assert "不上首页" not in home and "停用栏目" not in home


@pytest.mark.spec("PORTAL-5.1")
def test_home_page_query_count_does_not_grow_with_columns_and_articles(client, orgs, people):
    http = login(client, people["reader"])

    def add(n):
        for i in range(n):
            column = make_column(orgs["province"], f"栏目{ContentColumn.objects.count()}",
                                 position="home_main" if i % 2 else "home_side", is_categorised=bool(i % 3))
            for j in range(4):
                publish(column, f"信息{column.pk}-{j}", minutes_ago=j + 1, category=f"分类{j % 2}")

    add(1)
    http.get(HOME_URL)                                   # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        http.get(HOME_URL)
    add(12)
    with CaptureQueriesContext(connection) as large:
        page = http.get(HOME_URL).content.decode()
    assert page.count('class="card news-block"') == 13
    assert len(large.captured_queries) == len(small.captured_queries)


@pytest.mark.spec("PORTAL-5.1")
def test_home_page_shows_only_the_latest_home_count_articles(client, orgs, people):
    column = make_column(orgs["province"], "政务要闻", home_count=2)
    for minutes in (1, 2, 3):
        publish(column, f"第{minutes}新", minutes_ago=minutes)
    home = login(client, people["reader"]).get(HOME_URL).content.decode()
    assert "第1新" in home and "第2新" in home and "第3新" not in home
    page = client.get(f"/portal/news/{column.pk}/").content.decode()
    assert "第3新" in page                                # the column page lists them all


@pytest.mark.spec("PORTAL-5.1")
def test_editor_modifies_a_column_and_the_change_is_audited(client, orgs, people):
    column = make_column(orgs["harbin"], "旧名称")
    http = login(client, people["editor"]["harbin"])
    assert "旧名称" in http.get(f"/portal/columns/{column.pk}/edit/").content.decode()
    response = http.post(f"/portal/columns/{column.pk}/edit/",
                         column_data(orgs["harbin_dept"], name="新名称", position="home_side", order="3"))
    assert response.status_code == 302
    column.refresh_from_db()
    assert (column.name, column.position, column.order, column.organisation) == (
        "新名称", "home_side", 3, orgs["harbin_dept"])
    log = AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(column.pk))
    assert log.changes["name"] == ["旧名称", "新名称"] and log.changes["position"] == ["home_main", "home_side"]


@pytest.mark.spec("PORTAL-5.1")
def test_cycle_and_too_deep_tree_are_refused_and_nothing_is_written(client, orgs, people):
    org = orgs["province"]
    top = make_column(org, "一级")
    middle = make_column(org, "二级", parent=top)
    bottom = make_column(org, "三级", parent=middle)
    http = login(client, people["editor"]["province"])
    response = http.post(f"/portal/columns/{top.pk}/edit/", column_data(org, name="一级", parent=str(bottom.pk)))
    assert response.status_code == 400 and "不能把栏目移到它自己或它的下级栏目之下" in response.content.decode()
    response = http.post(ADD_URL, column_data(org, name="四级", parent=str(bottom.pk)))
    assert response.status_code == 400 and "栏目最多 3 级" in response.content.decode()
    other = make_column(org, "另一个一级")
    make_column(org, "另一个二级", parent=other)
    response = http.post(f"/portal/columns/{other.pk}/edit/", column_data(org, name="另一个一级",
                                                                           parent=str(middle.pk)))
    assert response.status_code == 400 and "栏目最多 3 级" in response.content.decode()   # subtree would be 4 deep
    top.refresh_from_db(), other.refresh_from_db()
    assert top.parent is None and other.parent is None
    assert not ContentColumn.objects.filter(name="四级").exists() and writes() == []
    assert "添加下级栏目" not in http.get(LIST_URL).content.decode().split(f'data-column="{bottom.pk}"')[1].split("</tr>")[0]


@pytest.mark.spec("PORTAL-5.1")
def test_non_empty_column_cannot_be_deleted_and_an_empty_one_can(client, orgs, people):
    org = orgs["province"]
    parent = make_column(org, "有下级")
    child = make_column(org, "有信息", parent=parent)
    publish(child, "一条信息")
    http = login(client, people["editor"]["province"])
    response = http.post(f"/portal/columns/{parent.pk}/delete/")
    assert response.status_code == 400 and "还有 1 个下级栏目、0 条信息" in response.content.decode()
    response = http.post(f"/portal/columns/{child.pk}/delete/")
    assert response.status_code == 400 and "还有 0 个下级栏目、1 条信息" in response.content.decode()
    assert ContentColumn.objects.count() == 2 and writes() == []
    article = Article.objects.get()
    assert http.post(f"/portal/articles/{article.pk}/delete/").status_code == 302
    assert http.post(f"/portal/columns/{child.pk}/delete/").status_code == 302
    assert http.post(f"/portal/columns/{parent.pk}/delete/").status_code == 302
    assert not ContentColumn.objects.exists() and not Article.objects.exists()
    assert sorted(writes()) == sorted([(AuditAction.DELETE, "一条信息"), (AuditAction.DELETE, "有信息"),
                                       (AuditAction.DELETE, "有下级")])


@pytest.mark.spec("PORTAL-5.1")
def test_missing_title_and_missing_name_are_refused_with_chinese_messages(client, orgs, people):
    column = make_column(orgs["harbin"], "栏目")
    http = login(client, people["editor"]["harbin"])
    response = http.post(f"/portal/columns/{column.pk}/articles/add/", article_data(title="  "))
    assert response.status_code == 400 and "请填写标题。" in response.content.decode()
    response = http.post(ADD_URL, column_data(orgs["harbin"], name=""))
    assert response.status_code == 400 and "请填写栏目名称。" in response.content.decode()
    response = http.post(ADD_URL, column_data(orgs["harbin"], name="链接", column_model="link"))
    assert response.status_code == 400 and "请填写链接地址" in response.content.decode()
    assert not Article.objects.exists() and ContentColumn.objects.count() == 1 and writes() == []


@pytest.mark.spec("PORTAL-5.1")
def test_another_organisations_column_is_out_of_reach(client, orgs, people):
    qiqihar = make_column(orgs["qiqihar"], "齐齐哈尔要闻")
    harbin_dept = make_column(orgs["harbin_dept"], "市场监管动态")
    http = login(client, people["editor"]["harbin"])
    listing = http.get(LIST_URL).content.decode()
    assert "市场监管动态" in listing and "齐齐哈尔要闻" not in listing      # a city bureau sees its city
    assert http.get(f"/portal/columns/{qiqihar.pk}/edit/").status_code == 404
    assert http.post(f"/portal/columns/{qiqihar.pk}/edit/", column_data(orgs["qiqihar"], name="改")).status_code == 404
    assert http.post(f"/portal/columns/{qiqihar.pk}/delete/").status_code == 404
    assert http.post(f"/portal/columns/{qiqihar.pk}/articles/add/", article_data()).status_code == 404
    response = http.post(ADD_URL, column_data(orgs["qiqihar"], name="冒名栏目"))
    assert response.status_code == 400 and "请选择本单位或下级单位" in response.content.decode()
    response = http.post(ADD_URL, column_data(orgs["harbin"], name="挂到别处", parent=str(qiqihar.pk)))
    assert response.status_code == 400
    dept = login(client, people["editor"]["daoli_dept"])                  # a district department: its own only
    assert dept.get(f"/portal/columns/{harbin_dept.pk}/edit/").status_code == 404
    qiqihar.refresh_from_db()
    assert qiqihar.name == "齐齐哈尔要闻" and ContentColumn.objects.count() == 2 and not Article.objects.exists()
    assert writes() == []
    province = login(client, people["editor"]["province"]).get(LIST_URL).content.decode()
    assert "齐齐哈尔要闻" in province and "市场监管动态" in province           # the province manages all


@pytest.mark.spec("PORTAL-5.1")
def test_staff_without_the_permission_cannot_manage_but_can_read(client, orgs, people):
    column = make_column(orgs["harbin_dept"], "市场监管动态")
    article = publish(column, "已发布信息")
    http = login(client, people["reader"])
    assert http.get(LIST_URL).status_code == 403
    assert http.post(ADD_URL, column_data(orgs["harbin_dept"], name="无权添加")).status_code == 403
    assert http.post(f"/portal/columns/{column.pk}/delete/").status_code == 403
    assert http.post(f"/portal/columns/{column.pk}/articles/add/", article_data()).status_code == 403
    assert ContentColumn.objects.count() == 1 and Article.objects.count() == 1 and writes() == []
    assert http.get(f"/portal/news/article/{article.pk}/").status_code == 200
    assert "市场监管动态" in http.get(HOME_URL).content.decode()


@pytest.mark.spec("PORTAL-5.1")
def test_article_editor_modifies_an_article_and_the_column_page_paginates(client, orgs, people):
    column = make_column(orgs["province"], "政务要闻")
    articles = [publish(column, f"信息{i:02d}", minutes_ago=i + 1) for i in range(25)]
    editor = grant(StaffFactory(username="cms_article_only", organisation=orgs["province"]), ARTICLES,
                   role_code="cms-article")
    http = login(client, editor)
    listing = http.get(LIST_URL).content.decode()
    assert "政务要闻" in listing and "/portal/columns/add/" not in listing  # articles only, no column edits
    assert http.get(ADD_URL).status_code == 403
    assert [e.label for _, entries in menu_for(editor) for e in entries if e.url_name.startswith("portal:column")] \
        == ["信息维护"]
    assert http.get("/portal/columns/editing/").status_code == 200
    response = http.post(f"/portal/articles/{articles[0].pk}/edit/",
                         article_data(title="信息00（更正）", published_at="2026-01-05T09:30"))
    assert response.status_code == 302
    articles[0].refresh_from_db()
    assert articles[0].title == "信息00（更正）" and articles[0].published_at.year == 2026
    log = AuditLog.objects.get(action=AuditAction.UPDATE, object_id=str(articles[0].pk))
    assert log.changes["title"] == ["信息00", "信息00（更正）"]
    first = http.get(f"/portal/columns/{column.pk}/articles/").content.decode()
    second = http.get(f"/portal/columns/{column.pk}/articles/?page=2").content.decode()
    assert "共 25 条" in first and "信息01" in first and "信息24" in second and "信息24" not in first
    assert "共 25 条" in http.get(f"/portal/news/{column.pk}/").content.decode()
