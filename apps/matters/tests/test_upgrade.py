"""Upgrades of the original item library: temporary items and reuse (MAT-7.1, 7.2), address errors
(7.9), intermediary services (7.10), featured themes (7.11)."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.core.models import OutboxMessage
from apps.core.tests.factories import OrganisationFactory
from apps.identity.tests.factories import StaffFactory
from apps.matters.models import AddressError, FeaturedTheme, IntermediaryService, MatterVersion, TemporaryItem
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.services.upgrade import (
    address_error_correct, address_errors_receive, featured_theme_link, featured_theme_save, intermediary_service_add,
    temporary_extract, temporary_item_save, temporary_reuse,
)
from apps.matters.tests.factories import department_user, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(published_item, people, orgs):
    item = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item, implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=item)
    from apps.matters.tests.factories import establishment_user
    matter_review(actor=establishment_user(item.region, "daoli_bb"), item=item, approve=True)
    item.refresh_from_db()
    return item


@pytest.mark.spec("MAT-7.1", "MAT-7.2")
def test_temporary_entry_is_reused_by_the_type_element_standard(people):
    clerk = grant(people["harbin"], "add_temporaryitem")
    with pytest.raises(ValidationError, match="事项名称"):
        temporary_item_save(actor=clerk, title=" ", fields={})
    with pytest.raises(PermissionDenied):
        temporary_item_save(actor=StaffFactory(username="np"), title="x", fields={})
    assert not TemporaryItem.objects.exists()
    temp = temporary_item_save(actor=clerk, title="犬只登记", fields={
        "依据": "《哈尔滨市养犬管理条例》", "地址": "道里区政务服务中心", "咨询方式": "0451-8000", "投诉电话": "12345",
        "法定期限": "20个工作日", "承诺时限": "5个工作日", "申请条件": "已免疫", "备注": "原系统导出"})
    values, missing = temporary_extract(temp, "01")
    assert values["legal_basis"] == "《哈尔滨市养犬管理条例》" and values["statutory_limit_working_days"] == 20
    assert values["committed_limit_working_days"] == 5 and values["acceptance_conditions"] == "已免疫"
    assert set(missing) == {"handling_hours", "online_handling_url"}
    public_values, _missing = temporary_extract(temp, "20")            # public service: its own standard
    assert "statutory_limit_working_days" not in public_values and "legal_basis" not in public_values
    item = temporary_reuse(actor=clerk, temporary=temp, matter_type="01")
    assert (item.status, item.name, item.handling_location, item.supervision_phone) == (
        "draft", "犬只登记", "道里区政务服务中心", "12345")
    with pytest.raises(ValidationError, match="已复用"):
        temporary_reuse(actor=clerk, temporary=temp, matter_type="01")



def test_address_errors_scoped_and_corrected_as_a_new_version(live, people, orgs, regions, client):
    result = address_errors_receive(rows=[
        {"source_id": "E1", "implementation_code": live.implementation_code, "category": "unreachable",
         "detail": "404", "online_url": "https://old.example/1"},
        {"source_id": "E2", "implementation_code": "NOPE", "category": "unreachable"},
    ])
    assert result == {"created": 1, "errors": ["E2"]}
    assert address_errors_receive(rows=[{"source_id": "E1", "implementation_code": live.implementation_code,
                                         "category": "unreachable"}])["created"] == 0
    error = AddressError.objects.get()
    owner = grant(people["daoli"], "view_addresserror", "change_addresserror")
    other = grant(department_user(OrganisationFactory(name="道里区卫健局", region=orgs["daoli_dept"].region), "wj"),
                  "view_addresserror", "change_addresserror")
    bureau = grant(StaffFactory(username="hrb_ys", organisation=OrganisationFactory(
        name="哈尔滨市营商局", region=regions["230100000000"], kind="business_environment_bureau")),
        "view_addresserror")
    client.force_login(other)
    assert 'data-error=' not in client.get(reverse("matters:address-errors")).content.decode()
    client.force_login(bureau)
    page = client.get(reverse("matters:address-errors"), {"department": "市场监督"}).content.decode()
    assert f'data-error="{live.name}"' in page
    assert 'data-error=' not in client.get(reverse("matters:address-errors"), {"department": "卫健"}).content.decode()
    with pytest.raises(PermissionDenied):
        address_error_correct(actor=other, error=error, pc_url="https://a.cn", mobile_url="https://m.a.cn",
                              online_url="https://a.cn/x")
    with pytest.raises(ValidationError):
        address_error_correct(actor=owner, error=error, pc_url="ftp://x", mobile_url="", online_url="no")
    error.refresh_from_db()
    assert error.corrected_at is None
    client.force_login(owner)
    client.post(reverse("matters:address-errors"), {"error": error.pk, "pc_url": "https://zwfw.hlj.gov.cn/pc/1",
                                                    "mobile_url": "https://zwfw.hlj.gov.cn/m/1",
                                                    "online_url": "https://zwfw.hlj.gov.cn/item/9"})
    live.refresh_from_db()
    error.refresh_from_db()
    assert error.corrected_at is not None and live.online_handling_url == "https://zwfw.hlj.gov.cn/item/9"
    assert live.version == 2 and MatterVersion.objects.filter(implementation_item=live).count() == 2
    assert OutboxMessage.objects.filter(idempotency_key=f"matters:implementation:{live.pk}:v2").exists()


@pytest.mark.spec("MAT-7.10")
def test_intermediary_page_shown_only_when_the_item_has_one(live, people, client):
    client.force_login(people["daoli"])
    assert 'id="intermediary"' not in client.get(live.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError, match="为否"):
        intermediary_service_add(actor=people["daoli"], item=live, name="环评", legal_basis="《环境影响评价法》")
    type(live).objects.filter(pk=live.pk).update(has_intermediary_service=True)
    live.refresh_from_db()
    page = client.get(live.get_absolute_url()).content.decode()
    assert 'id="intermediary"' in page and "新增中介服务事项" in page
    with pytest.raises(ValidationError, match="收费依据"):
        intermediary_service_add(actor=people["daoli"], item=live, name="检测", legal_basis="x", is_charged=True)
    client.post(reverse("matters:intermediary-add", args=[live.pk]), {
        "name": "建设项目环境影响评价", "legal_basis": "《环境影响评价法》第十九条", "time_limit_working_days": "30"})
    assert list(IntermediaryService.objects.values_list("name", "time_limit_working_days")) == [
        ("建设项目环境影响评价", 30)]
    assert 'data-intermediary="建设项目环境影响评价"' in client.get(live.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        intermediary_service_add(actor=people["qiqihar"], item=live, name="x", legal_basis="y")


@pytest.mark.spec("MAT-7.11")
def test_provincial_department_links_items_to_featured_subclasses(people, regions, published_item):
    admin = grant(StaffFactory(username="theme_admin"), "add_featuredtheme")
    main = featured_theme_save(actor=admin, name="冰雪旅游")
    sub = featured_theme_save(actor=admin, name="冰雪赛事活动", parent=main)
    with pytest.raises(ValidationError, match="两级"):
        featured_theme_save(actor=admin, name="三级", parent=sub)
    with pytest.raises(ValidationError):
        featured_theme_save(actor=admin, name="冰雪赛事活动", parent=main)         # duplicate
    assert FeaturedTheme.objects.count() == 2
    with pytest.raises(PermissionDenied, match="省级部门"):
        featured_theme_link(actor=people["harbin"], item=published_item, themes=[sub])
    province = department_user(OrganisationFactory(name="省文旅厅", region=regions["230000000000"]), "wlt")
    from apps.matters.services.declaration import catalogue_item_declare
    from apps.matters.tests.factories import children, element_data
    own = catalogue_item_declare(actor=province, department=province.organisation, data=element_data(name="大型群众性活动"),
                                 children=children())
    with pytest.raises(ValidationError, match="主题小类"):
        featured_theme_link(actor=province, item=own, themes=[main])
    featured_theme_link(actor=province, item=own, themes=[sub])
    assert list(own.featured_themes.all()) == [sub] and str(sub) == "冰雪旅游 / 冰雪赛事活动"
