"""STORE-2.c elderly-friendly zone: a topic page built from the departments' elderly-friendly matter list,
large font and large icons, the accessibility toolbar with its 11 functions, and authorised proxy
handling (授权代办) through apps.matters' elderly proxy grants (SMS code read out by the elder)."""
import re

import pytest
from django.urls import reverse

from apps.core.tests.conftest import sms_simulator  # noqa: F401  (SMS gateway on a real socket)
from apps.core.validators import id_number_check_character
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.matters.models import ProxyAuthorisation, ProxyHandling, ProxyStatus
from apps.matters.services.proxy import proxy_grant_confirm, proxy_grant_request, proxy_handling_set
from apps.stores.models import Zone, ZoneMatter
from apps.stores.services.zones import zone_matter_save
from apps.stores.tests.conftest import staff_with

pytestmark = pytest.mark.django_db

TOOLBAR = ["后退", "前进", "重置", "箭头", "光标", "配色", "放大", "缩小", "声音", "指读", "连读"]


def id_number(first17: str) -> str:
    return first17 + id_number_check_character(first17)


@pytest.fixture
def elderly_list(publish, people, orgs):
    """The Harbin department's elderly-friendly list: two matters, one open to proxy handling."""
    card = publish("老年人优待证办理", "daoli")
    pension = publish("养老金领取资格认证", "daoli")
    proxy_handling_set(item=card, enabled=True, note="代办人须携带本人及委托人身份证", actor=people["daoli"])
    supplier = staff_with("elderly_supplier", orgs["harbin_dept"], "stores.manage_zonematter")
    rows = [
        zone_matter_save(actor=supplier, data={"zone": Zone.ELDERLY, "name": "老年人优待证办理", "classification": "优待服务",
                                               "matter_code": card.implementation_code, "icon": "证",
                                               "supplying_department": orgs["harbin_dept"], "is_identity_connected": True,
                                               "handling_url": "https://zwfw.hlj.gov.cn/elder/card"}),
        zone_matter_save(actor=supplier, data={"zone": Zone.ELDERLY, "name": "养老金领取资格认证", "classification": "社保服务",
                                               "matter_code": pension.implementation_code, "icon": "保",
                                               "supplying_department": orgs["harbin_dept"]}),
        zone_matter_save(actor=supplier, data={"zone": Zone.PROVINCE_WIDE, "name": "不在本专区的事项", "classification": "其他",
                                               "supplying_department": orgs["harbin_dept"]}),
    ]
    return {"card": card, "pension": pension, "rows": rows, "supplier": supplier}


@pytest.fixture
def elder(db):
    return UserFactory(username="elder", kind=UserKind.NATURAL_PERSON, full_name="王桂兰",
                       id_number=id_number("23010219480315002"), mobile_number="13800000060")


@pytest.fixture
def relative(db):
    return UserFactory(username="relative", kind=UserKind.NATURAL_PERSON, full_name="王小明",
                       id_number=id_number("23010219850101003"), mobile_number="13900000001")


@pytest.mark.spec("STORE-2.c")
def test_topic_page_shows_the_elderly_list_in_large_font_with_the_full_toolbar(client, elderly_list):
    html = client.get(reverse("stores-public:elderly")).content.decode()
    assert 'class="elderly-zone"' in html and "stores.css" in html and "a11y-toolbar.js" in html
    assert 'data-matter="老年人优待证办理"' in html and 'data-matter="养老金领取资格认证"' in html
    assert "不在本专区的事项" not in html
    assert '<span class="icon" aria-hidden="true"><span>证</span></span>' in html     # large icon per matter
    buttons = re.findall(r'<button type="button" data-a11y="[^"]+"[^>]*>.*?</span>(\w+)</button>', html)
    assert buttons == TOOLBAR
    assert 'role="toolbar"' in html and 'aria-live="polite"' in html
    # the classification filter narrows the list
    html = client.get(reverse("stores-public:elderly"), {"classification": "社保服务"}).content.decode()
    assert 'data-matter="养老金领取资格认证"' in html and 'data-matter="老年人优待证办理"' not in html
    # the same list for the app
    rows = client.get("/api/v1/stores/zones/elderly/").json()["results"]
    assert {r["name"] for r in rows} == {"养老金领取资格认证", "老年人优待证办理"}
    assert next(r for r in rows if r["name"] == "老年人优待证办理")["can_jump"] is True


