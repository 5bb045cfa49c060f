"""Registration of natural persons, legal persons and temporary legal persons (IDN-1.2, 1.8),
conversion of a temporary legal person (IDN-1.5) and home-region change (IDN-1.4).

Two steps, as IDN-1.8 asks: `registration_check_person` / `registration_check_legal_person` run the
identity checks and return a signed verification token; the `*_register` services take that token
with the account data (mobile, password, home region), so step two cannot be reached without step one.
"""
from __future__ import annotations

from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import Region
from apps.core.validators import (
    normalise_credit_code,
    validate_credit_code,
    validate_id_number,
    validate_mobile_number,
)
from apps.core.workflow import record_transition
from apps.identity.models import (
    EnterpriseType,
    IdType,
    RealNameLevel,
    RegistrationChannel,
    ReviewStatus,
    SmsCodePurpose,
    User,
    UserKind,
)
from apps.identity.services.checks import enterprise_check, person_check
from apps.identity.services.sms_codes import sms_code_verify

TOKEN_SALT = "identity.registration"
TOKEN_MAX_AGE = 30 * 60
PROVINCE_PREFIX = "23"


def home_region_choices():
    """Cities and counties of the province (the two-level cascade of IDN-1.2.1)."""
    return Region.objects.filter(code__startswith=PROVINCE_PREFIX, level__in=[2, 3], is_enabled=True)


def _date(value, field: str, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("日期格式应为 YYYY-MM-DD。")
        return None


def _clean_person(data: dict, errors: dict, prefix: str = "") -> dict:
    id_type = data.get(f"{prefix}id_type") or ""
    name = (data.get(f"{prefix}name") or "").strip()
    id_number = (data.get(f"{prefix}id_number") or "").strip().upper()
    valid_from = _date(data.get(f"{prefix}valid_from"), f"{prefix}valid_from", errors)
    valid_to = _date(data.get(f"{prefix}valid_to"), f"{prefix}valid_to", errors)
    if id_type not in IdType.values:
        errors[f"{prefix}id_type"] = _("请选择证件类型。")
    if not name:
        errors[f"{prefix}name"] = _("请填写姓名。")
    if not id_number:
        errors[f"{prefix}id_number"] = _("请填写证件号码。")
    elif id_type == IdType.RESIDENT_ID:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            errors[f"{prefix}id_number"] = exc.messages[0]
    if id_type == IdType.RESIDENT_ID and not valid_from and f"{prefix}valid_from" not in errors:
        errors[f"{prefix}valid_from"] = _("使用居民身份证注册须填写证件有效期起始日期。")
    if id_type == IdType.RESIDENT_ID and not valid_to and not data.get(f"{prefix}valid_long_term") \
            and f"{prefix}valid_to" not in errors:
        errors[f"{prefix}valid_to"] = _("请填写证件有效期截止日期（长期有效请勾选）。")
    if valid_from and valid_to and valid_to <= valid_from:
        errors[f"{prefix}valid_to"] = _("证件有效期截止日期须晚于起始日期。")
    if valid_to and valid_to < date.today():
        errors[f"{prefix}valid_to"] = _("证件已过有效期。")
    return {"id_type": id_type, "name": name, "id_number": id_number, "valid_from": valid_from,
            "valid_to": valid_to}


def _sign(payload: dict) -> str:
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in payload.items()}
    return signing.dumps(data, salt=TOKEN_SALT)


def _unsign(token: str, kind: str | tuple[str, ...]) -> dict:
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("身份核验结果无效或已过期，请重新进行第一步核验。")) from None
    if data.get("kind") not in ((kind,) if isinstance(kind, str) else kind):
        raise ValidationError(_("身份核验结果无效或已过期，请重新进行第一步核验。"))
    for key in ("valid_from", "valid_to"):
        if data.get(key):
            data[key] = date.fromisoformat(data[key])
    return data


