"""Change-password (IDN-13.7) and work-portal duplicate checks (IDN-14.3)."""
from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.identity.models import User


def user_change_password(*, user: User, old_password: str, new_password: str) -> None:
    errors = {}
    if not user.check_password(old_password or ""):
        errors["old_password"] = _("原密码错误。")
    if old_password == new_password:
        errors["new_password"] = _("新密码不能与原密码相同。")
    else:
        try:
            validate_password(new_password or "", user=user)
        except ValidationError as exc:
            errors["new_password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.set_password(new_password)
        locked.password_must_change = False          # a forced change after initialisation is done (MAT-7.6)
        locked.save(update_fields=["password", "password_must_change"])
        audit_record(actor=locked, action="update", obj=locked, detail="修改密码")


def duplicate_check(*, field: str, value: str) -> bool:
    """True if an account already uses `value` as login name, ID number or mobile number."""
    value = (value or "").strip()
    if field == "username":
        return User.objects.filter(username=value).exists()
    if field == "id_number":
        return User.objects.with_id_number(value.upper()).exists()
    if field == "mobile_number":
        return User.objects.with_mobile_number(value).exists()
    raise ValidationError({"field": _("未知的查重字段。")})
