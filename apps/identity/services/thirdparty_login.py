"""Third-party login methods: city quick login (IDN-1.3.7), digital certificate (1.3.8),
e-business-licence and e-social-security-card QR login (1.3.2, 4.2), Alipay quick login (1.3.3)
and the face-comparison service for business systems (1.3.4)."""
from __future__ import annotations

import base64
import secrets
from datetime import timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.identity.adapters import thirdparty, verification
from apps.identity.adapters.thirdparty import (
    AuthCodeQuery,
    CertificateStatusQuery,
    CityAccountQuery,
)
from apps.identity.adapters.verification import FaceQuery
from apps.identity.models import (
    ExternalProvider,
    QrLogin,
    QrLoginKind,
    QrLoginStatus,
    User,
    UserKind,
)
from apps.identity.services.checks import _ask
from apps.identity.services.registration import (
    natural_person_register,
    registration_check_person,
)
from apps.identity.services.signin import identity_link, linked_user


def _active_person(id_number: str) -> User | None:
    return User.objects.with_id_number((id_number or "-").upper()).filter(
        kind=UserKind.NATURAL_PERSON, is_active=True).first()


def _active_legal_person(credit_code: str) -> User | None:
    return User.objects.filter(kind=UserKind.LEGAL_PERSON, credit_code=credit_code or "-", is_active=True,
                               is_temporary_legal_person=False).first()


# --- city quick login (IDN-1.3.7) -----------------------------------------------------------


def city_login(*, city_code: str, username: str, password: str) -> tuple[User | None, dict]:
    """Check the account at the city's verification API. Returns the linked provincial account (or
    None: the profile must be completed first) and the city's record."""
    if not (city_code and username and password):
        raise ValidationError(_("请选择地市并填写地市账号和密码。"))
    verifier = thirdparty.city_auth()
    result = _ask(verifier, CityAccountQuery(city_code=city_code, username=username.strip(), password=password))
    if not result.matched:
        raise ValidationError(_("%(peer)s核验未通过：%(message)s") % {"peer": verifier.label,
                                                                 "message": result.message})
    record = {**result.record, "city_code": city_code}
    external_id = f"{city_code}:{record.get('account_id') or username.strip()}"
    record["external_id"] = external_id
    return linked_user(provider=ExternalProvider.CITY, external_id=external_id), record


def city_login_complete(*, record: dict, data: dict) -> User:
    """Complete the profile of an existing city user: the identity is checked with the national
    real-name service and the police; an existing provincial account with the same ID number is
    linked, otherwise a natural-person account is registered with the completed data."""
    identity = {"id_type": record.get("id_type") or "resident_id", "name": record.get("name", ""),
                "id_number": record.get("id_number", ""),
                "valid_from": data.get("valid_from") or record.get("valid_from"),
                "valid_to": data.get("valid_to") or record.get("valid_to"),
                "valid_long_term": data.get("valid_long_term")}
    existing = _active_person(identity["id_number"])
    with transaction.atomic():
        if existing is not None:
            user = existing
        else:
            token = registration_check_person(data=identity)
            user = natural_person_register(verification_token=token, data=data)
        identity_link(user=user, provider=ExternalProvider.CITY, external_id=record["external_id"])
    return user


# --- digital certificate (IDN-1.3.8) --------------------------------------------------------


def certificate_challenge_new(session) -> str:
    challenge = secrets.token_urlsafe(24)
    session["identity_cert_challenge"] = challenge
    return challenge


def _trusted_authorities() -> list[x509.Certificate]:
    pems = getattr(settings, "IDENTITY_TRUSTED_CA_CERTIFICATES", [])
    return [x509.load_pem_x509_certificate(pem.encode() if isinstance(pem, str) else pem) for pem in pems]


def _verify_signature(public_key, signature: bytes, data: bytes, hash_algorithm) -> None:
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(hash_algorithm))
    elif isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
    else:
        raise InvalidSignature("unsupported key type")


def certificate_check(*, certificate_pem: str, signature_b64: str, challenge: str) -> x509.Certificate:
    """The certificate chains to a trusted CA, is within its validity, signed this login's challenge
    with its private key (held in the device), and the CA reports it good (not revoked)."""
    if not challenge:
        raise ValidationError(_("登录挑战码已失效，请刷新页面后重试。"))
    try:
        cert = x509.load_pem_x509_certificate((certificate_pem or "").encode())
        signature = base64.b64decode(signature_b64 or "", validate=True)
    except ValueError:
        raise ValidationError(_("未能读取数字证书，请确认证书设备已插入。")) from None
    issuer = next((ca for ca in _trusted_authorities() if ca.subject == cert.issuer), None)
    try:
        if issuer is None:
            raise InvalidSignature("untrusted issuer")
        _verify_signature(issuer.public_key(), cert.signature, cert.tbs_certificate_bytes,
                          cert.signature_hash_algorithm)
    except InvalidSignature:
        raise ValidationError(_("数字证书不是由受信任的认证机构签发。")) from None
    now = timezone.now()
    if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
        raise ValidationError(_("数字证书不在有效期内。"))
    try:
        _verify_signature(cert.public_key(), signature, challenge.encode(), hashes.SHA256())
    except InvalidSignature:
        raise ValidationError(_("证书签名验证失败。")) from None
    verifier = thirdparty.certificate_authority()
    result = _ask(verifier, CertificateStatusQuery(serial_number=str(cert.serial_number),
                                                   issuer=cert.issuer.rfc4514_string()))
    if not result.matched:
        raise ValidationError(_("数字证书状态校验未通过：%(message)s") % {"message": result.message})
    return cert


