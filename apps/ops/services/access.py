"""Staff login security (OPS-5.5): second factor by SMS or e-mail after the password, and a limit on
concurrent sessions per account. The portal login view calls `login_gate` after a correct password
and `session_register` after logging in; `LoginVerifyView` finishes a two-factor login.

SMS codes go through the SMS outbox with the code as the message's secret (stored encrypted, wiped
once delivered). E-mail codes are sent after commit, not through the outbox: a lost code is simply
requested again, and the outbox would keep the code in its payload.
"""
from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model, login
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.core.crypto import keyed_digest
from apps.core.models.sms import SECRET_PLACEHOLDER
from apps.core.sms import sms_send
from apps.ops.models import (
    LoginChallenge, LoginPolicy, SecondFactor, SessionLimitAction, StaffSecondFactor, StaffSession, TwoFactorScope,
)

logger = logging.getLogger(__name__)
PENDING_KEY = "ops_2fa_pending"
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
SMS_TEXT = "【黑龙江政务服务工作门户】您的登录验证码为 {code}，{minutes} 分钟内有效。如非本人操作请忽略并修改密码。"


class LoginRefused(Exception):
    """The login may not go on (session limit reached, no way to deliver a code)."""


def policy() -> LoginPolicy:
    return LoginPolicy.objects.get_or_create(pk=1)[0]


def two_factor_required(user, current: LoginPolicy) -> bool:
    if current.two_factor_scope == TwoFactorScope.ALL_STAFF:
        return True
    if current.two_factor_scope == TwoFactorScope.OPS_STAFF:
        return any(p.startswith("ops.") for p in user.get_all_permissions())
    return False


def second_factor_of(user) -> str:
    chosen = StaffSecondFactor.objects.filter(user=user).values_list("method", flat=True).first()
    if chosen == SecondFactor.EMAIL and user.email:
        return SecondFactor.EMAIL
    if getattr(user, "mobile_number", ""):
        return SecondFactor.SMS
    if user.email:
        return SecondFactor.EMAIL
    raise LoginRefused(_("账号未登记手机号码或电子邮箱，无法完成双因子认证，请联系安全管理员。"))


def live_sessions(user):
    live_keys = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return StaffSession.objects.filter(user=user, session_key__in=live_keys).order_by("created_at", "pk")


def _check_session_limit(user, current: LoginPolicy) -> None:
    limit = current.max_sessions_per_user
    if limit and current.session_limit_action == SessionLimitAction.REFUSE_NEW and live_sessions(user).count() >= limit:
        raise LoginRefused(_("该账号已有 %(n)s 个会话在线，达到并发会话上限，请先在其他地方退出。") % {"n": limit})


def session_limit_check(user) -> None:
    """LoginRefused when the account is at its concurrent-session limit (and new logins are refused)."""
    _check_session_limit(user, policy())


def login_gate(request, user, *, next_url: str) -> str | None:
    """After a correct password: None to log in now, or the URL of the code page (code sent)."""
    current = policy()
    _check_session_limit(user, current)
    if not two_factor_required(user, current):
        return None
    challenge_send(user=user, current=current)
    request.session[PENDING_KEY] = {"user_id": user.pk, "backend": getattr(user, "backend", ""), "next": next_url,
                                    "at": timezone.now().timestamp()}
    from django.urls import reverse

    return reverse("ops:login-verify")


