"""STORE-1.1–1.4 templates per level and the stores built from them; STORE-4.3/4.5 entry from the platform
and no second login across stores; STORE-2.1.2 provincial account pages; STORE-4.4 high-frequency quick
entries; STORE-4.6 mandatory phones, conditions and notes; STORE-5.1 back-office content maintenance."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.core.models import OrganisationKind, Region
from apps.core.tests.factories import OrganisationFactory
from apps.stores.models import FlagshipStore, StoreLevel, StoreService, StoreTemplate
from apps.stores.services.stores import store_open, store_publish, store_service_save, store_template_create
from apps.stores.tests.conftest import staff_with

pytestmark = pytest.mark.django_db

CITIES = {"230100000000": "哈尔滨市", "230200000000": "齐齐哈尔市", "230300000000": "鸡西市", "230400000000": "鹤岗市",
          "230500000000": "双鸭山市", "230600000000": "大庆市", "230700000000": "伊春市", "230800000000": "佳木斯市",
          "230900000000": "七台河市", "231000000000": "牡丹江市", "231100000000": "黑河市", "231200000000": "绥化市",
          "232700000000": "大兴安岭地区"}
SERVICE = {"title": "企业开办一网通办", "description": "营业执照、公章刻制、发票申领一次办", "icon": "企",
           "handling_url": "https://zwfw.hlj.gov.cn/kaiban", "enquiry_phone": "0451-12345678",
           "support_phone": "0451-87654321", "conditions": "持有效身份证件", "notes": "材料齐全当日办结",
           "is_high_frequency": True, "is_published": True}


@pytest.fixture
def province_admin(orgs):
    return staff_with("store_admin", orgs["province"], "stores.manage_flagshipstore", "stores.maintain_store_content",
                      "stores.view_flagshipstore", "stores.review_storearticle")


@pytest.fixture
def city_templates(regions, province_admin):
    """13 city, 13 county and 13 township template sets, one of each per city."""
    for code, name in CITIES.items():
        Region.objects.get_or_create(code=code, defaults={"name": name})
    Region.objects.get_or_create(code="230102001000", defaults={"name": "道里区兆麟街道"})
    made = {}
    for code in CITIES:
        city = Region.objects.get(code=code)
        for level in (StoreLevel.CITY, StoreLevel.COUNTY, StoreLevel.TOWNSHIP):
            made[(code, level)] = store_template_create(actor=province_admin, level=level, city=city)
    return made


def department(name, regions):
    return OrganisationFactory(name=name, region=regions["230000000000"], kind=OrganisationKind.DEPARTMENT)


@pytest.mark.spec("STORE-1.1")
def test_one_template_per_provincial_department_and_at_most_40(regions, province_admin):
    departments = [department(f"黑龙江省第{n}厅", regions) for n in range(41)]
    for dept in departments[:40]:
        store_template_create(actor=province_admin, level=StoreLevel.PROVINCIAL_DEPARTMENT, organisation=dept)
    assert StoreTemplate.objects.filter(level=StoreLevel.PROVINCIAL_DEPARTMENT).count() == 40
    with pytest.raises(ValidationError, match="最多 40 套"):
        store_template_create(actor=province_admin, level=StoreLevel.PROVINCIAL_DEPARTMENT, organisation=departments[40])
    StoreTemplate.objects.filter(organisation=departments[39]).delete()
    with pytest.raises(ValidationError, match="已存在"):
        store_template_create(actor=province_admin, level=StoreLevel.PROVINCIAL_DEPARTMENT, organisation=departments[0])
    with transaction.atomic(), pytest.raises(IntegrityError):          # the database refuses a second set too
        StoreTemplate.objects.create(level=StoreLevel.PROVINCIAL_DEPARTMENT, organisation=departments[0], name="x")
    with pytest.raises(ValidationError, match="省级部门"):
        store_template_create(actor=province_admin, level=StoreLevel.PROVINCIAL_DEPARTMENT,
                              organisation=OrganisationFactory(region=regions["230100000000"]))


@pytest.mark.spec("STORE-1.2", "STORE-1.3", "STORE-1.4")
def test_thirteen_city_county_and_township_sets_one_each_per_city(city_templates, province_admin, regions):
    for level in (StoreLevel.CITY, StoreLevel.COUNTY, StoreLevel.TOWNSHIP):
        assert StoreTemplate.objects.filter(level=level).count() == 13
    with pytest.raises(ValidationError, match="已存在"):
        store_template_create(actor=province_admin, level=StoreLevel.CITY, city=regions["230100000000"])
    with pytest.raises(ValidationError, match="市（地）"):
        store_template_create(actor=province_admin, level=StoreLevel.COUNTY, city=regions["230102000000"])


@pytest.mark.spec("STORE-1.3", "STORE-1.4")
def test_county_and_township_stores_of_a_city_render_with_its_shared_set(client, city_templates, province_admin,
                                                                         regions, orgs):
    harbin_county = city_templates[("230100000000", StoreLevel.COUNTY)]
    opened = {
        "daoli": store_open(actor=province_admin, level=StoreLevel.COUNTY, organisation=orgs["daoli_dept"],
                            region=regions["230102000000"], slug="daoli", name="道里区旗舰店"),
        "nangang": store_open(actor=province_admin, level=StoreLevel.COUNTY, organisation=orgs["harbin_dept"],
                              region=regions["230103000000"], slug="nangang", name="南岗区旗舰店"),
        "longsha": store_open(actor=province_admin, level=StoreLevel.COUNTY, organisation=orgs["qiqihar"],
                              region=regions["230202000000"], slug="longsha", name="龙沙区旗舰店"),
        "zhaolin": store_open(actor=province_admin, level=StoreLevel.TOWNSHIP, organisation=orgs["daoli_dept"],
                              region=Region.objects.get(code="230102001000"), slug="zhaolin", name="兆麟街道旗舰店"),
    }
    assert opened["daoli"].template == opened["nangang"].template == harbin_county
    assert opened["longsha"].template == city_templates[("230200000000", StoreLevel.COUNTY)]
    assert opened["zhaolin"].template == city_templates[("230100000000", StoreLevel.TOWNSHIP)]
    for store in opened.values():
        store_publish(actor=province_admin, store=store)
    for slug in ("daoli", "nangang"):
        html = client.get(reverse("stores-public:store", args=[slug])).content.decode()
        assert f'data-template="{harbin_county.pk}"' in html and 'data-template-level="county"' in html
    # a store level and its region must agree
    with pytest.raises(ValidationError, match="区县级区划"):
        store_open(actor=province_admin, level=StoreLevel.COUNTY, organisation=orgs["harbin_dept"],
                   region=regions["230100000000"], slug="wrong", name="错")
    assert not FlagshipStore.objects.filter(slug="wrong").exists()


@pytest.mark.spec("STORE-1.1", "STORE-1.2")
def test_a_store_without_its_template_cannot_be_opened_and_scope_is_checked(regions, orgs, province_admin):
    dept = department("黑龙江省公安厅", regions)
    with pytest.raises(ValidationError, match="尚无省直部门旗舰店模板"):
        store_open(actor=province_admin, level=StoreLevel.PROVINCIAL_DEPARTMENT, organisation=dept,
                   region=regions["230000000000"], slug="gat", name="省公安厅旗舰店")
    qiqihar_admin = staff_with("qq_admin", orgs["qiqihar"], "stores.manage_flagshipstore")
    with pytest.raises(PermissionDenied):
        store_open(actor=qiqihar_admin, level=StoreLevel.CITY, organisation=orgs["harbin"],
                   region=regions["230100000000"], slug="harbin", name="哈尔滨")
    assert not FlagshipStore.objects.exists()


@pytest.fixture
def stores(city_templates, province_admin, regions, orgs):
    """Three provincial-department stores and the Harbin city store, published, each with services."""
    made = {}
    for slug, name in (("gat", "省公安厅"), ("rst", "省人社厅"), ("scj", "省市场监管局")):
        dept = department(name, regions)
        store_template_create(actor=province_admin, level=StoreLevel.PROVINCIAL_DEPARTMENT, organisation=dept)
        made[slug] = store_open(actor=province_admin, level=StoreLevel.PROVINCIAL_DEPARTMENT, organisation=dept,
                                region=regions["230000000000"], slug=slug, name=f"{name}旗舰店")
    made["harbin"] = store_open(actor=province_admin, level=StoreLevel.CITY, organisation=orgs["harbin"],
                                region=regions["230100000000"], slug="harbin", name="哈尔滨市旗舰店")
    for store in made.values():
        store_publish(actor=province_admin, store=store)
        store_service_save(actor=province_admin, store=store, data={**SERVICE, "title": f"{store.name}高频服务"})
        store_service_save(actor=province_admin, store=store,
                           data={**SERVICE, "title": f"{store.name}普通服务", "is_high_frequency": False})
    return made


@pytest.mark.spec("STORE-4.5", "STORE-4.3", "STORE-2.1.1")
def test_one_login_opens_every_store_without_another_prompt(client, stores, resident):
    index = client.get(reverse("stores-public:index")).content.decode()
    for slug in stores:                                            # entry to each store from the platform
        assert f'data-store="{slug}"' in index
    client.force_login(resident)
    for slug in ("gat", "rst", "scj", "harbin"):
        html = client.get(reverse("stores-public:store", args=[slug])).content.decode()
        assert "您已通过省统一身份认证登录" in html and reverse("public:login") not in html
        assert f"{stores[slug].name}普通服务" in html               # the department's own services, directly


@pytest.mark.spec("STORE-2.1.2")
def test_city_store_account_actions_go_to_the_provincial_pages(client, stores, resident):
    html = client.get(reverse("stores-public:store", args=["harbin"])).content.decode()
    assert f'href="{reverse("public:login")}?next=%2Fstores%2Fstore%2Fharbin%2F"' in html
    assert f'href="{reverse("sso:register")}"' in html
    client.force_login(resident)
    html = client.get(reverse("stores-public:store", args=["harbin"])).content.decode()
    assert f'href="{reverse("identity:password-change")}"' in html


@pytest.mark.spec("STORE-4.4")
def test_high_frequency_services_are_quick_entries(client, stores):
    html = client.get(reverse("stores-public:store", args=["gat"])).content.decode()
    quick = html.split('data-testid="quick-entries"')[1].split("</div>")[0]
    assert "省公安厅旗舰店高频服务" in quick and "省公安厅旗舰店普通服务" not in quick


@pytest.mark.spec("STORE-4.6")
def test_every_service_page_shows_phones_conditions_and_notes(client, stores):
    service = stores["gat"].services.get(title__endswith="高频服务")
    html = client.get(reverse("stores-public:service", args=["gat", service.pk])).content.decode()
    for testid, value in (("enquiry-phone", "0451-12345678"), ("support-phone", "0451-87654321"),
                          ("conditions", "持有效身份证件"), ("notes", "材料齐全当日办结")):
        assert f'data-testid="{testid}">{value}</dd>' in html


@pytest.mark.spec("STORE-4.6")
def test_publishing_a_service_without_them_is_refused(client, stores, province_admin):
    store = stores["rst"]
    before = StoreService.objects.count()
    with pytest.raises(ValidationError) as refused:
        store_service_save(actor=province_admin, store=store, data={**SERVICE, "support_phone": "", "notes": ""})
    assert set(refused.value.message_dict) >= {"support_phone", "notes", "is_published"}
    client.force_login(province_admin)
    response = client.post(reverse("stores:service-add", args=[store.pk]),
                           {**SERVICE, "enquiry_phone": "", "order": 0, "min_real_name_level": 0, "is_published": "on"})
    assert response.status_code == 400 and "发布前须填写：业务咨询电话" in response.content.decode()
    assert StoreService.objects.count() == before
    # saved as a draft it is allowed, but never shown
    draft = store_service_save(actor=province_admin, store=store, data={**SERVICE, "title": "草稿服务",
                                                                         "notes": "", "is_published": False})
    assert client.get(reverse("stores-public:service", args=["rst", draft.pk])).status_code == 404
    with transaction.atomic(), pytest.raises(IntegrityError):             # and the database agrees
        StoreService.objects.filter(pk=draft.pk).update(is_published=True)


@pytest.mark.spec("STORE-5.1")
def test_back_office_content_changes_show_on_the_public_page(client, stores, province_admin):
    store = stores["harbin"]
    client.force_login(province_admin)
    response = client.post(reverse("stores:store-content", args=[store.pk]), {
        "title": "冰城政务旗舰店", "description": "哈尔滨市政务服务一站通", "banner_image": "/static/img/harbin-banner.jpg",
        "icon": "冰", "contact_phone": "0451-12345"})
    assert response.status_code == 302
    service = store.services.get(title__endswith="高频服务")
    response = client.post(reverse("stores:service-edit", args=[store.pk, service.pk]), {
        **SERVICE, "title": "冰城企业开办", "image_path": "/static/img/kaiban.png", "icon": "开",
        "description": "一窗通办", "handling_url": "https://harbin.zwfw.example/kaiban-v2", "order": 1,
        "min_real_name_level": 0, "is_published": "on", "is_high_frequency": "on"})
    assert response.status_code == 302
    client.logout()
    html = client.get(reverse("stores-public:store", args=["harbin"])).content.decode()
    assert "冰城政务旗舰店" in html and "哈尔滨市政务服务一站通" in html
    assert 'data-banner="/static/img/harbin-banner.jpg"' in html and 'data-icon="冰"' in html
    assert 'src="/static/img/kaiban.png"' in html and "冰城企业开办" in html
    response = client.get(reverse("stores-public:handle", args=["harbin", service.pk]))
    assert response.status_code == 302 and response["Location"] == "https://harbin.zwfw.example/kaiban-v2"


@pytest.mark.spec("STORE-5.1")
def test_content_maintenance_is_scoped_and_bad_input_writes_nothing(client, stores, orgs, province_admin):
    store = stores["harbin"]
    qiqihar_editor = staff_with("qq_editor", orgs["qiqihar"], "stores.maintain_store_content", "stores.view_flagshipstore")
    client.force_login(qiqihar_editor)
    assert client.get(reverse("stores:store-content", args=[store.pk])).status_code == 404
    assert client.post(reverse("stores:store-content", args=[store.pk]), {"title": "篡改"}).status_code == 404
    client.force_login(province_admin)
    response = client.post(reverse("stores:store-content", args=[store.pk]),
                           {"title": "", "banner_image": "javascript:alert(1)"})
    assert response.status_code == 400
    store.refresh_from_db()
    assert store.title == "哈尔滨市旗舰店" and store.banner_image == ""


@pytest.mark.spec("STORE-4.5")
def test_store_pages_and_lists_have_flat_query_counts(client, stores, province_admin, django_assert_max_num_queries):
    for n in range(8):
        store_service_save(actor=province_admin, store=stores["gat"], data={**SERVICE, "title": f"服务{n}"})
    with django_assert_max_num_queries(8):
        assert client.get(reverse("stores-public:store", args=["gat"])).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("stores-public:index")).status_code == 200
    client.force_login(province_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("stores:store-list")).status_code == 200
    api = client.get(f"/api/v1/stores/stores/gat/").json()
    assert api["slug"] == "gat" and len(api["services"]) == 10


@pytest.mark.spec("STORE-4.6")
def test_a_service_without_online_handling_says_so(client, stores, province_admin):
    service = store_service_save(actor=province_admin, store=stores["gat"],
                                 data={**SERVICE, "title": "窗口办理事项", "handling_url": ""})
    response = client.get(reverse("stores-public:handle", args=["gat", service.pk]), follow=True)
    assert response.status_code == 200 and "该服务暂未提供在线办理" in response.content.decode()
    assert 'data-testid="handle"' not in response.content.decode()
