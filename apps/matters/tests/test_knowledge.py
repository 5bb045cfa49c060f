"""Knowledge base with pinyin-initial search (MAT-3.3), review points per material (3.3.1, 3.3.6),
situations selecting materials (3.1) and "one thing" bundles (3.2)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.matters.models import ApplicationMaterial, Situation
from apps.matters.services.knowledge import (
    knowledge_entry_create, knowledge_search, materials_with_review_points, one_thing_save, one_thing_search,
    pinyin_initials,
)
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db


def test_pinyin_initials():
    assert pinyin_initials("企业设立登记") == "qysldj"
    assert pinyin_initials("ICP备案") == "icpba"


@pytest.mark.spec("MAT-3.3", "MAT-3.3.5")
def test_knowledge_search_by_pinyin_initials_and_words(published_item, people):
    editor = grant(people["harbin"], "add_knowledgeentry")
    with pytest.raises(PermissionDenied):
        knowledge_entry_create(actor=people["daoli"], kind="faq", title="x", content="y")
    with pytest.raises(ValidationError, match="不能为空"):
        knowledge_entry_create(actor=editor, kind="faq", title=" ", content="y")
    faq = knowledge_entry_create(actor=editor, kind="faq", title="食品经营许可证过期怎么办", content="应在有效期届满30个工作日前申请延续。",
                                 item=published_item)
    law = knowledge_entry_create(actor=editor, kind="law", title="中华人民共和国食品安全法", content="第三十五条 国家对食品生产经营实行许可制度。")
    assert list(knowledge_search(query="spjyxk")) == [faq]            # 食品经营许可…
    assert set(knowledge_search(query="sp")) == {faq, law}               # 食品… in both titles
    assert list(knowledge_search(query="zhrmghg")) == [law]
    assert list(knowledge_search(query="有效期")) == [faq]            # full text
    assert list(knowledge_search(query="xkzd", kind="law")) == []


@pytest.mark.spec("MAT-3.1", "MAT-3.3.1", "MAT-3.3.6")
def test_window_sees_review_points_of_each_material_for_the_chosen_situation(published_item, people):
    editor = grant(people["harbin"], "add_knowledgeentry")
    new, renew = published_item.situations.get(name="新办"), Situation.objects.create(
        catalogue_item=published_item, name="延续", conditions="有效期届满前")
    extra = ApplicationMaterial.objects.create(catalogue_item=published_item, name="原许可证正副本", situation=renew)
    licence = published_item.materials.get(name="营业执照")
    knowledge_entry_create(actor=editor, kind="formal_point", title="营业执照须在有效期内", content="核对有效期和经营范围",
                           item=published_item, material=licence)
    knowledge_entry_create(actor=editor, kind="substantive_point", title="经营范围须含食品经营", content="经营范围与申请项目一致",
                           item=published_item, material=licence)
    rows = dict(materials_with_review_points(item=published_item, situation_ids=[new.pk]))
    assert extra not in rows and set(rows) == {licence, published_item.materials.get(name="食品经营许可申请书")}
    assert {p.title for p in rows[licence]} == {"营业执照须在有效期内", "经营范围须含食品经营"}
    assert extra in dict(materials_with_review_points(item=published_item, situation_ids=[renew.pk]))


@pytest.mark.spec("MAT-3.2")
def test_one_thing_bundle_found_by_pinyin(published_item, people):
    editor = grant(people["harbin"], "add_onething")
    with pytest.raises(ValidationError):
        one_thing_save(actor=editor, name="我要开餐馆", catalogue_items=[])
    bundle = one_thing_save(actor=editor, name="我要开餐馆", catalogue_items=[published_item], description="餐饮开店一件事")
    assert list(one_thing_search(query="wykcg")) == [bundle]
    assert list(bundle.catalogue_items.all()) == [published_item]