def certificate_login(*, certificate_pem: str, signature_b64: str, challenge: str) -> tuple[User, str]:
    """The account the certificate names (subject serialNumber: credit code or ID number)."""
    cert = certificate_check(certificate_pem=certificate_pem, signature_b64=signature_b64, challenge=challenge)
    serials = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    subject_id = str(serials[0].value).strip().upper() if serials else ""
    user = _active_legal_person(subject_id) or _active_person(subject_id)
    if user is None:
        raise ValidationError(_("该数字证书对应的用户尚未注册，请先注册账号。"))
    external_id = f"{cert.issuer.rfc4514_string()[:80]}#{cert.serial_number}"
    identity_link(user=user, provider=ExternalProvider.CERTIFICATE, external_id=external_id[:128])
    return user, external_id[:128]


# --- QR login through a provider's app: e-business licence, e-social-security card -------------

QR_PROVIDERS = {
    QrLoginKind.E_LICENCE: (thirdparty.e_licence, ExternalProvider.E_LICENCE),
    QrLoginKind.SOCIAL_SECURITY: (thirdparty.social_security, ExternalProvider.SOCIAL_SECURITY),
}


def provider_qr_start(*, kind: str, browser_key: str) -> QrLogin:
    seconds = int(getattr(settings, "IDENTITY_QR_LOGIN_SECONDS", 120))
    return QrLogin.objects.create(token=secrets.token_urlsafe(32), browser_key=browser_key, kind=kind,
                                  expires_at=timezone.now() + timedelta(seconds=seconds))


def _qr_account(kind: str, record: dict) -> User | None:
    if kind == QrLoginKind.E_LICENCE:
        return _active_legal_person(str(record.get("credit_code", "")))
    return _active_person(str(record.get("id_number", "")))


def provider_qr_poll(*, kind: str, token: str, browser_key: str) -> tuple[str, User | None, str]:
    """Ask the provider whether the user scanned and authorised this code; the account logs in once.
    Returns (status, user, message)."""
    adapter, provider = QR_PROVIDERS[kind]
    with transaction.atomic():
        qr = QrLogin.objects.select_for_update().filter(token=token or "", browser_key=browser_key, kind=kind).first()
        if qr is None:
            return "invalid", None, _("二维码无效。")
        if qr.status != QrLoginStatus.PENDING:
            return qr.status, None, ""
        if qr.is_expired:
            return "expired", None, _("二维码已过期，请刷新。")
        result = _ask(adapter(), AuthCodeQuery(auth_code=qr.token))
        if result.status == "pending":
            return QrLoginStatus.PENDING, None, ""
        user = _qr_account(kind, result.record) if result.matched else None
        qr.status = QrLoginStatus.CONSUMED if user is not None else QrLoginStatus.FAILED
        qr.user = user
        qr.save(update_fields=["status", "user"])
    if not result.matched:
        return QrLoginStatus.FAILED, None, result.message
    if user is None:
        return QrLoginStatus.FAILED, None, _("授权的主体尚未在本平台注册。")
    external_id = str(result.record.get("credit_code") or result.record.get("card_id") or user.pk)
    identity_link(user=user, provider=provider, external_id=external_id)
    return QrLoginStatus.CONFIRMED, user, external_id


# --- Alipay quick login (IDN-1.3.3) ----------------------------------------------------------


def alipay_quick_login(*, auth_code: str) -> tuple[dict, User | None]:
    """Exchange the Alipay authorisation code for the Alipay user; the bound (or, for a certified
    Alipay user whose ID number is registered here, newly bound) account, if any."""
    if not auth_code:
        raise ValidationError({"auth_code": _("缺少支付宝授权码。")})
    result = _ask(thirdparty.alipay(), AuthCodeQuery(auth_code=auth_code))
    if not result.matched:
        raise ValidationError({"auth_code": _("支付宝授权未通过：%(m)s") % {"m": result.message}})
    record = result.record
    alipay_id = str(record.get("user_id", ""))
    user = linked_user(provider=ExternalProvider.ALIPAY, external_id=alipay_id)
    if user is None and record.get("is_certified") and record.get("cert_no"):
        user = _active_person(str(record["cert_no"]))
        if user is not None and user.full_name == record.get("user_name"):
            identity_link(user=user, provider=ExternalProvider.ALIPAY, external_id=alipay_id)
        else:
            user = None
    return record, user


# --- face comparison for business systems (IDN-1.3.4) ---------------------------------------


def face_compare(*, name: str, id_number: str, image_base64: str) -> dict:
    """Compare a face image with the public-security photo of the ID; the caller decides the login."""
    errors = {}
    if not name:
        errors["name"] = _("请填写姓名。")
    if not id_number:
        errors["id_number"] = _("请填写证件号码。")
    if not image_base64:
        errors["image_base64"] = _("请提供人脸图像。")
    if errors:
        raise ValidationError(errors)
    verifier = verification.public_security_face()
    result = _ask(verifier, FaceQuery(name=name, id_number=id_number.upper(), image_base64=image_base64))
    return {"status": "match" if result.matched else "mismatch", "message": result.message}


