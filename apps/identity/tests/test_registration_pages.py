"""The public registration pages, step by step, as a citizen meets them (IDN-1.1, 1.2.x, 1.8.x),
and the account centre (IDN-1.4, 1.5)."""
import pytest

from apps.identity.models import User, UserKind
from apps.identity.tests.conftest import (
    CREDIT_CODE,
    ENTERPRISE_NAME,
    PERSON_ID,
    PERSON_NAME,
    REGISTERED_MOBILE,
)

pytestmark = pytest.mark.django_db

STEP1 = {"id_type": "resident_id", "name": PERSON_NAME, "id_number": PERSON_ID, "valid_from": "2015-01-01",
         "valid_to": "2035-01-01"}
ACCOUNT = {"username": "zhangsan", "mobile_number": "13800001111", "password": "Hlj#Reg2026x",
           "password_confirm": "Hlj#Reg2026x", "home_region": "230102000000", "action": "register"}


@pytest.mark.spec("IDN-1.1", "IDN-1.8.1", "IDN-1.2.1")
def test_natural_person_registration_pages(client, identity_peers, regions):
    choose = client.get("/sso/register/").content.decode()
    assert "自然人注册" in choose and "法人注册" in choose and "临时法人注册" in choose
    # step two is not reachable before step one
    assert client.get("/sso/register/person/account/")["Location"] == "/sso/register/person/"
    refused = client.post("/sso/register/person/", STEP1)   # not in the registries yet
    assert "核验未通过" in refused.content.decode()
    identity_peers.person()
    assert client.post("/sso/register/person/", STEP1)["Location"] == "/sso/register/person/account/"
    page = client.get("/sso/register/person/account/").content.decode()
    assert "哈尔滨市" in page and "齐齐哈尔市" in page and 'data-cascade="county"' in page
    counties = client.get("/sso/regions/230100000000/counties/").json()["counties"]
    assert [c["name"] for c in counties] == ["道里区", "南岗区"]
    response = client.post("/sso/register/person/account/", ACCOUNT)
    assert response["Location"] == "/sso/account/"
    user = User.objects.get(username="zhangsan")
    assert user.home_region_id == "230102000000" and int(client.session["_auth_user_id"]) == user.pk
    account = client.get("/sso/account/").content.decode()
    assert "二级（实名核验）" in account and "道里区" in account


@pytest.mark.spec("IDN-1.8.2", "IDN-1.2.2")
def test_legal_person_registration_pages(client, identity_peers, regions, sms_simulator,
                                         django_capture_on_commit_callbacks):
    identity_peers.person()
    identity_peers.market.register(credit_code=CREDIT_CODE, name=ENTERPRISE_NAME, legal_representative=PERSON_NAME,
                                   mobile=REGISTERED_MOBILE)
    step1 = {"enterprise_type": "enterprise", "enterprise_name": ENTERPRISE_NAME, "credit_code": CREDIT_CODE, **STEP1}
    assert client.post("/sso/register/legal/", step1)["Location"] == "/sso/register/legal/account/"
    other = client.post("/sso/register/legal/account/", {**ACCOUNT, "action": "send_code"})
    assert "市场监管部门登记" in other.content.decode() and sms_simulator.messages == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sso/register/legal/account/", {**ACCOUNT, "mobile_number": REGISTERED_MOBILE,
                                                     "action": "send_code"})
    code = sms_simulator.messages[-1]["content"].split("验证码为 ")[1][:6]
    response = client.post("/sso/register/legal/account/", {**ACCOUNT, "mobile_number": REGISTERED_MOBILE,
                                                            "sms_code": code, "home_region": "230100000000"})
    assert response["Location"] == "/sso/account/"
    user = User.objects.get(username="zhangsan")
    assert user.kind == UserKind.LEGAL_PERSON and user.credit_code == CREDIT_CODE


@pytest.mark.spec("IDN-1.2.3", "IDN-1.5", "IDN-1.4")
def test_temporary_legal_person_pages_and_account_centre(client, identity_peers, regions, sms_simulator,
                                                         django_capture_on_commit_callbacks):
    identity_peers.person()
    step1 = {"enterprise_type": "enterprise", "enterprise_name": ENTERPRISE_NAME, **STEP1}
    assert client.post("/sso/register/temporary/", step1)["Location"] == "/sso/register/temporary/account/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/sso/register/temporary/account/", {**ACCOUNT, "action": "send_code"})
    code = sms_simulator.messages[-1]["content"].split("验证码为 ")[1][:6]
    client.post("/sso/register/temporary/account/", {**ACCOUNT, "sms_code": code})
    user = User.objects.get(username="zhangsan")
    assert user.is_temporary_legal_person
    page = client.get("/sso/account/").content.decode()
    assert "临时法人" in page and "变更统一社会信用代码" in page
    identity_peers.market.register(credit_code=CREDIT_CODE, name=ENTERPRISE_NAME, legal_representative=PERSON_NAME,
                                   mobile=REGISTERED_MOBILE)
    client.post("/sso/account/", {"action": "credit_code", "credit_code": CREDIT_CODE})
    user.refresh_from_db()
    assert user.credit_code_locked and not user.is_temporary_legal_person
    page = client.get("/sso/account/").content.decode()
    assert "已锁定" in page and "变更统一社会信用代码" not in page
    client.post("/sso/account/", {"action": "home_region", "home_region": "230202000000"})
    user.refresh_from_db()
    assert user.home_region_id == "230202000000"


def test_account_centre_needs_login(client):
    assert client.get("/sso/account/")["Location"].startswith("/login/")
