"""# MAT-2.2.3: the 31 implementation-list elements are configured by the department (change form) and shown
on the item page after review."""
import pytest
from django.urls import reverse

from apps.matters.services.changes import matter_change_review, matter_change_submit
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.tests.factories import establishment_user, legal_affairs_user

pytestmark = pytest.mark.django_db

# the 31 elements of MAT-2.2.3 → (label on the pages, configured value or None when set by the system)
ELEMENTS = {
    "exercise_level": ("行使层级", None), "authority_division": ("权限划分", "区级负责本辖区内食品经营许可"),
    "exercise_content": ("行使内容", "食品经营许可的核发"), "implementing_agency": ("实施机构", None),
    "implementing_body_nature": ("实施主体性质", "1"), "statutory_limit_working_days": ("法定办结时限（工作日）", 20),
    "acceptance_conditions": ("受理条件", "有固定经营场所"), "materials": ("申请材料", None),
    "co_handling_agencies": ("联办机构", "道里区卫生健康局"), "has_intermediary_service": ("是否有中介服务事项", True),
    "handling_process": ("办理流程", "申请—受理—审查—决定—送达"), "quantity_limit": ("数量限制", "无数量限制"),
    "result_name": ("结果名称", "食品经营许可证"), "result_sample": ("结果样本", "食品经营许可证（样本）.pdf"),
    "is_charged": ("是否收费", False), "fee_standard": ("收费标准", "不收费"), "fee_basis": ("收费依据", "无"),
    "service_targets": ("服务对象", "企业法人"), "case_type": ("办件类型", "committed"),
    "committed_limit_working_days": ("承诺办结时限（工作日）", 10),
    "cross_region_scope": ("通办范围", "province_wide"), "handling_form": ("办理形式", "window_and_online"),
    "supports_appointment": ("预约办理", True), "supports_online_payment": ("网上支付", True),
    "supports_express_delivery": ("物流快递", True), "business_system": ("运行系统", "黑龙江省食品经营许可系统"),
    "handling_location": ("办理地点", "道里区政务服务中心3号窗口"), "handling_hours": ("办理时间", "工作日 8:30-17:00"),
    "consultation_phone": ("咨询电话", "0451-86661234"), "faq": ("常见问题", "问：可以网上办理吗？答：可以。"),
    "supervision_phone": ("监督电话", "0451-12345"),
}


@pytest.mark.spec("MAT-2.2.3")
def test_the_31_elements_are_configured_and_shown(published_item, people, orgs, regions, client):
    assert len(ELEMENTS) == 31
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=item)
    matter_review(actor=establishment_user(regions["230102000000"], "daoli_bb"), item=item, approve=True)
    item.refresh_from_db()
    client.force_login(people["daoli"])
    form_page = client.get(reverse("matters:implementation-change", args=[item.pk])).content.decode()
    for field, (label, value) in ELEMENTS.items():
        if value is not None:
            assert f'name="{field}"' in form_page and label in form_page, field     # configurable on the form
    proposed = {field: value for field, (label, value) in ELEMENTS.items() if value is not None}
    offices = {code: legal_affairs_user(regions[code], f"fzb{code[:6]}") for code in ("230102000000", "230000000000")}
    change = matter_change_submit(actor=people["daoli"], item=item, proposed=proposed, reason="完善实施要素")
    assert change.route == "escalated" and change.review_chain == ["230102000000", "230000000000"]
    for code in change.review_chain:
        change.refresh_from_db()
        matter_change_review(actor=offices[code], change=change, approve=True, comment="同意")
    item.refresh_from_db()
    assert (item.exercise_level, item.implementing_agency, item.version) == ("4", orgs["daoli_dept"], 2)
    for field, value in proposed.items():
        assert getattr(item, field) == value, field
    page = client.get(reverse("matters:implementation-detail", args=[item.pk])).content.decode()
    for field, (label, value) in ELEMENTS.items():
        assert label in page, label
    assert 'data-element="implementing_agency">道里区市场监督管理局' in page
    assert 'data-element="exercise_level">县级' in page
    for text in ("黑龙江省食品经营许可系统", "道里区政务服务中心3号窗口", "全省通办", "问：可以网上办理吗", "营业执照"):
        assert text in page