def registration_check_person(*, data: dict, kind: str = UserKind.NATURAL_PERSON) -> str:
    """Step one (IDN-1.8.1): validate the document and check it with the national real-name
    service and the provincial police. Returns the verification token for step two."""
    errors: dict = {}
    person = _clean_person(data, errors)
    if errors:
        raise ValidationError(errors)
    if kind == UserKind.NATURAL_PERSON and User.objects.with_id_number(person["id_number"]).filter(
            kind=UserKind.NATURAL_PERSON).exists():
        raise ValidationError({"id_number": _("该证件号码已注册，请直接登录或找回密码。")})
    person_check(**person)
    return _sign({**person, "kind": "person"})


def registration_check_legal_person(*, data: dict) -> str:
    """Step one (IDN-1.8.2): the enterprise is checked at the registry for its type; only then
    is the legal representative checked with the real-name services."""
    errors: dict = {}
    enterprise_type = data.get("enterprise_type") or ""
    enterprise_name = (data.get("enterprise_name") or "").strip()
    credit_code = normalise_credit_code(data.get("credit_code") or "")
    if enterprise_type not in EnterpriseType.values:
        errors["enterprise_type"] = _("请选择法人类型。")
    if not enterprise_name:
        errors["enterprise_name"] = _("请填写单位名称。")
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages[0]
    person = _clean_person(data, errors, prefix="")
    if errors:
        raise ValidationError(errors)
    if User.objects.filter(kind=UserKind.LEGAL_PERSON, credit_code=credit_code).exists():
        raise ValidationError({"credit_code": _("该统一社会信用代码已注册。")})
    record = enterprise_check(enterprise_type=enterprise_type, name=enterprise_name, credit_code=credit_code,
                              legal_representative=person["name"])
    person_check(**person)
    return _sign({**person, "kind": "legal", "enterprise_type": enterprise_type, "enterprise_name": enterprise_name,
                  "credit_code": credit_code, "registered_mobile": record.get("registered_mobile", "")})


def _clean_account(data: dict, errors: dict, *, natural: bool) -> dict:
    username = (data.get("username") or "").strip()
    mobile = (data.get("mobile_number") or "").strip()
    password = data.get("password") or ""
    region_code = data.get("home_region") or ""
    if not username:
        errors["username"] = _("请填写登录名。")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("该登录名已被使用。")
    try:
        validate_mobile_number(mobile)
    except ValidationError as exc:
        errors["mobile_number"] = exc.messages[0]
    else:
        if natural and User.objects.with_mobile_number(mobile).filter(kind=UserKind.NATURAL_PERSON).exists():
            errors["mobile_number"] = _("该手机号码已注册。")
    if password != data.get("password_confirm", password):
        errors["password_confirm"] = _("两次输入的密码不一致。")
    try:
        validate_password(password)
    except ValidationError as exc:
        errors["password"] = exc.messages
    region = home_region_choices().filter(code=region_code).first()
    if region is None:
        errors["home_region"] = _("请选择归属区划（市、县两级）。")
    return {"username": username, "mobile": mobile, "password": password, "region": region}


def _create(*, identity: dict, account: dict, kind: str, channel: str, **fields) -> User:
    user = User(username=account["username"], kind=kind, full_name=fields.pop("full_name", identity["name"]),
                id_type=identity["id_type"], id_number=identity["id_number"],
                id_valid_from=identity.get("valid_from"), id_valid_to=identity.get("valid_to"),
                mobile_number=account["mobile"], home_region=account["region"],
                registration_channel=channel, **fields)
    user.set_password(account["password"])
    user.save()
    record_transition(obj=user, from_state="", to_state=user.review_status, actor=user, action="register")
    audit_record(actor=user, action="create", obj=user, detail="用户注册",
                 changes={"kind": kind, "home_region": account["region"].code, "channel": channel})
    return user


