"""自贸区专栏 and 对俄服务专区（中俄双语版） (PORTAL-0.2): columns staff publish from the work portal to zones of
the public site; the Russia-facing zone is bilingual — every article has a Russian title, and the page shows
Russian text and Russian interface labels to a visitor who switched the site to Русский."""
import pytest
from django.conf import settings

from apps.core.tests.factories import grant
from apps.identity.tests.factories import StaffFactory
from apps.portal.models import Article, ContentColumn

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(orgs):
    return grant(StaffFactory(username="zone_editor", organisation=orgs["province"]), "portal.manage_contentcolumn",
                 "portal.manage_article", role_code="zone-editor")


def add_column(client, org, name: str, position: str) -> ContentColumn:
    client.post("/portal/columns/add/", {"name": name, "parent": "", "organisation": str(org.pk),
                                         "column_model": "news_list", "position": position, "display_mode": "title_list",
                                         "link_url": "", "home_count": "5", "order": "1", "is_enabled": "on"})
    return ContentColumn.objects.get(name=name)


def article(**extra) -> dict:
    return {"title": "", "category": "", "summary": "", "body": "", "title_ru": "", "summary_ru": "", "body_ru": "",
            "image_url": "", "is_published": "on", "published_at": "", **extra}


@pytest.mark.spec("PORTAL-0.2")
def test_russia_zone_is_bilingual_and_refuses_an_article_without_russian(client, orgs, editor):
    client.force_login(editor)
    column = add_column(client, orgs["province"], "对俄贸易与通关", "public_russia")
    refused = client.post(f"/portal/columns/{column.pk}/articles/add/", article(title="绥芬河口岸通关指南"))
    assert refused.status_code == 400 and "请填写俄文标题" in refused.content.decode()
    assert not Article.objects.exists()
    client.post(f"/portal/columns/{column.pk}/articles/add/", article(
        title="绥芬河口岸通关指南", summary="货物通关办理流程", body="一、报关\n二、查验",
        title_ru="Таможенное оформление в пункте пропуска Суйфэньхэ", summary_ru="Порядок оформления грузов",
        body_ru="1. Декларирование\n2. Досмотр"))
    published = Article.objects.get()

    visitor = client.__class__()
    chinese = visitor.get("/zones/russia/").content.decode()
    assert "对俄服务专区" in chinese and "绥芬河口岸通关指南" in chinese and "Таможенное" not in chinese
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    russian = visitor.get("/zones/russia/").content.decode()
    assert '<html lang="ru">' in russian and "Зона услуг для России" in russian
    assert "Таможенное оформление в пункте пропуска Суйфэньхэ" in russian and "Порядок оформления грузов" in russian
    detail = visitor.get(f"/zones/russia/{published.pk}/").content.decode()
    assert "2. Досмотр" in detail and "Оригинал на китайском языке" in detail and "二、查验" in detail


@pytest.mark.spec("PORTAL-0.2")
def test_free_trade_zone_column_shows_published_articles_only_on_its_public_zone(client, orgs, editor):
    client.force_login(editor)
    column = add_column(client, orgs["province"], "自贸试验区政策", "public_ftz")
    client.post(f"/portal/columns/{column.pk}/articles/add/", article(title="哈尔滨片区企业开办一日办结"))
    client.post(f"/portal/columns/{column.pk}/articles/add/", article(title="草稿不公开", is_published=""))
    draft = Article.objects.get(title="草稿不公开")
    page = client.__class__().get("/zones/ftz/").content.decode()
    assert "自贸区专栏" in page and "哈尔滨片区企业开办一日办结" in page and "草稿不公开" not in page
    assert page.count('data-testid="zone-column"') == 1
    client.get("/portal/")                                                            # shows the "saved" messages
    assert "哈尔滨片区企业开办一日办结" not in client.get("/portal/").content.decode()   # not a work-portal column
    published = Article.objects.get(title="哈尔滨片区企业开办一日办结")
    assert client.get(f"/zones/russia/{published.pk}/").status_code == 404           # not in that zone
    assert client.get(f"/zones/ftz/{draft.pk}/").status_code == 404
    assert client.get("/zones/unknown/").status_code == 404
