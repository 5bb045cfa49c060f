"""Password initialisation opened to cities (MAT-7.6): a city or county business-environment
bureau (营商局) administrator resets the login password of a staff member of their own region.
The temporary password goes to the member's mobile by SMS; the next login must change it."""
from __future__ import annotations

import secrets
import string
import uuid

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.models import OrganisationKind
from apps.core.scope import restrict
from apps.core.sms import sms_send
from apps.identity.models import User, UserKind
from apps.identity.services.grants import is_unrestricted

RESET_PERMISSION = "identity.reset_password"
SMS_PURPOSE = "identity_password_reset"


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


def temporary_password() -> str:
    """12 characters from four classes, checked by the configured validators."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(9))
        candidate = f"{secrets.choice(string.ascii_uppercase)}{body}{secrets.choice('#@%*')}{secrets.choice(string.digits)}"
        try:
            validate_password(candidate)
        except ValidationError:
            continue
        return candidate


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
    password = temporary_password()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(password)
        locked.password_must_change = True
        locked.save(update_fields=["password", "password_must_change"])
        audit_record(actor=actor, action="update", obj=locked, request=request, detail="初始化登录密码",
                     changes={"password": ["***", "***"], "password_must_change": [False, True]})
        sms_send(mobile_number=locked.mobile_number, recipient=locked, purpose=SMS_PURPOSE,
                 idempotency_key=f"identity:password-reset:{locked.pk}:{uuid.uuid4().hex}",
                 content=_("【黑龙江政务服务】您的登录密码已由管理员初始化，临时密码：%(password)s。"
                           "请尽快登录并修改密码。") % {"password": password})
    return locked


def password_change_clears_flag(user: User) -> None:
    """Called after a successful own password change: the forced change is done."""
    if user.password_must_change:
        User.objects.filter(pk=user.pk).update(password_must_change=False)
        user.password_must_change = False