def challenge_send(*, user, current: LoginPolicy | None = None) -> LoginChallenge:
    current = current or policy()
    method = second_factor_of(user)
    recent = LoginChallenge.objects.filter(user=user, created_at__gt=timezone.now() - timedelta(seconds=RESEND_SECONDS),
                                           used_at__isnull=True)
    if recent.exists():
        raise ValidationError({"code": _("验证码已发送，请 %(s)s 秒后再试。") % {"s": RESEND_SECONDS}})
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        challenge = LoginChallenge.objects.create(
            user=user, method=method, code_digest=keyed_digest(f"ops-2fa:{user.pk}:{code}"),
            expires_at=timezone.now() + timedelta(minutes=current.code_minutes))
        text = SMS_TEXT.format(code=SECRET_PLACEHOLDER, minutes=current.code_minutes)
        if method == SecondFactor.SMS:
            sms_send(mobile_number=user.mobile_number, recipient=user, purpose="ops_login_code", content=text,
                     secret=code, idempotency_key=f"ops:2fa:{challenge.pk}")
        else:
            address = user.email
            transaction.on_commit(lambda: send_mail(_("工作门户登录验证码"), text.replace(SECRET_PLACEHOLDER, code),
                                                    None, [address], fail_silently=True))
    return challenge


def challenge_verify(request, *, code: str):
    """Check the code of the pending login; on success log the user in and return them."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        raise ValidationError({"code": _("登录已失效，请重新输入用户名和密码。")})
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None:
        raise ValidationError({"code": _("登录已失效，请重新输入用户名和密码。")})
    error = None
    with transaction.atomic():
        challenge = LoginChallenge.objects.select_for_update().filter(user=user).order_by("-created_at", "-pk").first()
        if challenge is None or challenge.used_at or challenge.expires_at <= timezone.now():
            error = _("验证码已失效，请重新获取。")
        elif challenge.attempts >= MAX_ATTEMPTS:
            error = _("验证码错误次数过多，请重新获取。")
        elif challenge.code_digest != keyed_digest(f"ops-2fa:{user.pk}:{(code or '').strip()}"):
            challenge.attempts += 1
            challenge.save(update_fields=["attempts"])
            error = _("验证码错误。")
        else:
            challenge.used_at = timezone.now()
            challenge.save(update_fields=["used_at"])
    if error:
        audit_record(actor=user, action=AuditAction.LOGIN_FAILED, obj=user, detail="双因子验证码错误")
        raise ValidationError({"code": error})
    current = policy()
    try:
        _check_session_limit(user, current)
    except LoginRefused as exc:
        raise ValidationError({"code": str(exc)}) from None
    backend = pending.get("backend") or "django.contrib.auth.backends.ModelBackend"
    import_string(backend)           # fail loudly on a stale backend path
    del request.session[PENDING_KEY]
    login(request, user, backend=backend)
    session_register(request, user)
    return user, pending.get("next") or "/portal/"


def session_register(request, user) -> None:
    """Count this session; under "end oldest", log out the oldest sessions beyond the limit."""
    if not request.session.session_key:
        request.session.save()
    current = policy()
    StaffSession.objects.update_or_create(session_key=request.session.session_key, defaults={
        "user": user, "ip_address": request.META.get("REMOTE_ADDR")})
    limit = current.max_sessions_per_user
    if not limit or current.session_limit_action != SessionLimitAction.END_OLDEST:
        return
    sessions = list(live_sessions(user))
    excess = sessions[:max(0, len(sessions) - limit)]
    if excess:
        engine = import_string(f"{request.session.__class__.__module__}.SessionStore")
        for row in excess:
            engine(session_key=row.session_key).delete()
        StaffSession.objects.filter(pk__in=[r.pk for r in excess]).delete()
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user,
                     detail=_("并发会话超限，结束最早的 %(n)s 个会话") % {"n": len(excess)})


def second_factor_set(*, user, method: str) -> StaffSecondFactor:
    if method not in SecondFactor.values:
        raise ValidationError({"method": _("第二因子只能是短信或电子邮件。")})
    if method == SecondFactor.EMAIL and not user.email:
        raise ValidationError({"method": _("账号未登记电子邮箱。")})
    if method == SecondFactor.SMS and not getattr(user, "mobile_number", ""):
        raise ValidationError({"method": _("账号未登记手机号码。")})
    with transaction.atomic():
        row, _created = StaffSecondFactor.objects.update_or_create(user=user, defaults={"method": method})
        audit_record(actor=user, action=AuditAction.UPDATE, obj=row, changes={"method": [None, method]})
    return row
