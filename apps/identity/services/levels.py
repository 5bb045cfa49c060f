"""Real-name level upgrades (IDN-7.x): a secondary check raises the account's level."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.crypto import mask_id_number
from apps.identity.adapters import thirdparty, verification
from apps.identity.adapters.thirdparty import AuthCodeQuery, ExitEntryQuery
from apps.identity.adapters.verification import FaceQuery
from apps.identity.principals import principals_changed
from apps.identity.models import (
    RealNameLevel,
    RealNameVerification,
    User,
    UserKind,
    VerificationMethod,
)
from apps.identity.services.checks import _ask
from apps.identity.sso import userinfo_cache


def real_name_upgrade_by_face(*, user: User, image_base64: str) -> User:
    """IDN-7.4: public-security face recognition against the user's resident ID → level three."""
    if not user.id_number:
        raise ValidationError(_("账号未登记证件号码，无法进行人脸识别认证。"))
    if not image_base64:
        raise ValidationError(_("请先采集人脸照片。"))
    verifier = verification.public_security_face()
    result = _ask(verifier, FaceQuery(name=user.full_name, id_number=user.id_number, image_base64=image_base64))
    if not result.matched:
        raise ValidationError(_("%(peer)s未通过：%(message)s") % {"peer": verifier.label, "message": result.message})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = user.real_name_level
        User.objects.filter(pk=user.pk).update(real_name_level=RealNameLevel.STRONG)
        userinfo_cache.user_changed(user.pk)
        principals_changed()
        user.real_name_level = RealNameLevel.STRONG
        RealNameVerification.objects.create(
            user=user, method=VerificationMethod.PUBLIC_SECURITY_FACE, passed=True, message=result.message[:200],
            level_before=before, level_after=int(RealNameLevel.STRONG),
            identity={"name": user.full_name, "id_number": mask_id_number(user.id_number)})
        audit_record(actor=user, action="update", obj=user, detail="人脸识别实名等级提升",
                     changes={"real_name_level": [before, int(RealNameLevel.STRONG)]})
    return user


# --- secondary real-name checks (IDN-7.1, 7.2, 7.3, 7.5) ------------------------------------

METHOD_LEVELS = {
    VerificationMethod.ALIPAY: RealNameLevel.VERIFIED,
    VerificationMethod.EXIT_ENTRY_DOCUMENT: RealNameLevel.VERIFIED,
    VerificationMethod.EXIT_ENTRY_FACE: RealNameLevel.STRONG,
    VerificationMethod.SOCIAL_SECURITY: RealNameLevel.STRONG,
}


def _same_person(user: User, name: str, id_number: str) -> bool:
    return bool(user.id_number) and user.id_number.upper() == (id_number or "").upper() and user.full_name == name


def _auth_code_identity(method: str, auth_code: str) -> tuple[bool, str, dict]:
    if not auth_code:
        raise ValidationError({"auth_code": _("缺少授权码。")})
    verifier = thirdparty.alipay() if method == VerificationMethod.ALIPAY else thirdparty.social_security()
    result = _ask(verifier, AuthCodeQuery(auth_code=auth_code, scope="auth_user_identity"))
    record = result.record
    identity = {"name": record.get("user_name") or record.get("name", ""),
                "id_number": record.get("cert_no") or record.get("id_number", "")}
    if method == VerificationMethod.ALIPAY and result.matched and not record.get("is_certified"):
        return False, _("支付宝账号未完成实名认证。"), identity
    return result.matched, result.message, identity


def _exit_entry_identity(user: User, data: dict, *, face: bool) -> tuple[bool, str, dict]:
    errors = {}
    for key, label in (("user_type", _("出入境用户类型")), ("document_type", _("证件类型")),
                       ("document_number", _("证件号码"))):
        if not data.get(key):
            errors[key] = _("请填写%(label)s。") % {"label": label}
    if face and not data.get("image_base64"):
        errors["image_base64"] = _("请先采集人脸照片。")
    if errors:
        raise ValidationError(errors)
    query = ExitEntryQuery(user_type=data["user_type"], document_type=data["document_type"],
                           document_number=str(data["document_number"]).upper(), name=user.full_name,
                           image_base64=data.get("image_base64", "") if face else "")
    result = _ask(thirdparty.exit_entry(), query)
    identity = {"name": result.record.get("name", ""), "id_number": result.record.get("document_number", "")}
    return result.matched, result.message, identity


def real_name_verify(*, user: User, method: str, data: dict) -> RealNameVerification:
    """A secondary real-name check: the provider must return THIS user's identity; on success the
    check is recorded and the level raised (never lowered). A failure writes nothing."""
    if method not in METHOD_LEVELS:
        raise ValidationError({"method": _("不支持的认证方式。")})
    if user.kind != UserKind.NATURAL_PERSON:
        raise PermissionDenied(_("二次实名认证仅适用于自然人用户。"))
    if method in (VerificationMethod.ALIPAY, VerificationMethod.SOCIAL_SECURITY):
        passed, message, identity = _auth_code_identity(method, str(data.get("auth_code", "")))
    else:
        passed, message, identity = _exit_entry_identity(
            user, data, face=method == VerificationMethod.EXIT_ENTRY_FACE)
    if not passed:
        raise ValidationError(_("认证未通过：%(message)s") % {"message": message or _("信息不一致")})
    if not _same_person(user, identity["name"], identity["id_number"]):
        raise ValidationError(_("认证返回的身份信息与本账号登记的信息不一致。"))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = int(locked.real_name_level)
        after = max(before, int(METHOD_LEVELS[method]))
        if after != before:
            User.objects.filter(pk=user.pk).update(real_name_level=after)
            userinfo_cache.user_changed(user.pk)
            principals_changed()
        user.real_name_level = after
        check = RealNameVerification.objects.create(
            user=user, method=method, passed=True, message=message[:200], level_before=before, level_after=after,
            identity={"name": identity["name"], "id_number": mask_id_number(identity["id_number"])})
        audit_record(actor=user, action="update", obj=user, detail=f"二次实名认证：{check.get_method_display()}",
                     changes={"real_name_level": [before, after]})
    return check
