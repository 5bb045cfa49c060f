"""Implementation-list details: handling items with situations (MAT-2.2.4), fees (2.2.6), document
templates (2.2.7) and implementation declaration through 编办/法制办 review (2.2.8)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.matters.models import ApplicationMaterial, CatalogueItem, DocumentTemplate, FeeItem, MatterVersion
from apps.matters.services.changes import matter_change_submit
from apps.matters.services.declaration import catalogue_item_claim, catalogue_item_declare, matter_submit
from apps.matters.services.documents import document_render, document_template_save
from apps.matters.services.knowledge import materials_with_review_points
from apps.matters.tests.factories import children, element_data, grant, legal_affairs_user, materials

pytestmark = pytest.mark.django_db


@pytest.mark.spec("MAT-2.2.4")
def test_situations_select_their_materials_and_survive_claim_and_versions(people, orgs):
    kids = children()
    kids["situations"] = [{"name": "新办", "conditions": "首次申请"}, {"name": "延续", "conditions": "有效期届满前30日"}]
    kids["materials"] = materials("营业执照", "食品经营许可申请书") + [
        {**materials("场所平面图")[0], "situation_name": "新办"}, {**materials("原许可证")[0], "situation_name": "延续"}]
    with pytest.raises(ValidationError, match="情形“变更”不存在"):
        catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=element_data(),
                               children={**kids, "materials": [{**materials("x")[0], "situation_name": "变更"}]})
    assert not CatalogueItem.objects.exists()
    item = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=element_data(),
                                  children=kids)
    renewal = item.situations.get(name="延续")
    chosen = [m.name for m, _points in materials_with_review_points(item=item, situation_ids=[renewal.pk])]
    assert chosen == ["营业执照", "食品经营许可申请书", "原许可证"]
    from apps.matters.services.declaration import matter_review
    matter_review(actor=people["harbin_establishment"], item=item, approve=True)
    item.refresh_from_db()
    snapshot = MatterVersion.objects.get(catalogue_item=item).snapshot
    assert [m["situation_name"] for m in snapshot["materials"]] == ["", "", "新办", "延续"]
    claimed = catalogue_item_claim(actor=people["daoli"], catalogue_item=item, implementing_body=orgs["daoli_dept"])
    linked = dict(ApplicationMaterial.objects.filter(implementation_item=claimed)
                  .values_list("name", "situation__name"))
    assert linked == {"营业执照": None, "食品经营许可申请书": None, "场所平面图": "新办", "原许可证": "延续"}
    assert all(m.situation is None or m.situation.implementation_item_id == claimed.pk
               for m in ApplicationMaterial.objects.filter(implementation_item=claimed).select_related("situation"))


@pytest.mark.spec("MAT-2.2.6")
def test_fee_items_need_basis_and_amount_and_free_items_list_none(people, orgs, published_item):
    fee = {"name": "工本费", "amount_fen": 1000, "basis": "发改价格〔2015〕1号"}
    for data, fees, message in ((element_data(is_charged=True), [], "至少填写一个收费项目"),
                                (element_data(is_charged=True), [{**fee, "basis": ""}], "收费依据"),
                                (element_data(is_charged=True), [{**fee, "amount_fen": 0}], "大于零"),
                                (element_data(is_charged=False), [fee], "不能填写收费项目")):
        with pytest.raises(ValidationError, match=message):
            catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"], data=data,
                                   children={**children(), "fees": fees})
    assert CatalogueItem.objects.count() == 1
    charged = catalogue_item_declare(actor=people["harbin"], department=orgs["harbin_dept"],
                                     data=element_data(name="特种设备检验", is_charged=True),
                                     children={**children(), "fees": [fee]})
    assert FeeItem.objects.get(catalogue_item=charged).amount_yuan == "10.00"
    with pytest.raises(ValidationError, match="收费依据"):
        matter_change_submit(actor=people["harbin"], item=published_item,
                             proposed={"is_charged": True, "fees": [{**fee, "basis": ""}]})
    legal_affairs_user(published_item.region, "hrb_fzb")
    change = matter_change_submit(actor=people["harbin"], item=published_item,
                                  proposed={"is_charged": True, "fees": [fee]})
    assert set(change.changed_fields) == {"is_charged", "fees"} and change.route == "escalated"


@pytest.mark.spec("MAT-2.2.7")
def test_document_templates_render_item_data(people, orgs, published_item):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])
    author = grant(people["daoli"], "add_documenttemplate")
    with pytest.raises(ValidationError, match="无法识别的占位符：收费标准"):
        document_template_save(actor=author, kind="acceptance", name="受理通知书", body="{事项名称}{收费标准}")
    with pytest.raises(PermissionDenied):
        document_template_save(actor=people["harbin"], kind="acceptance", name="x", body="y")
    with pytest.raises(ValidationError, match="尚未配置"):
        document_render(item=item, kind="acceptance")
    document_template_save(actor=author, kind="acceptance", name="受理通知书（通用）",
                           body="{申请人}：您申请的{事项名称}（{实施编码}）已受理，将于{承诺办结时限}内办结。\n{材料清单}")
    assert document_render(item=item, kind="acceptance", context={"applicant": "张三"}) == (
        f"张三：您申请的食品经营许可（{item.implementation_code}）已受理，将于10个工作日内办结。\n"
        "1. 营业执照\n2. 食品经营许可申请书")
    document_template_save(actor=author, kind="acceptance", name="受理通知书（本事项）", body="{事项名称}专用", item=item)
    revised = document_template_save(actor=author, kind="acceptance", name="受理通知书（本事项）", body="{事项名称}专用v2",
                                     item=item)
    assert revised.version == 2 and DocumentTemplate.objects.count() == 2
    assert document_render(item=item, kind="acceptance") == "食品经营许可专用v2"


@pytest.mark.spec("MAT-2.2.8", "MAT-2.2")
def test_implementation_declaration_reviewed_then_in_the_list(people, orgs, published_item, regions, client):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])
    client.force_login(people["daoli"])
    client.post(reverse("matters:implementation-submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == "pending_review"
    legal = legal_affairs_user(regions["230100000000"], "hrb_fzb")
    client.force_login(people["qiqihar"])
    assert client.post(reverse("matters:implementation-review", args=[item.pk]),
                       {"decision": "approve"}).status_code in (403, 404)
    client.force_login(legal)
    client.post(reverse("matters:implementation-review", args=[item.pk]), {"decision": "reject", "comment": ""})
    item.refresh_from_db()
    assert item.status == "pending_review"                        # rejection needs an opinion
    client.post(reverse("matters:implementation-review", args=[item.pk]),
                {"decision": "reject", "comment": "办理地点不具体"})
    item.refresh_from_db()
    assert item.status == "rejected"
    client.force_login(people["daoli"])
    assert "办理地点不具体" in client.get(item.get_absolute_url()).content.decode()
    matter_submit(actor=people["daoli"], item=item)
    client.force_login(people["harbin_establishment"])
    client.post(reverse("matters:implementation-review", args=[item.pk]), {"decision": "approve", "comment": "同意"})
    item.refresh_from_db()
    assert (item.status, item.version) == ("published", 1)
    client.force_login(people["daoli"])
    listing = client.get(reverse("matters:implementation-list")).content.decode()
    assert item.implementation_code in listing
    assert client.get(f"/api/v1/matters/{item.pk}/").status_code == 200
