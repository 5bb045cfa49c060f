"""Authorised proxy handling (授权代办, MAT-2.1.6 (7)): a department opens an item to proxy handling; an
elderly citizen's relative becomes their agent with a code read out from an SMS to the citizen's phone;
the agent finds the item and starts it for the citizen; identity's legal-person agents use the same
page; every refusal writes nothing."""
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.tests.conftest import sms_simulator  # noqa: F401  (SMS gateway on a real socket)
from apps.core.validators import id_number_check_character
from apps.identity.models import UserKind
from apps.identity.tests.factories import UserFactory
from apps.matters.models import ProxyAuthorisation, ProxyHandling, ProxyStatus
from apps.matters.services.declaration import catalogue_item_claim, matter_review, matter_submit
from apps.matters.services.proxy import proxy_grant_confirm, proxy_grant_request, proxy_handling_set, proxy_handling_start

pytestmark = pytest.mark.django_db


def id_number(first17: str) -> str:
    return first17 + id_number_check_character(first17)


ELDER_ID = id_number("23010219480315002")      # born 1948: over 60
YOUNG_ID = id_number("23010219900315002")


@pytest.fixture
def item(published_item, people, orgs):
    claimed = catalogue_item_claim(actor=people["daoli"], catalogue_item=published_item,
                                   implementing_body=orgs["daoli_dept"])
    matter_submit(actor=people["daoli"], item=claimed)
    matter_review(actor=people["harbin_establishment"], item=claimed, approve=True)
    claimed.refresh_from_db()
    assert claimed.status == "published"
    return claimed


@pytest.fixture
def elder(db):
    return UserFactory(username="elder", kind=UserKind.NATURAL_PERSON, full_name="王桂兰", id_number=ELDER_ID,
                       mobile_number="13800000060")


@pytest.fixture
def relative(db):
    return UserFactory(username="relative", kind=UserKind.NATURAL_PERSON, full_name="王小明",
                       id_number=id_number("23010219850101003"), mobile_number="13900000001")


def _code(sms_simulator) -> str:  # noqa: F811
    content = sms_simulator.messages[-1]["content"]
    return content.split("验证码")[1][:6]


@pytest.mark.spec("MAT-2.1.6")
def test_elderly_proxy_handling_end_to_end(client, item, people, elder, relative, sms_simulator,  # noqa: F811
                                           django_capture_on_commit_callbacks):
    # 1. the implementing department opens the item to proxy handling on the item page
    client.force_login(people["daoli"])
    detail = reverse("matters:implementation-detail", args=[item.pk])
    assert "开通授权代办" in client.get(detail).content.decode()
    client.post(reverse("matters:proxy-handling-set", args=[item.pk]),
                {"enabled": "1", "note": "代办人须携带本人及委托人身份证"})
    item.refresh_from_db()
    assert item.proxy_handling and "已开通授权代办" in client.get(detail).content.decode()
    assert "data-proxy-link" in client.get(reverse("matters-public:guide-detail", args=[item.pk])).content.decode()
    # 2. the relative names the elder; the elder's own phone receives the code
    client.force_login(relative)
    page = reverse("matters-public:proxy")
    assert "食品经营许可" in client.get(page, {"q": "食品"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"action": "request", "principal_name": "王桂兰", "principal_id_number": ELDER_ID})
    grant = ProxyAuthorisation.objects.get()
    assert grant.status == ProxyStatus.PENDING and sms_simulator.messages[-1]["mobile"] == "13800000060"
    code = _code(sms_simulator)
    assert code.isdigit() and code not in str(grant.code_digest)
    # a wrong code is counted and refused; the code the elder reads out activates the grant
    client.post(page, {"action": "confirm", "grant": grant.pk, "code": "000000" if code != "000000" else "111111"})
    grant.refresh_from_db()
    assert grant.status == ProxyStatus.PENDING and grant.attempts == 1
    client.post(page, {"action": "confirm", "grant": grant.pk, "code": code})
    grant.refresh_from_db()
    assert grant.status == ProxyStatus.ACTIVE and grant.valid_until > timezone.now() + timedelta(days=300)
    body = client.get(page).content.decode()
    assert 'data-principal="王桂兰"' in body and "代办人须携带本人及委托人身份证" in body
    # 3. the relative starts the item for the elder: a 代办记录, a notice to the elder, the application form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"action": "start", "item": item.pk, "principal": elder.pk})
    handling = ProxyHandling.objects.get()
    assert handling.principal == elder and handling.agent == relative and handling.basis == "elderly"
    assert response.status_code == 302 and f"proxy={handling.number}" in response["Location"]
    assert str(item.pk) in response["Location"]
    assert "已为您代办“食品经营许可”" in sms_simulator.messages[-1]["content"]
    assert f'data-handling="{handling.number}"' in client.get(page).content.decode()
    # 4. the elder (or family at the hall, logged in as the elder) sees the grant and revokes it
    client.force_login(elder)
    body = client.get(page).content.decode()
    assert 'data-given="王小明"' in body and handling.number in body
    client.post(page, {"action": "revoke", "grant": grant.pk})
    grant.refresh_from_db()
    assert grant.status == ProxyStatus.REVOKED
    client.force_login(relative)
    client.post(page, {"action": "start", "item": item.pk, "principal": elder.pk})
    assert ProxyHandling.objects.count() == 1