def natural_person_register(*, verification_token: str, data: dict,
                            channel: str = RegistrationChannel.PC, images=None) -> User:
    """Step two (IDN-1.8.1): mobile, password and home region; the person was checked in step one.
    A person the online check could not confirm uploads both sides of the document and waits for
    manual review (IDN-5.2, 10.1)."""
    from apps.identity.services.registration_images import (
        PERSON_SIDES,
        clean_images,
        registration_images_attach,
    )

    identity = _unsign(verification_token, ("person", "person_manual"))
    manual = identity["kind"] == "person_manual"      # only this flow accepts an unconfirmed person
    errors: dict = {}
    account = _clean_account(data, errors, natural=True)
    cleaned = clean_images(images, required=PERSON_SIDES, allowed=PERSON_SIDES, errors=errors) if manual else {}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if not manual:
            return _create(identity=identity, account=account, kind=UserKind.NATURAL_PERSON, channel=channel,
                           real_name_level=RealNameLevel.VERIFIED)
        user = _create(identity=identity, account=account, kind=UserKind.NATURAL_PERSON, channel=channel,
                       real_name_level=RealNameLevel.NONE, review_status=ReviewStatus.PENDING)
        registration_images_attach(user=user, images=cleaned)
        return user


def legal_person_register(*, verification_token: str, data: dict, channel: str = RegistrationChannel.PC) -> User:
    """Step two (IDN-1.8.2): the mobile must be the one the market-supervision record holds and
    is confirmed by an SMS code."""
    identity = _unsign(verification_token, "legal")
    errors: dict = {}
    account = _clean_account(data, errors, natural=False)
    if "mobile_number" not in errors and account["mobile"] != identity.get("registered_mobile"):
        errors["mobile_number"] = _("手机号码与市场监管部门登记的法定代表人手机号码不一致。")
    if errors:
        raise ValidationError(errors)
    sms_code_verify(mobile_number=account["mobile"], purpose=SmsCodePurpose.LEGAL_REGISTER,
                    code=data.get("sms_code", ""))
    with transaction.atomic():
        return _create(identity=identity, account=account, kind=UserKind.LEGAL_PERSON, channel=channel,
                       full_name=identity["enterprise_name"], legal_representative=identity["name"],
                       enterprise_type=identity["enterprise_type"], credit_code=identity["credit_code"],
                       credit_code_locked=True, real_name_level=RealNameLevel.VERIFIED)


def temporary_legal_person_register(*, verification_token: str, data: dict,
                                    channel: str = RegistrationChannel.PC, images=None) -> User:
    """IDN-1.2.3: a temporary legal person without a credit code; the representative was checked
    in step one; the account waits for review (highlighted there, credit code not checked)."""
    identity = _unsign(verification_token, "person")
    errors: dict = {}
    enterprise_name = (data.get("enterprise_name") or "").strip()
    enterprise_type = data.get("enterprise_type") or EnterpriseType.ENTERPRISE
    if not enterprise_name:
        errors["enterprise_name"] = _("请填写单位名称。")
    if enterprise_type not in EnterpriseType.values:
        errors["enterprise_type"] = _("请选择法人类型。")
    account = _clean_account(data, errors, natural=False)
    from apps.identity.services.registration_images import (
        TEMPORARY_SIDES,
        clean_images,
        registration_images_attach,
    )
    cleaned = clean_images(images, required=(), allowed=TEMPORARY_SIDES, errors=errors)
    if errors:
        raise ValidationError(errors)
    sms_code_verify(mobile_number=account["mobile"], purpose=SmsCodePurpose.LEGAL_REGISTER,
                    code=data.get("sms_code", ""))
    with transaction.atomic():
        user = _create(identity=identity, account=account, kind=UserKind.LEGAL_PERSON, channel=channel,
                       full_name=enterprise_name, legal_representative=identity["name"],
                       enterprise_type=enterprise_type, is_temporary_legal_person=True,
                       review_status=ReviewStatus.PENDING, real_name_level=RealNameLevel.BASIC)
        registration_images_attach(user=user, images=cleaned)
        return user


