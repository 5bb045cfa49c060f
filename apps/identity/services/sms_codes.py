"""One-time SMS verification codes: send, and verify once (IDN-1.6, 1.8.2)."""
from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.crypto import keyed_digest
from apps.core.models.sms import SECRET_PLACEHOLDER
from apps.core.sms import sms_send
from apps.core.validators import validate_mobile_number
from apps.identity.models import SmsCode, SmsCodePurpose

CODE_TEMPLATE = "【黑龙江政务服务网】您的{purpose}验证码为 {code}，{minutes} 分钟内有效。请勿泄露给他人。"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def sms_code_send(*, mobile_number: str, purpose: str, recipient=None) -> SmsCode:
    """Make a 6-digit code and send it; refused within the resend interval of the previous one."""
    mobile_number = (mobile_number or "").strip()
    validate_mobile_number(mobile_number)
    if purpose not in SmsCodePurpose.values:
        raise ValidationError(_("未知的验证码用途。"))
    digest = keyed_digest(mobile_number)
    interval = _setting("IDENTITY_SMS_RESEND_SECONDS", 60)
    minutes = _setting("IDENTITY_SMS_CODE_MINUTES", 5)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        recent = (SmsCode.objects.select_for_update()
                  .filter(mobile_number_digest=digest, purpose=purpose,
                          created_at__gt=timezone.now() - timedelta(seconds=interval)))
        if recent.exists():
            raise ValidationError({"mobile_number": _("验证码已发送，请 %(s)s 秒后再试。") % {"s": interval}})
        sms_code = SmsCode.objects.create(mobile_number_digest=digest, purpose=purpose,
                                          code_digest=keyed_digest(f"{purpose}:{code}"),
                                          expires_at=timezone.now() + timedelta(minutes=minutes))
        sms_send(mobile_number=mobile_number, recipient=recipient, purpose=f"identity_{purpose}",
                 content=CODE_TEMPLATE.format(purpose=SmsCodePurpose(purpose).label, code=SECRET_PLACEHOLDER,
                                              minutes=minutes),
                 secret=code, idempotency_key=f"identity:smscode:{sms_code.pk}")
    return sms_code


def sms_code_verify(*, mobile_number: str, purpose: str, code: str) -> None:
    """Use the latest code for the number: wrong, expired, used or over-tried codes are refused.
    Runs in its own transaction so that a wrong try is counted even when the caller fails."""
    digest = keyed_digest((mobile_number or "").strip())
    max_attempts = _setting("IDENTITY_SMS_MAX_ATTEMPTS", 5)
    error = None
    with transaction.atomic():
        sms_code = (SmsCode.objects.select_for_update()
                    .filter(mobile_number_digest=digest, purpose=purpose).order_by("-created_at", "-pk").first())
        if sms_code is None:
            error = _("请先获取短信验证码。")
        elif sms_code.used_at is not None:
            error = _("短信验证码已使用，请重新获取。")
        elif sms_code.is_expired:
            error = _("短信验证码已过期，请重新获取。")
        elif sms_code.attempts >= max_attempts:
            error = _("短信验证码错误次数过多，请重新获取。")
        elif sms_code.code_digest != keyed_digest(f"{purpose}:{(code or '').strip()}"):
            sms_code.attempts += 1
            sms_code.save(update_fields=["attempts"])
            error = _("短信验证码错误。")
        else:
            sms_code.used_at = timezone.now()
            sms_code.save(update_fields=["used_at"])
    if error:
        raise ValidationError({"sms_code": error})
