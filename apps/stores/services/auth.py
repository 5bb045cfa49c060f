"""Per-service authentication (STORE-2.1.3) and the way to online handling (STORE-2.1.4, 4.3).

A store service may demand a minimum real-name level and one of the higher authentication methods
(face, SMS, electronic business licence, electronic social-security card). A completed method is a
StoreAuthentication row valid for STEP_UP_MINUTES. SMS goes through apps.identity's SMS codes (a code to
the user's registered mobile). Services of a connected system are reached through the provincial ticket
endpoint /sso/ticket/, so the handling system exchanges the ticket for the user's information — the user
never logs in again. Decision 0806."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.stores.models import AuthMethod, StoreAuthentication, StoreService

STEP_UP_MINUTES = 30


def completed_methods(*, user) -> set[str]:
    return set(StoreAuthentication.objects.filter(user=user, valid_until__gt=timezone.now())
               .values_list("method", flat=True))


def service_access_check(*, user, service: StoreService) -> None:
    """Refuse (PermissionDenied) until the user's real-name level and higher authentication suffice."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    level = getattr(user, "real_name_level", 0) or 0
    if service.min_real_name_level and level < service.min_real_name_level:
        raise PermissionDenied(_("该服务要求实名等级不低于 %(n)s 级，请先提升实名等级。") % {"n": service.min_real_name_level})
    if service.auth_methods and not (completed_methods(user=user) & set(service.auth_methods)):
        raise PermissionDenied(_("该服务需先完成以下任一认证：%(m)s。") % {"m": "、".join(service.auth_method_labels())})


def handling_redirect(*, user, service: StoreService) -> str:
    """Where "在线办理" goes: through the provincial ticket for a connected system, else the link itself."""
    if not service.handling_url:
        raise ValidationError(_("该服务暂未提供在线办理。"))
    if service.client_system_code or service.min_real_name_level or service.auth_methods:
        service_access_check(user=user, service=service)
    if service.client_system_code:
        return f"{reverse('sso:ticket-issue')}?{urlencode({'app_id': service.client_system_code, 'redirect_uri': service.handling_url})}"
    return service.handling_url


def _record(*, user, method: str, reference: str = "") -> StoreAuthentication:
    with transaction.atomic():
        done = StoreAuthentication.objects.create(user=user, method=method, reference=reference[:64],
                                                  valid_until=timezone.now() + timedelta(minutes=STEP_UP_MINUTES))
        audit_record(actor=user, action=AuditAction.OTHER, obj=done,
                     detail=_("完成增强认证：%(m)s") % {"m": AuthMethod(method).label})
    return done


def step_up_sms_send(*, user) -> None:
    from apps.identity.models import SmsCodePurpose
    from apps.identity.services.sms_codes import sms_code_send

    if not getattr(user, "mobile_number", ""):
        raise ValidationError({"sms_code": _("您的账号未登记手机号码，请选择其他认证方式。")})
    sms_code_send(mobile_number=user.mobile_number, purpose=SmsCodePurpose.LOGIN, recipient=user)


def step_up_sms_verify(*, user, code: str) -> StoreAuthentication:
    from apps.identity.models import SmsCodePurpose
    from apps.identity.services.sms_codes import sms_code_verify

    sms_code_verify(mobile_number=user.mobile_number, purpose=SmsCodePurpose.LOGIN, code=code)
    return _record(user=user, method=AuthMethod.SMS)


def step_up_external(*, user, method: str, evidence: str) -> StoreAuthentication:
    """Face (全省事), e-business licence or e-social-security card: the evidence token the user's client
    obtained is checked by the verification peer (adapters.verification, a simulator in dev and tests)."""
    from apps.stores.adapters.verification import verification_client

    if method not in (AuthMethod.FACE, AuthMethod.BUSINESS_LICENCE, AuthMethod.SOCIAL_SECURITY_CARD):
        raise ValidationError({"method": _("未知的认证方式。")})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": _("请先完成认证。")})
    reference = verification_client().verify(method=method, evidence=evidence.strip(),
                                             id_number=getattr(user, "id_number", "") or "")
    return _record(user=user, method=method, reference=reference)
