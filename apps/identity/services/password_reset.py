"""Password initialisation opened to cities (MAT-7.6): a city or county business-environment
bureau (营商局) administrator resets the login password of a staff member of their own region.

The old password stops working at once, and the member's mobile receives by SMS a one-time link
(valid LINK_HOURS) to set a new password. No password is ever sent, and the link is the SMS's secret
part: the kernel's SMS log keeps it encrypted only until the gateway has it, then wipes it. Only the
SHA-256 digest of the link's token is stored (PasswordInitLink)."""
from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import OrganisationKind
from apps.core.models.sms import SECRET_PLACEHOLDER
from apps.core.scope import restrict
from apps.core.sms import sms_send
from apps.identity.models import PasswordInitLink, User, UserKind
from apps.identity.principals import principals_changed
from apps.identity.services.grants import is_unrestricted

RESET_PERMISSION = "identity.reset_password"
SMS_PURPOSE = "identity_password_reset"
LINK_HOURS = 24


def may_reset_passwords(actor) -> bool:
    """System administrators, and staff of a 营商局 holding the reset permission."""
    if not (actor and actor.is_authenticated and actor.is_active and actor.has_perm(RESET_PERMISSION)):
        return False
    if is_unrestricted(actor):
        return True
    organisation = getattr(actor, "organisation", None)
    return bool(actor.is_staff_user and organisation
                and organisation.kind == OrganisationKind.BUSINESS_ENVIRONMENT_BUREAU)


def _require(actor) -> None:
    if not may_reset_passwords(actor):
        raise PermissionDenied(_("仅营商环境建设监督局的授权人员可以初始化登录密码。"))


def resettable_users(*, actor, department: str = "", username: str = "", full_name: str = "") -> QuerySet[User]:
    """Staff accounts of the actor's region (scope), searchable by department name, login account
    and login user name; ordered by sort order then account."""
    _require(actor)
    rows = restrict(User.objects.filter(kind=UserKind.STAFF), actor).select_related("organisation")
    if department.strip():
        rows = rows.filter(Q(organisation__name__contains=department.strip())
                           | Q(organisation__short_name__contains=department.strip()))
    if username.strip():
        rows = rows.filter(username__contains=username.strip())
    if full_name.strip():
        rows = rows.filter(full_name__contains=full_name.strip())
    return rows.order_by("sort_order", "username")


def user_password_reset(*, user: User, actor, request=None) -> User:
    """Initialise `user`'s password. Refused (nothing written): actor without the right, a user
    outside the actor's region, a public account, a system administrator, oneself, no mobile."""
    _require(actor)
    if not restrict(User.objects.filter(pk=user.pk, kind=UserKind.STAFF), actor).exists():
        raise PermissionDenied(_("该账号不在您所在区划的管理范围内。"))
    if user.pk == actor.pk:
        raise ValidationError(_("不能初始化自己的密码，请使用“修改密码”。"))
    if (user.is_superuser or user.is_system_admin) and not is_unrestricted(actor):
        raise PermissionDenied(_("只有系统管理员可以初始化系统管理员的密码。"))
    if not user.mobile_number:
        raise ValidationError(_("该账号未登记手机号码，无法发送临时密码。"))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_unusable_password()            # the old password stops working at once
        locked.password_must_change = True
        locked.save(update_fields=["password", "password_must_change"])
        now = timezone.now()
        PasswordInitLink.objects.filter(user=locked, used_at__isnull=True).update(used_at=now)  # superseded
        link = PasswordInitLink.objects.create(user=locked, token_digest=_digest(token), created_by=actor,
                                               expires_at=now + timedelta(hours=LINK_HOURS))
        audit_record(actor=actor, action="update", obj=locked, request=request, detail="初始化登录密码",
                     changes={"password": ["***", "***"], "password_must_change": [False, True]})
        sms_send(mobile_number=locked.mobile_number, recipient=locked, purpose=SMS_PURPOSE,
                 idempotency_key=f"identity:password-reset:{locked.pk}:{link.pk}:{uuid.uuid4().hex}",
                 content=_("【黑龙江政务服务】您的登录密码已由管理员初始化，原密码已失效。请在%(hours)d小时内打开链接设置新密码"
                           "（仅可使用一次）：%(url)s") % {"hours": LINK_HOURS, "url": SECRET_PLACEHOLDER},
                 secret=link_url(token))
    return locked


def _digest(token: str) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def link_url(token: str) -> str:
    from django.urls import reverse

    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("sso:password-init", args=[token])


def password_link_get(*, token: str) -> PasswordInitLink | None:
    """The usable link behind `token` (None when unknown, used, superseded or expired)."""
    link = PasswordInitLink.objects.select_related("user").filter(token_digest=_digest(token)).first()
    return link if link is not None and link.is_usable and link.user.is_active else None


def password_link_use(*, token: str, new_password: str, confirm: str) -> User:
    """Set the new password through the link; the link is used up. Bad input writes nothing."""
    if new_password != confirm:
        raise ValidationError({"new_password_confirm": [_("两次输入的新密码不一致。")]})
    with transaction.atomic():
        link = (PasswordInitLink.objects.select_for_update().select_related("user")
                .filter(token_digest=_digest(token)).first())
        if link is None or not link.is_usable or not link.user.is_active:
            raise ValidationError({"token": [_("链接无效、已使用或已过期，请联系管理员重新初始化密码。")]})
        user = link.user
        try:
            validate_password(new_password, user=user)
        except ValidationError as exc:
            raise ValidationError({"new_password": list(exc.messages)}) from None
        user.set_password(new_password)
        user.password_must_change = False
        user.save(update_fields=["password", "password_must_change"])
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        audit_record(actor=user, action="update", obj=user, detail="通过初始化链接设置登录密码",
                     changes={"password": ["***", "***"], "password_must_change": [True, False]})
    return user


def password_change_clears_flag(user: User) -> None:
    """Called after a successful own password change: the forced change is done."""
    if user.password_must_change:
        User.objects.filter(pk=user.pk).update(password_must_change=False)
        principals_changed()
        user.password_must_change = False
