"""Chapter journeys (★ MAT-3, MAT-4, MAT-5): each walks its chapter's main flow as the people in it
would — departments maintaining through services and portal pages, applicants through the public
pages — and checks what each of them sees at the end."""
import pytest
from django.urls import reverse

from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import ApplicationMaterial, ImplementationItem, Situation
from apps.matters.services.declaration import catalogue_item_claim, catalogue_item_declare, matter_review, matter_submit
from apps.matters.services.knowledge import (
    knowledge_entry_create, knowledge_search, materials_with_review_points, one_thing_save,
)
from apps.matters.tests.factories import children, element_data, establishment_user, grant, materials

pytestmark = pytest.mark.django_db


def _declare_and_publish(people, orgs, name, material_rows, situations, **extra):
    item = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                  data=element_data(name=name, **extra),
                                  children={**children(), "materials": material_rows, "situations": situations})
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    item.refresh_from_db()
    return item


def _claim_and_publish(people, catalogue_item):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=catalogue_item,
                                implementing_body=people["daoli"].organisation)
    matter_submit(actor=people["daoli"], item=item)
    region = people["daoli"].organisation.region
    reviewer = (StaffFactory._meta.model.objects.filter(username="daoli_bianban").first()
                or establishment_user(region, "daoli_bianban"))
    matter_review(actor=reviewer, item=item, approve=True)
    item.refresh_from_db()
    return item


@pytest.mark.spec("MAT-3")
def test_refined_items_one_thing_bundle_and_knowledge_base_journey(people, orgs, client):
    """A department refines an item by situation, adds review points and guidance, bundles it into a
    "one thing"; an applicant finds the bundle by pinyin, navigates by situation and reads the help;
    the window sees each material's review points; staff search the knowledge base."""
    # 1. refined sorting: two situations, the renewal one needs its own material
    rows = materials("营业执照", "食品经营许可申请书")
    rows.append({**materials("原食品经营许可证正副本")[0], "situation_name": "延续"})
    food = _declare_and_publish(people, orgs, "食品经营许可", rows,
                                [{"name": "新办", "conditions": "首次申请"}, {"name": "延续", "conditions": "有效期届满前30个工作日"}])
    hygiene = _declare_and_publish(people, orgs, "公共场所卫生许可", materials("卫生许可申请书"), [],
                                   theme="餐饮开店")
    food_guide, hygiene_guide = _claim_and_publish(people, food), _claim_and_publish(people, hygiene)
    renew = food_guide.situations.get(name="延续")
    assert food_guide.materials.get(name="原食品经营许可证正副本").situation == renew   # the link survives the claim
    # 2. the knowledge base: review points per material, an FAQ for the preparing stage, a law
    editor = grant(people["daoli"], "add_knowledgeentry", "add_onething")
    licence = food_guide.materials.get(name="营业执照")
    old_licence = food_guide.materials.get(name="原食品经营许可证正副本")
    knowledge_entry_create(actor=editor, kind="formal_point", title="营业执照须在有效期内", content="核对有效期",
                           item=food_guide, material=licence)
    knowledge_entry_create(actor=editor, kind="formal_point", title="原证正副本须齐全", content="正本、副本均须提交",
                           item=food_guide, material=old_licence)
    faq = knowledge_entry_create(actor=editor, kind="faq", title="食品经营许可证到期怎么延续",
                                 content="有效期届满30个工作日前提出延续申请。", item=food_guide)
    # 3. "one thing": the restaurant bundle
    bundle = one_thing_save(actor=editor, name="我要开餐馆", catalogue_items=[food, hygiene],
                            description="开餐馆需要办理的许可")
    # 4. the applicant: pinyin search → bundle → guides with materials
    listing = client.get(reverse("matters-public:one-things"), {"q": "wykcg"}).content.decode()
    assert 'data-bundle="我要开餐馆"' in listing
    assert 'data-bundle' not in client.get(reverse("matters-public:one-things"), {"q": "kfdc"}).content.decode()
    page = client.get(reverse("matters-public:one-thing", args=[bundle.pk])).content.decode()
    assert 'data-item="食品经营许可"' in page and 'data-item="公共场所卫生许可"' in page and "卫生许可申请书" in page
    assert reverse("matters-public:guide-detail", args=[food_guide.pk]) in page
    # 5. situation navigation on the guide: 新办 hides the renewal material, 延续 shows it
    guide_url = reverse("matters-public:guide-detail", args=[food_guide.pk])
    whole = client.get(guide_url).content.decode()
    assert 'data-situation="延续"' in whole and 'data-bundle="我要开餐馆"' in whole      # related bundle recommended
    new_case = client.get(guide_url, {"situation": food_guide.situations.get(name="新办").pk}).content.decode()
    assert 'data-material="营业执照"' in new_case and 'data-material="原食品经营许可证正副本"' not in new_case
    renewal = client.get(guide_url, {"situation": renew.pk}).content.decode()
    assert 'data-material="原食品经营许可证正副本"' in renewal
    guidance = client.get(reverse("matters-public:guide-guidance", args=[food_guide.pk])).content.decode()
    assert "食品经营许可证到期怎么延续" in guidance
    # 6. the window, for an applicant renewing: every material to collect with its review points
    reminder = {m.name: [p.title for p in points]
                for m, points in materials_with_review_points(item=food_guide, situation_ids=[renew.pk])}
    assert reminder["营业执照"] == ["营业执照须在有效期内"] and reminder["原食品经营许可证正副本"] == ["原证正副本须齐全"]
    assert "原食品经营许可证正副本" not in {m.name for m, _p in materials_with_review_points(
        item=food_guide, situation_ids=[food_guide.situations.get(name="新办").pk])}
    # 7. staff search the knowledge base by pinyin initials and by words
    assert list(knowledge_search(query="spjyxkz")) == [faq]
    assert list(knowledge_search(query="延续申请", kind="faq")) == [faq]
    # a draft item's bundle page shows only published guides
    assert ImplementationItem.objects.filter(status="published").count() == 2