def legal_person_convert(*, user: User, credit_code: str, actor) -> User:
    """IDN-1.5: a temporary legal person applies with its formal credit code; when the registry
    confirms the code, the enterprise name and the representative, the account becomes formal at
    once and its credit code is locked."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("只能变更本单位的统一社会信用代码。"))
    if user.kind != UserKind.LEGAL_PERSON:
        raise ValidationError(_("只有法人账号可以变更统一社会信用代码。"))
    if user.credit_code_locked or not user.is_temporary_legal_person:
        raise ValidationError({"credit_code": _("统一社会信用代码已锁定，不能再变更。")})
    credit_code = normalise_credit_code(credit_code or "")
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages[0]}) from None
    if User.objects.filter(kind=UserKind.LEGAL_PERSON, credit_code=credit_code).exclude(pk=user.pk).exists():
        raise ValidationError({"credit_code": _("该统一社会信用代码已注册。")})
    enterprise_check(enterprise_type=user.enterprise_type or EnterpriseType.ENTERPRISE, name=user.full_name,
                     credit_code=credit_code, legal_representative=user.legal_representative)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.credit_code_locked:
            raise ValidationError({"credit_code": _("统一社会信用代码已锁定，不能再变更。")})
        before = locked.review_status
        locked.credit_code, locked.is_temporary_legal_person, locked.credit_code_locked = credit_code, False, True
        locked.review_status = ReviewStatus.APPROVED
        locked.real_name_level = max(locked.real_name_level, RealNameLevel.VERIFIED)
        locked.save(update_fields=["credit_code", "is_temporary_legal_person", "credit_code_locked",
                                   "review_status", "real_name_level"])
        record_transition(obj=locked, from_state=before, to_state=locked.review_status, actor=actor,
                          action="convert_to_formal", comment=credit_code)
        audit_record(actor=actor, action="update", obj=locked, detail="临时法人转正式法人",
                     changes={"credit_code": [None, credit_code], "is_temporary_legal_person": [True, False]})
    return locked


def user_change_home_region(*, user: User, region_code: str, actor) -> User:
    """IDN-1.4: a public user changes the home region in the account centre."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("只能修改本人的归属区划。"))
    if user.kind == UserKind.STAFF:
        raise ValidationError(_("政务工作人员的归属由所属部门决定。"))
    region = home_region_choices().filter(code=region_code or "").first()
    if region is None:
        raise ValidationError({"home_region": _("请选择归属区划（市、县两级）。")})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = user.home_region_id
        user.home_region = region
        user.save(update_fields=["home_region"])
        audit_record(actor=actor, action="update", obj=user, detail="修改归属区划",
                     changes={"home_region": [before, region.code]})
    return user


def registration_sms_code_send(*, verification_token: str, mobile_number: str, flow: str) -> None:
    """Send the step-two SMS code of a legal-person registration; for a formal legal person only
    to the mobile the market-supervision record holds."""
    from apps.identity.services.sms_codes import sms_code_send

    identity = _unsign(verification_token, "legal" if flow == "legal" else "person")
    if flow == "legal" and (mobile_number or "").strip() != identity.get("registered_mobile"):
        raise ValidationError({"mobile_number": _("手机号码与市场监管部门登记的法定代表人手机号码不一致。")})
    sms_code_send(mobile_number=(mobile_number or "").strip(), purpose=SmsCodePurpose.LEGAL_REGISTER)


def staff_register(*, verification_token: str, data: dict) -> User:
    """IDN-13.1: a government staff member registers with user and department information; the
    person was checked with the real-name services in step one. The account waits for review
    (inactive) — a reviewer approves it on the registration review page."""
    from apps.core.models import Organisation

    identity = _unsign(verification_token, "person")
    errors: dict = {}
    organisation = Organisation.objects.filter(pk=data.get("organisation") or 0, is_enabled=True).first() \
        if str(data.get("organisation") or "").isdigit() else None
    if organisation is None:
        errors["organisation"] = _("请选择所在部门。")
    account = _clean_account({**data, "home_region": organisation.region_id if organisation else ""}, errors,
                             natural=False)
    errors.pop("home_region", None)
    if User.objects.with_id_number(identity["id_number"]).filter(kind=UserKind.STAFF).exists():
        errors["id_number"] = _("该证件号码已注册政务工作人员账号。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        return _create(identity=identity, account=account, kind=UserKind.STAFF, channel=RegistrationChannel.PC,
                       organisation=organisation, is_active=False, review_status=ReviewStatus.PENDING,
                       real_name_level=RealNameLevel.VERIFIED)
