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


@pytest.mark.spec("MAT-4", "MAT-4.2.2a")
def test_item_resources_journey(people, orgs, regions, published_item, licence_system, client):
    """A department item manager maps its item's resources: asks the e-licence system for a catalogue entry,
    links result and material once it is confirmed (a second unit's link needs confirmation), annotates a
    proof, links its business system, raises a shared-data need that the source department confirms and
    answers with its interface until it reads 已对接; the administration reads the summary."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.licences.models import CatalogueEntryRequest
    from apps.matters.models import DataDemand, LicenceLink
    from apps.matters.services.resources import LinkConfirmationRequired, licence_link_create
    from apps.matters.services.systems import business_system_register

    daoli_item = _claim_and_publish(people, published_item)
    harbin_item = catalogue_item_claim(actor=people["harbin"], catalogue_item=published_item,
                                       implementing_body=orgs["harbin_dept"])
    manager = grant(people["daoli"], "add_licencecataloguerequest", "add_datademand", "add_businesssystem")
    client.force_login(manager)
    resources = reverse("matters:item-resources", args=[daoli_item.pk])
    # 1. no entry yet: request one through the interface; the e-licence administrator confirms it
    client.post(resources, {"action": "licence-request", "name": "食品经营许可证", "subject_type": "legal_person",
                            "template": SimpleUploadedFile("t.pdf", b"%PDF-1.7", content_type="application/pdf")})
    code = f"{orgs['province'].credit_code}001"
    licence_system.confirm(CatalogueEntryRequest.objects.get().request_code, code, "食品经营许可证")
    assert 'data-request="食品经营许可证"' in client.get(resources).content.decode()
    # 2. link the result, and the business licence material; another unit linking the same entry must confirm
    licence_link_create(actor=manager, item=daoli_item, catalogue_code=code, target="result", index_rule=["credit_code"])
    with pytest.raises(LinkConfirmationRequired, match="道里区市场监督管理局"):
        licence_link_create(actor=people["harbin"], item=harbin_item, catalogue_code=code, target="result",
                            index_rule=["credit_code"])
    licence_link_create(actor=people["harbin"], item=harbin_item, catalogue_code=code, target="result",
                        index_rule=["credit_code"], confirm=True)
    business = licence_system.add_entry(f"{orgs['province'].credit_code}002", "营业执照")
    licence_link_create(actor=manager, item=daoli_item, catalogue_code=business.type_code, target="material",
                        material=daoli_item.materials.get(name="营业执照"), index_rule=["credit_code", "id_number"])
    assert LicenceLink.objects.count() == 3
    # 3. a proof material and the business system the item runs on
    police = OrganisationFactory(name="黑龙江省公安厅", region=regions["230000000000"])
    client.post(resources, {"action": "proof", "material": daoli_item.materials.get(name="食品经营许可申请书").pk,
                            "issuing_department": police.pk, "apply_address": "公安窗口", "use": "keep"})
    system = business_system_register(actor=manager, name="食品许可审批系统", department=orgs["daoli_dept"],
                                      build_level="province", network="extranet", integration_method="api")
    client.post(resources, {"action": "link", "system": system.pk, "exchange_content": "申请及结果",
                            "interface_method": "REST", "direction": "both", "auto_integrated": "1"})
    # 4. shared-data need, raised on the item's page, tracked through its four statuses
    client.post(reverse("matters:demands"), {"action": "submit", "item": daoli_item.pk, "source": police.pk,
                                            "content": "法定代表人身份核验"})
    demand = DataDemand.objects.get()
    assert 'data-demand="法定代表人身份核验"' in client.get(resources).content.decode()
    police_clerk = StaffFactory(username="police_clerk", organisation=police)
    client.force_login(police_clerk)
    incoming = client.get(reverse("matters:demands")).content.decode()
    assert 'data-incoming="法定代表人身份核验" data-status="未确认"' in incoming
    client.post(reverse("matters:demands"), {"action": "confirm", "demand": demand.pk})
    client.post(reverse("matters:demands"), {"action": "feedback", "demand": demand.pk,
                                            "api_details": "共享平台接口 /api/identity/verify"})
    client.force_login(manager)
    raised = client.get(reverse("matters:demands")).content.decode()
    assert 'data-raised="法定代表人身份核验" data-status="已反馈"' in raised and "/api/identity/verify" in raised
    client.post(reverse("matters:demands"), {"action": "integrated", "demand": demand.pk})
    demand.refresh_from_db()
    assert demand.get_status_display() == "已对接"
    assert [t.to_state for t in __import__("apps.core.workflow", fromlist=["history_for"]).history_for(demand)] == [
        "unconfirmed", "confirmed", "feedback", "integrated"]
    # 5. the administration's summary: results linked (one of them twice), proofs, integration
    bureau = grant(StaffFactory(username="resources_bureau", organisation=orgs["province"]), "view_implementationitem")
    client.force_login(bureau)
    summary = client.get(reverse("matters:resources")).content.decode()
    assert f'data-department="{orgs["daoli_dept"].name}"' in summary and 'data-system="食品许可审批系统"' in summary


@pytest.mark.spec("MAT-5")
def test_item_optimisation_journey(people, orgs, regions, published_item, client):
    """The administration scans the library, an inspector registers the defect it found, the department fixes
    it (a new version) and the inspector re-checks; a tag campaign is worked through to the leader view; an
    optimisation proposal is agreed and reported; change monitoring and the version comparison show it."""
    from apps.identity.models import Role
    from apps.matters.models import QualityIssue
    from apps.matters.services.analysis import optimisation_report, proposal_decide, proposal_issue, proposal_report
    from apps.matters.services.changes import matter_change_submit
    from apps.matters.services.optimisation import (
        correction_recheck, correction_register, correction_report, tag_apply, tag_create, tag_grant, tag_mark,
    )
    from apps.matters.services.quality import quality_scan_run

    item = _claim_and_publish(people, published_item)
    item.supervision_phone = item.consultation_phone                       # a defect the scan must find
    item.save(update_fields=["supervision_phone"])
    # 1. quality scan → report grouped by rule
    scan = quality_scan_run()
    issue = QualityIssue.objects.get(scan=scan, rule__code="same-phones")
    assert issue.item_name == item.name
    admin = grant(StaffFactory(username="opt_admin", organisation=orgs["province"]), "view_qualityissue",
                  "add_correctionrequest", "add_mattertag", "view_catalogueitem", "view_implementationitem",
                  "add_optimisationproposal", "view_optimisationproposal")
    admin.roles.add(Role.objects.get_or_create(code="system_admin", defaults={"name": "系统管理员"})[0])
    admin.__dict__.pop("_access_profile", None)
    client.force_login(admin)
    assert "监督电话" in client.get(reverse("matters:quality-report")).content.decode()
    # 2. error correction: register → department fixes (immediate change, new version) → report → re-check
    correction = correction_register(actor=admin, item=item, tab="elements", field="supervision_phone",
                                     description="监督电话与咨询电话相同")
    assert not correction.upper_platform
    matter_change_submit(actor=people["daoli"], item=item, proposed={"supervision_phone": "0451-12345"})
    item.refresh_from_db()
    assert item.version == 2
    correction_report(actor=people["daoli"], correction=correction, result="监督电话已改为 0451-12345")
    correction_recheck(actor=admin, correction=correction, passed=True)
    assert correction.status == "closed"
    # 3. a tag campaign, maintained by the department, completion on the leader view
    tag = tag_create(actor=admin, name="电话规范专项")
    tag_grant(actor=admin, tag=tag, user=people["daoli"], can_maintain=True)
    tag_apply(actor=admin, tag=tag, items=[item])
    tag_mark(actor=people["daoli"], tagged=tag.tagged.get(), done=True)
    leader = client.get(reverse("matters:tag-leader", args=[tag.pk])).content.decode()
    assert "100" in leader and "道里区市场监督管理局" in leader
    # 4. optimisation proposal → agreed → implemented → report
    proposal = proposal_issue(actor=admin, item=item, direction="fewer_trips", problem="须两次到窗口",
                              measure="开通全程网办")
    proposal_decide(actor=people["daoli"], proposal=proposal, agree=True, comment="同意")
    proposal_report(actor=people["daoli"], proposal=proposal, result="已开通全程网办")
    assert optimisation_report(user=admin)["total"]["response_rate"] == 100.0
    # 5. change monitoring lists the modified item; the version comparison shows the changed element
    monitoring = client.get(reverse("matters:monitoring")).content.decode()
    assert item.name in monitoring
    compare = client.get(reverse("matters:implementation-compare", args=[item.pk]), {"a": 1, "b": 2}).content.decode()
    assert "监督电话" in compare and "0451-12345" in compare
