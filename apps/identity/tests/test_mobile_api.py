"""APIs of 全省事APP and the mini programs (IDN-2.1, 2.2) and the legal-person information change in
the account centre (IDN-3.a, 3.b), over the real identity-check simulators."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.identity.models import (
    ClientSystem,
    RealNameLevel,
    SsoTicketKind,
    User,
    UserKind,
)
from apps.identity.sso.tickets import ticket_issue
from apps.identity.tests.conftest import (
    AGENT_ID,
    CREDIT_CODE,
    ENTERPRISE_NAME,
    PERSON_ID,
    PERSON_NAME,
    REGISTERED_MOBILE,
)
from apps.identity.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/identity/mobile"
STEP1 = {"id_type": "resident_id", "name": PERSON_NAME, "id_number": PERSON_ID, "valid_from": "2015-01-01",
         "valid_to": "2035-01-01"}
ACCOUNT = {"username": "app_zs", "mobile_number": "13800005555", "password": "Hlj#App2026x",
           "home_region": "230102000000", "channel": "app"}


@pytest.mark.spec("IDN-2.1")
def test_natural_person_app_apis(api_client, identity_peers, regions, sms_simulator,
                                 django_capture_on_commit_callbacks):
    refused = api_client.post(f"{API}/person/check/", {**STEP1, "name": "李四"}, format="json")
    assert refused.status_code == 400                                   # nobody registered at the registries
    identity_peers.person()
    token = api_client.post(f"{API}/person/check/", STEP1, format="json").json()["verification_token"]
    bad = api_client.post(f"{API}/person/register/", {**ACCOUNT, "verification_token": token, "home_region": "x"},
                          format="json")
    assert bad.status_code == 400 and not User.objects.filter(username="app_zs").exists()
    created = api_client.post(f"{API}/person/register/", {**ACCOUNT, "verification_token": token}, format="json")
    assert created.status_code == 201
    user = User.objects.get(username="app_zs")
    assert user.registration_channel == "app" and user.real_name_level == RealNameLevel.VERIFIED
    # password login and SMS login
    assert api_client.post(f"{API}/login/", {"username": "app_zs", "password": "wrong"},
                           format="json").status_code == 400
    assert api_client.post(f"{API}/login/", {"username": "app_zs", "password": "Hlj#App2026x"},
                           format="json").json()["user"]["username"] == "app_zs"
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(f"{API}/sms-code/", {"purpose": "login", "mobile_number": "13800005555"},
                               format="json").status_code == 202
    code = sms_simulator.messages[-1]["content"].split("验证码为 ")[1][:6]
    assert api_client.post(f"{API}/login/", {"mobile_number": "13800005555", "sms_code": code},
                           format="json").status_code == 200
    assert api_client.post(f"{API}/login/", {"mobile_number": "13800005555", "sms_code": code},
                           format="json").status_code == 400                         # used once
    # user info by ticket (the app's web views get a ticket after login)
    app = ClientSystem.objects.create(code="qss-app", name="全省事APP", owner="省营商环境局", kind="third_party",
                                      ticket_secret="qss-secret")
    ticket = ticket_issue(client=app, user=user, kind=SsoTicketKind.APP).ticket
    body = {"app_id": "qss-app", "app_secret": "qss-secret", "ticket": ticket}
    assert api_client.post(f"{API}/ticket-userinfo/", {**body, "app_secret": "x"}, format="json").status_code == 401
    info = api_client.post(f"{API}/ticket-userinfo/", body, format="json").json()
    assert info["sub"] == str(user.pk) and info["real_name_level"] == RealNameLevel.VERIFIED
    assert api_client.post(f"{API}/ticket-userinfo/", body, format="json").status_code == 400


def test_natural_person_four_elements_completion(api_client, identity_peers):
    identity_peers.person()
    quick = UserFactory(username="quick_app", kind=UserKind.NATURAL_PERSON, real_name_level=RealNameLevel.NONE)
    api_client.force_authenticate(quick)
    wrong = api_client.post(f"{API}/person/four-elements/", {**STEP1, "id_number": AGENT_ID}, format="json")
    assert wrong.status_code == 400
    quick.refresh_from_db()
    assert not quick.id_number and quick.real_name_level == RealNameLevel.NONE
    with CaptureQueriesContext(connection):
        done = api_client.post(f"{API}/person/four-elements/", STEP1, format="json")
    assert done.status_code == 200
    quick.refresh_from_db()
    assert quick.id_number == PERSON_ID and quick.full_name == PERSON_NAME
    assert quick.real_name_level == RealNameLevel.VERIFIED
    legal = UserFactory(kind=UserKind.LEGAL_PERSON)
    api_client.force_authenticate(legal)
    assert api_client.post(f"{API}/person/four-elements/", STEP1, format="json").status_code == 403


@pytest.mark.spec("IDN-2.2")
def test_legal_person_app_apis(api_client, identity_peers, regions, sms_simulator,
                               django_capture_on_commit_callbacks):
    identity_peers.person()
    identity_peers.market.register(credit_code=CREDIT_CODE, name=ENTERPRISE_NAME, legal_representative=PERSON_NAME,
                                   mobile=REGISTERED_MOBILE)
    check = {**STEP1, "enterprise_type": "enterprise", "enterprise_name": ENTERPRISE_NAME, "credit_code": CREDIT_CODE}
    assert api_client.post(f"{API}/legal/check/", {**check, "enterprise_name": "别家"},
                           format="json").status_code == 400
    token = api_client.post(f"{API}/legal/check/", check, format="json").json()["verification_token"]
    other_mobile = api_client.post(f"{API}/sms-code/", {"purpose": "legal_register", "mobile_number": "13800001111",
                                                        "verification_token": token}, format="json")
    assert other_mobile.status_code == 400 and sms_simulator.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(f"{API}/sms-code/", {"purpose": "legal_register", "mobile_number": REGISTERED_MOBILE,
                                             "verification_token": token}, format="json")
    code = sms_simulator.messages[-1]["content"].split("验证码为 ")[1][:6]
    account = {**ACCOUNT, "username": "app_bc", "mobile_number": REGISTERED_MOBILE, "verification_token": token,
               "channel": "mini_program"}
    assert api_client.post(f"{API}/legal/register/", {**account, "sms_code": "000000"},
                           format="json").status_code == 400
    assert not User.objects.filter(username="app_bc").exists()
    created = api_client.post(f"{API}/legal/register/", {**account, "sms_code": code}, format="json")
    assert created.status_code == 201
    user = User.objects.get(username="app_bc")
    assert user.kind == UserKind.LEGAL_PERSON and user.registration_channel == "mini_program"
    assert api_client.post(f"{API}/login/", {"username": "app_bc", "password": "Hlj#App2026x"},
                           format="json").status_code == 200
    # legal four elements: a temporary legal person supplies its formal credit code
    temporary = UserFactory(kind=UserKind.LEGAL_PERSON, is_temporary_legal_person=True, full_name="临时法人公司",
                            legal_representative=PERSON_NAME, enterprise_type="enterprise")
    identity_peers.market.register(credit_code="91230100MA1B2C3D5C", name="临时法人公司",
                                   legal_representative=PERSON_NAME, mobile=REGISTERED_MOBILE)
    api_client.force_authenticate(temporary)
    assert api_client.post(f"{API}/legal/four-elements/", {"credit_code": "bad"}, format="json").status_code == 400
    converted = api_client.post(f"{API}/legal/four-elements/", {"credit_code": "91230100MA1B2C3D5C"},
                                format="json")
    assert converted.status_code == 200
    temporary.refresh_from_db()
    assert not temporary.is_temporary_legal_person and temporary.credit_code_locked


@pytest.fixture
def formal_legal(identity_peers):
    identity_peers.person()
    return UserFactory(username="bc_formal", kind=UserKind.LEGAL_PERSON, credit_code=CREDIT_CODE,
                       full_name=ENTERPRISE_NAME, legal_representative=PERSON_NAME, enterprise_type="enterprise",
                       id_type="resident_id", id_number=PERSON_ID)


@pytest.mark.spec("IDN-3.a")
def test_enterprise_name_change_needs_the_registry(client, identity_peers, formal_legal):
    client.force_login(formal_legal)
    identity_peers.market.register(credit_code=CREDIT_CODE, name=ENTERPRISE_NAME, legal_representative=PERSON_NAME,
                                   mobile=REGISTERED_MOBILE)
    page = client.get("/sso/account/").content.decode()
    assert 'data-testid="enterprise-change"' in page
    refused = client.post("/sso/account/", {"action": "enterprise", "enterprise_name": "哈尔滨冰城新科技有限公司"},
                          follow=True)
    assert "单位名称与登记信息不一致" in refused.content.decode()
    formal_legal.refresh_from_db()
    assert formal_legal.full_name == ENTERPRISE_NAME
    identity_peers.market.register(credit_code=CREDIT_CODE, name="哈尔滨冰城新科技有限公司",
                                   legal_representative=PERSON_NAME, mobile=REGISTERED_MOBILE)
    client.post("/sso/account/", {"action": "enterprise", "enterprise_name": "哈尔滨冰城新科技有限公司"})
    formal_legal.refresh_from_db()
    assert formal_legal.full_name == "哈尔滨冰城新科技有限公司"
    assert identity_peers.police.queries == []                    # a name change checks no person


@pytest.mark.spec("IDN-3.b")
def test_legal_representative_change_needs_both_checks(client, api_client, identity_peers, formal_legal):
    identity_peers.market.register(credit_code=CREDIT_CODE, name=ENTERPRISE_NAME, legal_representative="李四",
                                   mobile=REGISTERED_MOBILE)
    change = {"action": "enterprise", "enterprise_name": ENTERPRISE_NAME, "name": "李四", "id_number": AGENT_ID,
              "valid_from": "2016-05-01", "valid_to": "2036-05-01"}
    client.force_login(formal_legal)
    refused = client.post("/sso/account/", change, follow=True)       # the police does not know 李四
    assert "核验未通过" in refused.content.decode()
    formal_legal.refresh_from_db()
    assert formal_legal.legal_representative == PERSON_NAME and formal_legal.id_number == PERSON_ID
    identity_peers.person(id_number=AGENT_ID, name="李四", valid_to="2036-05-01")
    client.post("/sso/account/", change)
    formal_legal.refresh_from_db()
    assert formal_legal.legal_representative == "李四" and formal_legal.id_number == AGENT_ID
    assert str(formal_legal.id_valid_to) == "2036-05-01"
    # only the legal person itself, and not a temporary one
    other = UserFactory(kind=UserKind.NATURAL_PERSON)
    client.force_login(other)
    assert "仅法人用户本人" in client.post("/sso/account/", change, follow=True).content.decode()
