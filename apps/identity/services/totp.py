"""Staff two-factor login with TOTP (RFC 6238, 6 digits, 30 s; pyotp): who must use it, enrolment of an
authenticator app, and verification with replay protection. Decision 0214.

Privileged staff — superusers and holders of the roles in settings.IDENTITY_STAFF_TOTP_ROLES (system_admin by
default) — give a code after their password on every portal login; one without a device enrols first (scan
the QR code, confirm with a code). The portal login view drives the flow; these functions hold the rules.
"""
from __future__ import annotations

import time

import pyotp
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.identity.models import StaffTotpDevice

ISSUER = "黑龙江政务服务工作门户"
VALID_WINDOW = 1          # one step either side: clocks of phones drift


def totp_required(user) -> bool:
    if not settings.IDENTITY_STAFF_TOTP_ENFORCED:
        return False
    if user.is_superuser:
        return True
    required = set(settings.IDENTITY_STAFF_TOTP_ROLES)
    return bool(required & set(user.role_codes))


def confirmed_device(user) -> StaffTotpDevice | None:
    return StaffTotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def enrolment_start(user) -> tuple[StaffTotpDevice, str]:
    """A new, unconfirmed secret for the user's authenticator app (replacing an unconfirmed one); the
    otpauth:// URI to show as a QR code. A confirmed device is never replaced here."""
    if confirmed_device(user) is not None:
        raise ValidationError(_("该账号已绑定动态口令，如需更换请联系系统管理员重置。"))
    device, _created = StaffTotpDevice.objects.update_or_create(
        user=user, defaults={"secret": pyotp.random_base32(), "confirmed_at": None, "last_step": 0})
    return device, provisioning_uri(device)


def provisioning_uri(device: StaffTotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


def _accepted_step(device: StaffTotpDevice, code: str, now: float) -> int | None:
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp, current = pyotp.TOTP(device.secret), int(now // 30)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > device.last_step and totp.at(step * 30) == code:
            return step
    return None


def code_check(user, code: str, *, confirming: bool = False, now: float | None = None) -> StaffTotpDevice:
    """Accept `code` once for the user's device (the enrolment one when `confirming`); ValidationError otherwise."""
    with transaction.atomic():
        device = StaffTotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None or (device.confirmed_at is None) != confirming:
            raise ValidationError({"code": [_("请先绑定动态口令。") if device is None else _("动态口令状态已变化，请重新登录。")]})
        step = _accepted_step(device, code, time.time() if now is None else now)
        if step is not None:
            _accept(device, step, confirming)
    if step is None:                 # recorded outside the transaction: the refusal itself must stay on file
        audit_record(actor=user, action=AuditAction.LOGIN_FAILED, obj=user, detail="动态口令错误")
        raise ValidationError({"code": [_("动态口令错误或已使用，请输入身份验证器中的最新 6 位数字。")]})
    if confirming:
        audit_record(actor=user, action=AuditAction.UPDATE, obj=user, detail="绑定动态口令")
    return device


def _accept(device: StaffTotpDevice, step: int, confirming: bool) -> None:
    device.last_step = step
    fields = ["last_step"]
    if confirming:
        device.confirmed_at = timezone.now()
        fields.append("confirmed_at")
    device.save(update_fields=fields)


def device_reset(*, actor, user) -> None:
    """A system administrator removes a lost device; the user enrols again at the next login."""
    if not actor.is_system_admin:
        raise ValidationError(_("只有系统管理员可以重置动态口令。"))
    deleted, _rows = StaffTotpDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor, action=AuditAction.DELETE, obj=user, detail="重置动态口令")