@pytest.mark.spec("MAT-2.1.6")
def test_legal_person_agent_from_identity_can_start_proxy_items(client, item, people, relative):
    from apps.identity.services.agents import agent_accept, agent_authorise

    company = UserFactory(username="company", kind=UserKind.LEGAL_PERSON, full_name="哈尔滨冰城科技有限公司",
                          credit_code="91230100MA1B2C3D49")
    proxy_handling_set(item=item, enabled=True, note="", actor=people["daoli"])
    authorisation = agent_authorise(legal_person=company, agent_id_number=relative.id_number, agent_name="王小明",
                                    scopes=["query"], valid_until=timezone.now() + timedelta(days=30), actor=company)
    agent_accept(authorisation=authorisation, actor=relative)
    client.force_login(relative)
    page = reverse("matters-public:proxy")
    # a "query only" authorisation does not cover applications
    assert 'data-principal="哈尔滨冰城科技有限公司"' not in client.get(page).content.decode()
    client.post(page, {"action": "start", "item": item.pk, "principal": company.pk})
    assert not ProxyHandling.objects.exists()
    authorisation.scopes = ["apply"]
    authorisation.save(update_fields=["scopes"])
    assert 'data-principal="哈尔滨冰城科技有限公司"' in client.get(page).content.decode()
    client.post(page, {"action": "start", "item": item.pk, "principal": company.pk})
    assert ProxyHandling.objects.get().basis == "legal_person"


def test_refusals_write_nothing(client, item, people, elder, relative, sms_simulator):  # noqa: F811
    young = UserFactory(username="young", kind=UserKind.NATURAL_PERSON, full_name="李青", id_number=YOUNG_ID,
                        mobile_number="13800000061")
    with pytest.raises(ValidationError, match="60 周岁"):
        proxy_grant_request(principal_name="李青", principal_id_number=YOUNG_ID, actor=relative)
    with pytest.raises(ValidationError, match="姓名与证件号码"):
        proxy_grant_request(principal_name="王某", principal_id_number=ELDER_ID, actor=relative)
    with pytest.raises(ValidationError, match="本人"):
        proxy_grant_request(principal_name="王桂兰", principal_id_number=ELDER_ID, actor=elder)
    with pytest.raises(PermissionDenied):
        proxy_grant_request(principal_name="王桂兰", principal_id_number=ELDER_ID, actor=people["daoli"])
    assert not ProxyAuthorisation.objects.exists() and young.pk
    grant = proxy_grant_request(principal_name="王桂兰", principal_id_number=ELDER_ID, actor=relative)
    with pytest.raises(ValidationError, match="待确认或有效"):
        proxy_grant_request(principal_name="王桂兰", principal_id_number=ELDER_ID, actor=relative)
    with pytest.raises(PermissionDenied):
        proxy_grant_confirm(authorisation=grant, code="123456", actor=young)
    # an item not opened to proxy handling, a pending grant: refused
    with pytest.raises(ValidationError, match="未开通"):
        proxy_handling_start(item=item, principal_id=elder.pk, actor=relative)
    proxy_handling_set(item=item, enabled=True, note="", actor=people["daoli"])
    with pytest.raises(PermissionDenied, match="有效代办授权"):
        proxy_handling_start(item=item, principal_id=elder.pk, actor=relative)
    # a code past its ten minutes, and five wrong attempts, are refused
    ProxyAuthorisation.objects.filter(pk=grant.pk).update(code_sent_at=timezone.now() - timedelta(minutes=11))
    grant.refresh_from_db()
    with pytest.raises(ValidationError, match="已失效"):
        proxy_grant_confirm(authorisation=grant, code="123456", actor=relative)
    assert not ProxyHandling.objects.exists()
    assert ProxyAuthorisation.objects.get().status == ProxyStatus.PENDING


def test_only_the_implementing_department_switches_proxy_handling(client, item, people):
    # other region: 404 (outside scope); no permission: 403; anonymous: login
    url = reverse("matters:proxy-handling-set", args=[item.pk])
    assert client.post(url, {"enabled": "1"}).status_code == 302
    client.force_login(people["qiqihar"])
    assert client.post(url, {"enabled": "1"}).status_code == 404
    from apps.identity.tests.factories import StaffFactory

    client.force_login(StaffFactory(username="noperm", organisation=item.implementing_body))
    assert client.post(url, {"enabled": "1"}).status_code == 403
    item.refresh_from_db()
    assert not item.proxy_handling
    client.logout()
    assert client.get(reverse("matters-public:proxy")).status_code == 302