@pytest.mark.spec("STORE-2.c")
def test_large_font_and_large_icons_are_in_the_stylesheet(client):
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/stores.css"), encoding="utf-8").read()
    assert re.search(r"\.elderly-zone \{ font-size: 1\.3rem;", css)
    assert re.search(r"\.elderly-tile \.icon \{ font-size: 3\.4rem;", css)


@pytest.mark.spec("STORE-2.c")
def test_an_authorised_proxy_handles_an_elderly_matter_for_the_elder(client, elderly_list, elder, relative,
                                                                     sms_simulator,  # noqa: F811
                                                                     django_capture_on_commit_callbacks):
    card_row = ZoneMatter.objects.get(name="老年人优待证办理")
    # before any grant the relative sees no principal and cannot act
    client.force_login(relative)
    html = client.get(reverse("stores-public:elderly")).content.decode()
    assert "代办此事项" not in html and "您还没有有效的代办委托" in html
    response = client.post(reverse("stores-public:elderly-proxy", args=[card_row.pk]), {"principal": elder.pk})
    assert response.status_code == 302 and not ProxyHandling.objects.exists()
    # the elder reads out the SMS code: the grant (apps.matters) becomes active
    with django_capture_on_commit_callbacks(execute=True):
        grant = proxy_grant_request(principal_name="王桂兰", principal_id_number=elder.id_number, actor=relative)
    code = sms_simulator.messages[-1]["content"].split("验证码")[1][:6]
    proxy_grant_confirm(authorisation=grant, code=code, actor=relative)
    html = client.get(reverse("stores-public:elderly")).content.decode()
    assert 'data-principal="王桂兰"' in html and html.count("代办此事项") == 1     # only the proxy-enabled matter
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("stores-public:elderly-proxy", args=[card_row.pk]), {"principal": elder.pk})
    handling = ProxyHandling.objects.get()
    assert (handling.principal, handling.agent, handling.item) == (elder, relative, elderly_list["card"])
    assert response.status_code == 302 and f"proxy={handling.number}" in response["Location"]
    assert "已为您代办“老年人优待证办理”" in sms_simulator.messages[-1]["content"]
    # a matter not open to proxy handling is refused and writes nothing
    pension_row = ZoneMatter.objects.get(name="养老金领取资格认证")
    client.post(reverse("stores-public:elderly-proxy", args=[pension_row.pk]), {"principal": elder.pk})
    assert ProxyHandling.objects.count() == 1
    # once the elder revokes, the proxy can no longer act
    ProxyAuthorisation.objects.filter(pk=grant.pk).update(status=ProxyStatus.REVOKED)
    client.post(reverse("stores-public:elderly-proxy", args=[card_row.pk]), {"principal": elder.pk})
    assert ProxyHandling.objects.count() == 1


@pytest.mark.spec("STORE-2.c")
def test_proxy_start_needs_login_and_a_post(client, elderly_list, elder):
    row = ZoneMatter.objects.get(name="老年人优待证办理")
    url = reverse("stores-public:elderly-proxy", args=[row.pk])
    response = client.post(url, {"principal": elder.pk})
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(elder)
    assert client.get(url).status_code == 405
    assert not ProxyHandling.objects.exists()


@pytest.mark.spec("STORE-2.c")
def test_only_the_supplying_department_maintains_its_list(client, elderly_list, orgs):
    qiqihar = staff_with("qq_supplier", orgs["qiqihar"], "stores.manage_zonematter")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        zone_matter_save(actor=qiqihar, data={"zone": Zone.ELDERLY, "name": "越权", "classification": "x",
                                              "supplying_department": orgs["harbin_dept"]})
    client.force_login(qiqihar)
    row = elderly_list["rows"][0]
    assert client.get(reverse("stores:zone-edit", args=[row.pk])).status_code == 403
    assert not ZoneMatter.objects.filter(name="越权").exists()


@pytest.mark.spec("STORE-2.c")
def test_elderly_page_query_count_is_flat(client, elderly_list, orgs, django_assert_max_num_queries):
    for n in range(10):
        zone_matter_save(actor=elderly_list["supplier"], data={"zone": Zone.ELDERLY, "name": f"事项{n}",
                                                              "classification": "优待服务",
                                                              "supplying_department": orgs["harbin_dept"]})
    with django_assert_max_num_queries(8):
        assert client.get(reverse("stores-public:elderly")).status_code == 200
