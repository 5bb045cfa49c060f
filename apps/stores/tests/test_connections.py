"""STORE-4.1: every service of a store is checked in the five connection ways (unified identity, matters,
convenience services, online handling, case-data aggregation). STORE-4.2: a department's own store
interface is accepted only when it meets the provincial connection standard (HTTPS, registered in the
unified identity), and users reach it with a provincial ticket."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.acceptance.models import CaseChannel
from apps.acceptance.services.cases import case_register
from apps.core.tests.factories import grant
from apps.identity.models import ClientSystemKind
from apps.identity.services.clients import client_system_create
from apps.identity.tests.factories import StaffFactory
from apps.stores.models import StoreLevel
from apps.stores.services.stores import (
    store_open, store_own_interface_set, store_publish, store_service_save, store_template_create,
)
from apps.stores.tests.conftest import staff_with
from apps.stores.tests.test_elderly import id_number
from apps.stores.tests.test_stores import SERVICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def store(regions, orgs):
    admin = staff_with("conn_admin", orgs["province"], "stores.manage_flagshipstore", "stores.maintain_store_content",
                       "stores.view_flagshipstore")
    store_template_create(actor=admin, level=StoreLevel.CITY, city=regions["230100000000"])
    made = store_publish(actor=admin, store=store_open(actor=admin, level=StoreLevel.CITY, organisation=orgs["harbin"],
                                                       region=regions["230100000000"], slug="harbin", name="哈尔滨"))
    return made, admin


@pytest.fixture
def client_system(orgs):
    admin = grant(StaffFactory(username="cs_admin", organisation=orgs["province"]), "identity.add_clientsystem")
    return client_system_create(actor=admin, data={"code": "hrb-scj", "name": "哈尔滨市场监管业务系统", "owner": "哈尔滨市",
                                                   "kind": ClientSystemKind.CITY,
                                                   "service_url": "https://scj.harbin.gov.cn/"})


@pytest.mark.spec("STORE-4.1")
def test_connection_check_shows_the_five_ways_per_service(client, store, client_system, publish, people):
    store, admin = store
    item = publish("食品经营许可", "daoli")
    full = store_service_save(actor=admin, store=store, data={
        **SERVICE, "title": "食品经营许可办理", "matter_code": item.implementation_code + "01",
        "client_system_code": "hrb-scj", "handling_url": "https://scj.harbin.gov.cn/spjy"})
    store_service_save(actor=admin, store=store, data={**SERVICE, "title": "水电气缴费", "kind": "convenience"})
    store_service_save(actor=admin, store=store, data={**SERVICE, "title": "未接入的服务", "handling_url": ""})
    # a case of the item arrives from the department's business system: case data is aggregated
    case_register(item=item, applicant_name="张三", applicant_id_number=id_number("23010219480315002"),
                  channel=CaseChannel.DEPARTMENT_SYSTEM, actor=None)
    client.force_login(admin)
    html = client.get(reverse("stores:store-detail", args=[store.pk])).content.decode()
    row = html.split('data-service="食品经营许可办理"')[1].split("</tr>")[0]
    assert 'data-complete="yes"' in row and row.count("✓ 已接入") == 4 and "（1）" in row
    row = html.split('data-service="水电气缴费"')[1].split("</tr>")[0]
    assert 'data-check="convenience"><span class="badge info">✓' in row and 'data-check="matter"><span class="muted">—' in row
    row = html.split('data-service="未接入的服务"')[1].split("</tr>")[0]
    assert 'data-complete="no"' in row and 'data-check="online"><span class="badge">✗' in row
    assert full.implementation_item == item


@pytest.mark.spec("STORE-4.2")
def test_own_interface_must_meet_the_connection_standard(client, store, client_system, resident):
    store, admin = store
    for url, code, field in (("http://scj.harbin.gov.cn/store", "hrb-scj", "url"),
                             ("https://scj.harbin.gov.cn/store", "unknown", "client_code"),
                             ("https://elsewhere.example/store", "hrb-scj", "url")):
        with pytest.raises(ValidationError) as refused:
            store_own_interface_set(actor=admin, store=store, url=url, client_code=code)
        assert field in refused.value.message_dict
    store.refresh_from_db()
    assert store.own_interface_url == ""
    client.force_login(admin)
    response = client.post(reverse("stores:store-own-interface", args=[store.pk]),
                           {"url": "https://scj.harbin.gov.cn/store", "client_code": "hrb-scj"})
    assert response.status_code == 302
    client.force_login(resident)
    html = client.get(reverse("stores-public:store", args=["harbin"])).content.decode()
    link = html.split('data-testid="own-interface"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert link.startswith(reverse("sso:ticket-issue")) and "app_id=hrb-scj" in link
    issued = client.get(link.replace("&amp;", "&"))
    assert issued.status_code == 302 and issued["Location"].startswith("https://scj.harbin.gov.cn/store?ticket=")
