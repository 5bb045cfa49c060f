"""User management (PORTAL-9.2) and user authorisation (PORTAL-9.1) writes."""
from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import AuditAction, Organisation
from apps.core.scope import can_see, restrict
from apps.core.services.audit import audit_record, diff_instance, snapshot
from apps.core.validators import validate_mobile_number
from apps.identity.models import Role, User, UserKind
from apps.identity.services.grants import (
    is_unrestricted,
    permission_refusals,
    role_refusals,
)

PROFILE_FIELDS = ("organisation", "full_name", "email", "telephone", "mobile_number", "kind", "roles", "remarks",
                  "is_active")
_TELEPHONE_RE = re.compile(r"^[0-9+\-() ]{5,32}$")


def require_permission(actor, permission: str) -> None:
    if not (actor and actor.is_authenticated and actor.is_active and actor.has_perm(permission)):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if not (actor.is_staff_user or actor.is_superuser):
        raise PermissionDenied(_("仅限政务工作人员执行此操作。"))


MISSING = object()   # a reference to a row that does not exist


def _resolve(model, value):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    try:
        return model._default_manager.filter(pk=value).first() or MISSING
    except (TypeError, ValueError):
        return MISSING


class _Cleaner:
    """Validates the profile part of `data` for `actor`, collecting every error at once."""

    def __init__(self, *, data: dict, actor, instance: User | None):
        self.data, self.actor, self.instance = data, actor, instance
        self.errors: dict[str, list[str]] = {}
        self.values: dict = {}

    def error(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def current(self, field: str):
        if field in self.data:
            return self.data[field]
        if self.instance is None:
            return None
        return list(self.instance.roles.all()) if field == "roles" else getattr(self.instance, field)

    def clean(self) -> dict:
        kind = self._clean_kind()
        self._clean_organisation(kind)
        self._clean_text("full_name", 64, required=kind == UserKind.STAFF, label=_("姓名"))
        self._clean_text("remarks", 500, label=_("备注"))
        self._clean_email()
        self._clean_telephone()
        self._clean_mobile()
        self._clean_roles(kind)
        self._clean_active()
        return self.values

    def _clean_kind(self) -> str:
        kind = self.current("kind") or UserKind.STAFF
        if kind not in UserKind.values:
            self.error("kind", _("用户类型无效：%(kind)s") % {"kind": kind})
            return UserKind.STAFF
        if kind != UserKind.STAFF and not is_unrestricted(self.actor):
            self.error("kind", _("只有系统管理员可以把账号设为公众用户类型。"))
        self.values["kind"] = kind
        return kind

    def _clean_organisation(self, kind: str) -> None:
        organisation = _resolve(Organisation, self.current("organisation"))
        if organisation is MISSING:
            self.error("organisation", _("所选归属部门不存在。"))
            return
        if kind != UserKind.STAFF:
            if organisation is not None:
                self.error("organisation", _("公众用户不能归属政务部门。"))
            self.values["organisation"] = None
            return
        if organisation is None:
            self.error("organisation", _("政务工作人员必须选择归属部门。"))
            return
        if "organisation" in self.data and not organisation.is_enabled:
            self.error("organisation", _("归属部门“%(org)s”已停用。") % {"org": organisation.name})
        if "organisation" in self.data and not restrict(Organisation.objects.filter(pk=organisation.pk),
                                                         self.actor).exists():
            self.error("organisation", _("归属部门“%(org)s”不在您的管理范围内。") % {"org": organisation.name})
        self.values["organisation"] = organisation

    def _clean_text(self, field: str, max_length: int, *, label: str, required: bool = False) -> None:
        value = (self.current(field) or "").strip()
        if required and not value:
            self.error(field, _("请填写%(label)s。") % {"label": label})
        elif len(value) > max_length:
            self.error(field, _("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length})
        self.values[field] = value

    def _clean_email(self) -> None:
        value = (self.current("email") or "").strip()
        if value:
            try:
                EmailValidator()(value)
            except ValidationError:
                self.error("email", _("电子邮箱格式不正确：%(value)s") % {"value": value})
        self.values["email"] = value

    def _clean_telephone(self) -> None:
        value = (self.current("telephone") or "").strip()
        if value and not _TELEPHONE_RE.match(value):
            self.error("telephone", _("电话号码格式不正确（例如 0451-82345678）：%(value)s") % {"value": value})
        self.values["telephone"] = value

    def _clean_mobile(self) -> None:
        value = "".join((self.current("mobile_number") or "").split())
        if value:
            try:
                validate_mobile_number(value)
            except ValidationError as exc:
                self.error("mobile_number", exc.messages[0])
        self.values["mobile_number"] = value

    def _clean_roles(self, kind: str) -> None:
        if "roles" not in self.data and self.instance is not None:
            return
        roles = [_resolve(Role, r) for r in (self.data.get("roles") or [])]
        if MISSING in roles:
            self.error("roles", _("所选角色不存在。"))
            return
        if roles and kind != UserKind.STAFF:
            self.error("roles", _("只有政务工作人员可以分配角色。"))
        before = set(self.instance.roles.all()) if self.instance else set()
        for message in role_refusals(self.actor, before.symmetric_difference(roles)):
            self.error("roles", message)
        self.values["roles"] = roles

    def _clean_active(self) -> None:
        if "is_active" not in self.data:
            return
        active = bool(self.data["is_active"])
        if not active and self.instance is not None and self.instance.pk == self.actor.pk:
            self.error("is_active", _("不能停用自己的账号。"))
        self.values["is_active"] = active


def _clean_credentials(data: dict) -> tuple[str, str, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    username = (data.get("username") or "").strip()
    password = data.get("password") or ""
    if not username:
        errors["username"] = [_("请填写登录名。")]
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            errors["username"] = [_("登录名只能包含字母、数字和 @/./+/-/_ 字符。")]
        if len(username) > 150:
            errors["username"] = [_("登录名不能超过 150 个字符。")]
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = [_("登录名“%(name)s”已被使用。") % {"name": username}]
    if not password:
        errors["password"] = [_("请设置初始密码。")]
    else:
        try:
            validate_password(password, user=User(username=username, full_name=data.get("full_name", "")))
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    return username, password, errors


def _apply(user: User, values: dict) -> None:
    roles = values.pop("roles", None)
    for field, value in values.items():
        setattr(user, field, value)
    user.save()
    if roles is not None:
        user.roles.set(roles)
    user.__dict__.pop("_access_profile", None)


AUDITED_FIELDS = list(PROFILE_FIELDS)
AUTHORISATION_FIELDS = ["roles", "user_permissions"]


@transaction.atomic
def user_create(*, data: dict, actor) -> User:
    """Create a staff (or, for system administrators, public) account with its profile and roles."""
    require_permission(actor, "identity.add_user")
    username, password, errors = _clean_credentials(data)
    cleaner = _Cleaner(data=data, actor=actor, instance=None)
    values = cleaner.clean()
    errors.update(cleaner.errors)
    if errors:
        raise ValidationError(errors)
    user = User(username=username)
    user.set_password(password)
    _apply(user, values)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=user,
                 changes=diff_instance(None, user, ["username", *AUDITED_FIELDS]))
    return user


def _check_target(actor, user: User) -> None:
    if not can_see(actor, user):
        raise PermissionDenied(_("该用户不在您的管理范围内。"))
    if (user.is_superuser or user.is_system_admin) and not is_unrestricted(actor):
        raise PermissionDenied(_("只有系统管理员可以修改系统管理员的账号。"))


@transaction.atomic
def user_update(*, user: User, data: dict, actor) -> User:
    """Edit or complete a user's profile: only the keys present in `data` change."""
    require_permission(actor, "identity.change_user")
    _check_target(actor, user)
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({field: [_("该字段不可修改。")] for field in sorted(unknown)})
    user = User.objects.select_for_update().get(pk=user.pk)
    cleaner = _Cleaner(data=data, actor=actor, instance=user)
    values = cleaner.clean()
    if cleaner.errors:
        raise ValidationError(cleaner.errors)
    before = snapshot(user, AUDITED_FIELDS)
    _apply(user, values)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=user,
                 changes=diff_instance(before, user, AUDITED_FIELDS))
    return user


@transaction.atomic
def user_authorise(*, user: User, roles: Iterable[Role], permissions: Iterable[Permission] | None = None,
                   actor) -> User:
    """Give a staff user exactly these roles (and, optionally, these direct permissions)."""
    require_permission(actor, "identity.authorise_user")
    _check_target(actor, user)
    roles = list(roles)
    errors: dict[str, list[str]] = {}
    if not user.is_staff_user and roles:
        errors["roles"] = [_("只有政务工作人员可以分配角色。")]
    refusals = role_refusals(actor, set(user.roles.all()).symmetric_difference(roles))
    if refusals:
        errors.setdefault("roles", []).extend(refusals)
    if permissions is not None:
        permissions = list(permissions)
        before = set(user.user_permissions.all())
        refusals = permission_refusals(actor, before.symmetric_difference(permissions))
        if refusals:
            errors["permissions"] = refusals
    if user.pk == actor.pk and not is_unrestricted(actor):
        errors.setdefault("roles", []).append(_("不能给自己授权。"))
    if errors:
        raise ValidationError(errors)
    before = snapshot(user, AUTHORISATION_FIELDS)
    user.roles.set(roles)
    if permissions is not None:
        user.user_permissions.set(permissions)
    for cache in ("_access_profile", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, detail=_("用户授权"),
                 changes=diff_instance(before, user, AUTHORISATION_FIELDS))
    return user


def _require_manageable(actor, user: User, permission: str) -> User:
    require_permission(actor, permission)
    if user.deleted_at is not None:
        raise ValidationError(_("该账号已删除。"))
    _check_target(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("不能对自己的账号执行此操作。"))
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor, request=None) -> User:
    """Disable or enable an account (IDN-13.6). A disabled account cannot log in; nothing else changes."""
    locked = _require_manageable(actor, user, "identity.change_user")
    if locked.is_active == active:
        return locked
    locked.is_active = active
    locked.save(update_fields=["is_active"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, request=request,
                 detail=_("启用账号") if active else _("停用账号"), changes={"is_active": [not active, active]})
    return locked


@transaction.atomic
def user_delete(*, user: User, actor, request=None) -> User:
    """Soft-delete an account (IDN-13.6): inactive, hidden from user management, roles removed; the row
    stays for audit and the records that point to it. Refused for oneself and users outside scope."""
    locked = _require_manageable(actor, user, "identity.delete_user")
    roles = sorted(role.code for role in locked.roles.all())
    locked.is_active = False
    locked.deleted_at = timezone.now()
    locked.save(update_fields=["is_active", "deleted_at"])
    locked.roles.clear()
    audit_record(actor=actor, action=AuditAction.DELETE, obj=locked, request=request, detail=_("删除账号"),
                 changes={"is_active": [user.is_active, False], "roles": [roles, []]})
    return locked
