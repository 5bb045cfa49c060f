"""Laws (MAT-3.3.2), business scopes (3.3.3), stage guidance (3.3.4), knowledge evaluation (3.3.7)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.acceptance.tests.factories import clerk, id_number
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import KnowledgeEntry, KnowledgeEvaluation, MatterNotification
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.services.knowledge import knowledge_entry_create
from apps.matters.services.knowledge_base import (
    business_scope_save, guidance_for_case, knowledge_assessment, knowledge_entry_update, knowledge_evaluate,
    law_save, law_search,
)
from apps.matters.tests.factories import grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(people):
    return grant(people["harbin"], "add_knowledgeentry", "add_businessscope")


@pytest.fixture
def public_item(published_item, people, orgs):
    item = catalogue_item_claim(actor=people["harbin"], catalogue_item=published_item,
                                implementing_body=orgs["harbin_dept"])
    matter_submit(actor=people["harbin"], item=item)
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    item.refresh_from_db()
    return item


@pytest.mark.spec("MAT-3.3.2")
def test_laws_by_type_level_industry_with_full_text_search(editor, client):
    with pytest.raises(ValidationError) as refused:
        law_save(actor=editor, title="x", content="y", law_type="poem", law_level="galactic")
    assert set(refused.value.message_dict) == {"law_type", "law_level"}
    with pytest.raises(PermissionDenied):
        law_save(actor=StaffFactory(username="np"), title="t", content="c", law_type="law", law_level="national")
    assert not KnowledgeEntry.objects.exists()
    food = law_save(actor=editor, title="中华人民共和国食品安全法", content="第三十五条 国家对食品生产经营实行许可制度。",
                    law_type="law", law_level="national", industry="食品")
    law_save(actor=editor, title="黑龙江省食品小作坊管理条例", content="小作坊应当取得登记证，食品安全。",
             law_type="local_regulation", law_level="provincial", industry="食品")
    law_save(actor=editor, title="道路运输条例", content="从事道路运输经营应当取得许可。",
             law_type="admin_regulation", law_level="national", industry="交通运输")
    assert [e.title for e in law_search(query="食品安全")] == ["中华人民共和国食品安全法", "黑龙江省食品小作坊管理条例"]
    assert [e.title for e in law_search(query="许可 经营")] == ["中华人民共和国食品安全法", "道路运输条例"]
    assert [e.title for e in law_search(query="许可", law_level="national", industry="交通运输")] == ["道路运输条例"]
    assert [e.title for e in law_search(query="dlys")] == ["道路运输条例"]
    assert [e.title for e in law_search(law_type="local_regulation")] == ["黑龙江省食品小作坊管理条例"]
    client.force_login(editor)
    page = client.get(reverse("matters:knowledge"), {"q": "许可", "law_level": "national"}).content.decode()
    assert 'data-law="道路运输条例"' in page and 'data-law="黑龙江省食品小作坊管理条例"' not in page
    assert food.pinyin_initials.startswith("zhrmghg")


@pytest.mark.spec("MAT-3.3.3")
def test_business_scope_leads_applicant_to_guides_and_materials(editor, public_item, client):
    with pytest.raises(ValidationError, match="涉及的事项"):
        business_scope_save(actor=editor, code="F5231", name="餐饮服务", catalogue_items=[])
    business_scope_save(actor=editor, code="F5231", name="餐饮服务", catalogue_items=[public_item.catalogue_item])
    business_scope_save(actor=editor, code="F5299", name="日用百货销售", catalogue_items=[public_item.catalogue_item])
    page = client.get(reverse("matters-public:scope-guides"), {"q": "cyfw"}).content.decode()
    assert "餐饮服务（F5231）" in page and "日用百货" not in page
    from apps.matters.models import BusinessScope
    chosen = BusinessScope.objects.get(code="F5231")
    page = client.get(reverse("matters-public:scope-guides"), {"scope": [chosen.pk]}).content.decode()
    assert f'data-item="{public_item.name}"' in page and "营业执照、食品经营许可申请书" in page


@pytest.mark.spec("MAT-3.3.4")
def test_guidance_follows_the_case_through_its_stages(editor, public_item, orgs, client):
    from apps.acceptance.services.cases import case_accept, case_register

    for title, kind, stage in (("如何准备申请材料", "guide", "prepare"), ("受理后多久出结果？", "faq", "examination"),
                               ("许可证领取方式", "faq", "result"), ("食品经营许可政策解读", "policy", "")):
        entry = knowledge_entry_create(actor=editor, kind=kind, title=title, content=title + "……", item=public_item)
        KnowledgeEntry.objects.filter(pk=entry.pk).update(stage=stage)
    window = clerk(orgs["harbin_dept"])
    case = case_register(item=public_item, applicant_name="张三", applicant_id_number=id_number(7),
                         applicant_mobile="13900000001", actor=window)
    before = guidance_for_case(case)
    case_accept(case=case, actor=window)
    case.refresh_from_db()
    after = guidance_for_case(case)
    assert after["stage_label"] == "审查审批" and [e.title for e in after["faqs"]] == ["受理后多久出结果？"]
    assert [e.title for e in after["policies"]] == ["食品经营许可政策解读"]          # stage-free entries always
    assert before["stage"] != after["stage"]
    page = client.get(reverse("matters-public:guide-guidance", args=[public_item.pk]), {"stage": "result"})
    assert 'data-entry="许可证领取方式"' in page.content.decode()
    assert 'data-entry="受理后多久出结果？"' not in page.content.decode()


@pytest.mark.spec("MAT-3.3.7")
def test_inaccurate_entry_goes_back_and_counts_in_assessment(editor, people, orgs, client):
    entry = law_save(actor=editor, title="食品经营许可管理办法", content="旧版条文", law_type="rule",
                     law_level="national", industry="食品")
    window = clerk(orgs["daoli_dept"], "daoli_window")
    with pytest.raises(ValidationError, match="说明与实际不符"):
        knowledge_evaluate(actor=window, entry=entry, accurate=False)
    assert not KnowledgeEvaluation.objects.exists()
    knowledge_evaluate(actor=window, entry=entry, accurate=True)
    client.force_login(window)
    client.post(reverse("matters:knowledge"), {"entry": entry.pk, "accurate": "0", "comment": "已被2023年新办法替代"})
    entry.refresh_from_db()
    assert entry.needs_update
    notice = MatterNotification.objects.get(kind="knowledge")
    assert notice.recipient == orgs["harbin_dept"] and "食品经营许可管理办法" in notice.title
    assessment = knowledge_assessment()
    assert assessment["departments"] == [{"department": "哈尔滨市市场监督管理局", "evaluations": 2,
                                          "accurate_rate": 50.0, "returned": 1, "pending_update": 1}]
    assert assessment["windows"] == [{"unit": orgs["daoli_dept"].name, "evaluations": 2}]
    with pytest.raises(PermissionDenied):
        knowledge_entry_update(actor=window, entry=entry, content="x")
    client.force_login(editor)
    assert 'data-returned="食品经营许可管理办法"' in client.get(reverse("matters:knowledge")).content.decode()
    knowledge_entry_update(actor=editor, entry=entry, content="2023年新办法条文")
    entry.refresh_from_db()
    assert not entry.needs_update and knowledge_assessment()["departments"][0]["pending_update"] == 0
