"""Registration with the identity-check chain (IDN-1.2.x, 1.8.x), temporary legal persons and
their conversion (IDN-1.5), home-region change (IDN-1.4): services over real HTTP peers."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.identity.models import RealNameLevel, ReviewStatus, User, UserKind
from apps.identity.services.registration import (
    legal_person_convert,
    legal_person_register,
    natural_person_register,
    registration_check_legal_person,
    registration_check_person,
    temporary_legal_person_register,
    user_change_home_region,
)
from apps.identity.tests.conftest import (
    CREDIT_CODE,
    ENTERPRISE_NAME,
    INSTITUTION_CODE,
    PERSON_ID,
    PERSON_NAME,
    REGISTERED_MOBILE,
)

pytestmark = pytest.mark.django_db

STEP1 = {"id_type": "resident_id", "name": PERSON_NAME, "id_number": PERSON_ID, "valid_from": "2015-01-01",
         "valid_to": "2035-01-01"}


def account(**extra):
    return {"username": "zhangsan", "mobile_number": "13800001111", "password": "Hlj#Reg2026x",
            "password_confirm": "Hlj#Reg2026x", "home_region": "230102000000", **extra}


@pytest.mark.spec("IDN-1.8.1", "IDN-1.2.1")
def test_natural_person_registers_after_both_checks(identity_peers, regions):
    identity_peers.person()
    token = registration_check_person(data=STEP1)
    assert len(identity_peers.national.queries) == 1 and len(identity_peers.police.queries) == 1
    user = natural_person_register(verification_token=token, data=account())
    user.refresh_from_db()
    assert user.kind == UserKind.NATURAL_PERSON and user.full_name == PERSON_NAME
    assert user.id_number == PERSON_ID and user.home_region_id == "230102000000"
    assert user.real_name_level == RealNameLevel.VERIFIED and user.check_password("Hlj#Reg2026x")
    assert str(user.id_valid_to) == "2035-01-01"


def test_failed_check_blocks_registration(identity_peers, regions):
    identity_peers.person(police=False)  # national knows the person, the police does not
    with pytest.raises(ValidationError, match="省公安接口核验未通过"):
        registration_check_person(data=STEP1)
    identity_peers.person(name="李四")
    with pytest.raises(ValidationError, match="国家实名核验接口核验未通过"):
        registration_check_person(data=STEP1)


def test_id_card_needs_validity_dates_and_valid_number(identity_peers, regions):
    with pytest.raises(ValidationError) as exc:
        registration_check_person(data={**STEP1, "valid_from": "", "valid_to": ""})
    assert set(exc.value.message_dict) == {"valid_from", "valid_to"}
    with pytest.raises(ValidationError) as exc:
        registration_check_person(data={**STEP1, "id_number": "230102199001011231"})
    assert "id_number" in exc.value.message_dict
    assert identity_peers.national.queries == []


def test_step_two_needs_a_genuine_token_and_home_region(identity_peers, regions):
    with pytest.raises(ValidationError, match="重新进行第一步核验"):
        natural_person_register(verification_token="forged", data=account())
    identity_peers.person()
    token = registration_check_person(data=STEP1)
    with pytest.raises(ValidationError) as exc:
        natural_person_register(verification_token=token, data=account(home_region="110000000000"))
    assert "home_region" in exc.value.message_dict
    assert not User.objects.filter(username="zhangsan").exists()


def test_peer_down_is_a_clear_message(identity_peers, regions):
    identity_peers.person()
    identity_peers.national.inject_failures(1, 503)
    with pytest.raises(ValidationError, match="国家实名核验接口暂时无法访问"):
        registration_check_person(data=STEP1)


def legal_step1(**extra):
    return {"enterprise_type": "enterprise", "enterprise_name": ENTERPRISE_NAME, "credit_code": CREDIT_CODE,
            **STEP1, **extra}


@pytest.mark.spec("IDN-1.8.2", "IDN-1.2.2")
def test_legal_person_registers_with_registry_mobile_and_sms(identity_peers, regions, send_code):
    identity_peers.person()
    identity_peers.market.register(credit_code=CREDIT_CODE, name=ENTERPRISE_NAME, legal_representative=PERSON_NAME,
                                   mobile=REGISTERED_MOBILE)
    token = registration_check_legal_person(data=legal_step1())
    assert len(identity_peers.market.queries) == 1 and identity_peers.institutions.queries == []
    # the mobile must be the market-supervision one
    with pytest.raises(ValidationError, match="市场监管部门登记"):
        legal_person_register(verification_token=token, data=account(mobile_number="13800001111"))
    code = send_code(REGISTERED_MOBILE, "legal_register")
    with pytest.raises(ValidationError, match="短信验证码错误"):
        legal_person_register(verification_token=token,
                              data=account(mobile_number=REGISTERED_MOBILE, sms_code="000000"))
    assert not User.objects.filter(username="zhangsan").exists()
    user = legal_person_register(verification_token=token, data=account(
        mobile_number=REGISTERED_MOBILE, sms_code=code, home_region="230100000000"))
    user.refresh_from_db()
    assert user.kind == UserKind.LEGAL_PERSON and user.credit_code == CREDIT_CODE
    assert user.legal_representative == PERSON_NAME and user.full_name == ENTERPRISE_NAME
    assert user.home_region_id == "230100000000" and user.credit_code_locked


def test_enterprise_check_by_type_and_before_representative(identity_peers, regions):
    identity_peers.person()
    identity_peers.institutions.register(credit_code=INSTITUTION_CODE, name="哈尔滨市图书馆",
                                         legal_representative=PERSON_NAME, mobile=REGISTERED_MOBILE,
                                         enterprise_type="public_institution")
    registration_check_legal_person(data=legal_step1(enterprise_type="public_institution",
                                                     enterprise_name="哈尔滨市图书馆", credit_code=INSTITUTION_CODE))
    assert len(identity_peers.institutions.queries) == 1 and identity_peers.market.queries == []
    national_before = len(identity_peers.national.queries)
    with pytest.raises(ValidationError, match="市场监督管理局企业核验接口核验未通过"):
        registration_check_legal_person(data=legal_step1())   # unknown at market supervision
    assert len(identity_peers.national.queries) == national_before   # representative not asked


def temporary(identity_peers, send_code):
    identity_peers.person()
    token = registration_check_person(data=STEP1, kind=UserKind.LEGAL_PERSON)
    code = send_code("13800001111", "legal_register")
    return temporary_legal_person_register(verification_token=token, data=account(
        enterprise_name=ENTERPRISE_NAME, sms_code=code))


@pytest.mark.spec("IDN-1.2.3", "IDN-1.5")
def test_temporary_legal_person_converts_once_and_code_locks(identity_peers, regions, send_code):
    user = temporary(identity_peers, send_code)
    assert user.is_temporary_legal_person and user.credit_code == ""
    assert user.review_status == ReviewStatus.PENDING and user.real_name_level == RealNameLevel.BASIC
    # a code the registry does not confirm is refused and changes nothing
    with pytest.raises(ValidationError, match="核验未通过"):
        legal_person_convert(user=user, credit_code=CREDIT_CODE, actor=user)
    user.refresh_from_db()
    assert user.is_temporary_legal_person and user.credit_code == ""
    identity_peers.market.register(credit_code=CREDIT_CODE, name=ENTERPRISE_NAME, legal_representative=PERSON_NAME,
                                   mobile=REGISTERED_MOBILE)
    legal_person_convert(user=user, credit_code=CREDIT_CODE.lower(), actor=user)
    user.refresh_from_db()
    assert not user.is_temporary_legal_person and user.credit_code_locked and user.credit_code == CREDIT_CODE
    assert user.review_status == ReviewStatus.APPROVED
    with pytest.raises(ValidationError, match="已锁定"):
        legal_person_convert(user=user, credit_code=INSTITUTION_CODE, actor=user)
    user.refresh_from_db()
    assert user.credit_code == CREDIT_CODE


@pytest.mark.spec("IDN-1.4")
def test_home_region_change(identity_peers, regions, send_code, citizen):
    user_change_home_region(user=citizen, region_code="230202000000", actor=citizen)
    citizen.refresh_from_db()
    assert citizen.home_region_id == "230202000000"
    with pytest.raises(ValidationError):
        user_change_home_region(user=citizen, region_code="230000000000", actor=citizen)   # province: not allowed
    other = User.objects.create_user(username="other", kind=UserKind.NATURAL_PERSON)
    with pytest.raises(PermissionDenied):
        user_change_home_region(user=other, region_code="230102000000", actor=citizen)
    citizen.refresh_from_db()
    assert citizen.home_region_id == "230202000000"
