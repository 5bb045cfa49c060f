"""Login methods of public users: password lockout and captcha, SMS code login (IDN-1.6),
exit-entry document number as login name (IDN-1.3.1) and PC QR-code login (IDN-1.7).

Lockout: after IDENTITY_LOCKOUT_FAILURES failed passwords for a login name within
IDENTITY_LOCKOUT_MINUTES, the name is refused (even with the right password) until the window has
passed; a captcha is required once a name has IDENTITY_CAPTCHA_AFTER_FAILURES recent failures.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.crypto import keyed_digest
from apps.identity.models import (
    EXIT_ENTRY_ID_TYPES,
    LoginFailure,
    QrLogin,
    QrLoginStatus,
    SmsCodePurpose,
    User,
    UserKind,
)
from apps.identity.services.sms_codes import sms_code_send, sms_code_verify
from apps.identity.services.apis import business_require


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _window_start():
    return timezone.now() - timedelta(minutes=_setting("IDENTITY_LOCKOUT_MINUTES", 15))


def recent_failures(username: str) -> int:
    return LoginFailure.objects.filter(username=username[:150], created_at__gt=_window_start()).count()


def login_is_locked(username: str) -> bool:
    return recent_failures(username) >= _setting("IDENTITY_LOCKOUT_FAILURES", 5)


def captcha_required(username: str) -> bool:
    return recent_failures(username) >= _setting("IDENTITY_CAPTCHA_AFTER_FAILURES", 1)


def login_failure_record(*, username: str, ip_address: str | None = None) -> None:
    """Count one failed password login towards the lockout. The audit record is not written here:
    the kernel's `user_login_failed` receiver writes it (see LockoutCaptchaMixin)."""
    LoginFailure.objects.create(username=username[:150], ip_address=ip_address or None)


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=username[:150]).delete()


def resolve_login_name(identifier: str) -> str:
    """A login name, or (IDN-1.3.1) the exit-entry document number a natural person registered with."""
    identifier = (identifier or "").strip()
    if not identifier or User.objects.filter(username=identifier).exists():
        return identifier
    match = (User.objects.with_id_number(identifier.upper())
             .filter(kind=UserKind.NATURAL_PERSON, id_type__in=EXIT_ENTRY_ID_TYPES)
             .values_list("username", flat=True).first())
    return match or identifier


# --- SMS login (IDN-1.6) -------------------------------------------------------------------

SMS_LOGIN_BUSINESS = "sms_login"


def _natural_person_by_mobile(mobile_number: str) -> User | None:
    return User.objects.with_mobile_number((mobile_number or "").strip()).filter(
        kind=UserKind.NATURAL_PERSON, is_active=True).first()


def sms_login_send(*, mobile_number: str) -> None:
    """Send a login code to a registered natural person's mobile; unregistered numbers are refused,
    and so is everything while the `sms_login` business control (IDN-5.3) is off."""
    business_require(SMS_LOGIN_BUSINESS)
    user = _natural_person_by_mobile(mobile_number)
    if user is None:
        raise ValidationError({"mobile_number": _("该手机号码未注册自然人账号。")})
    sms_code_send(mobile_number=mobile_number.strip(), purpose=SmsCodePurpose.LOGIN, recipient=user)


def sms_login(*, mobile_number: str, code: str) -> User:
    """The user whose mobile received `code` (the code is then used up)."""
    business_require(SMS_LOGIN_BUSINESS)
    user = _natural_person_by_mobile(mobile_number)
    if user is None:
        raise ValidationError({"mobile_number": _("该手机号码未注册自然人账号。")})
    sms_code_verify(mobile_number=mobile_number, purpose=SmsCodePurpose.LOGIN, code=code)
    return user


# --- PC QR-code login (IDN-1.7) -------------------------------------------------------------


def browser_key_for(session_key: str) -> str:
    return keyed_digest(f"qr:{session_key}")


def qr_login_start(*, browser_key: str) -> QrLogin:
    seconds = _setting("IDENTITY_QR_LOGIN_SECONDS", 120)
    return QrLogin.objects.create(token=secrets.token_urlsafe(32), browser_key=browser_key,
                                  expires_at=timezone.now() + timedelta(seconds=seconds))


def qr_login_confirm(*, token: str, user: User, face_verified: bool) -> QrLogin:
    """The logged-in 全省事APP reports its face-recognition result for the code it scanned."""
    if user.kind != UserKind.NATURAL_PERSON:
        raise PermissionDenied(_("扫码登录仅适用于自然人用户。"))
    with transaction.atomic():
        qr = QrLogin.objects.select_for_update().filter(token=token or "").first()
        if qr is None:
            raise ValidationError(_("二维码无效。"))
        if qr.status != QrLoginStatus.PENDING:
            raise ValidationError(_("二维码已使用。"))
        if qr.is_expired:
            raise ValidationError(_("二维码已过期，请刷新。"))
        qr.user = user
        qr.status = QrLoginStatus.CONFIRMED if face_verified else QrLoginStatus.FAILED
        qr.save(update_fields=["user", "status"])
    return qr


def qr_login_poll(*, token: str, browser_key: str) -> tuple[str, User | None]:
    """The PC page asks; a confirmed, unexpired code of this browser logs in once (→ consumed)."""
    with transaction.atomic():
        qr = QrLogin.objects.select_for_update().filter(token=token or "", browser_key=browser_key).first()
        if qr is None:
            return "invalid", None
        if qr.status == QrLoginStatus.PENDING and qr.is_expired:
            return "expired", None
        if qr.status != QrLoginStatus.CONFIRMED:
            return qr.status, None
        if qr.is_expired:
            return "expired", None
        qr.status = QrLoginStatus.CONSUMED
        qr.save(update_fields=["status"])
        return QrLoginStatus.CONFIRMED, qr.user
