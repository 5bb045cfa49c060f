"""Legal-person information change (IDN-3.a name, 3.b name / legal representative / ID validity)
and the "four elements" completion of the app APIs (IDN-2.1 natural person, 2.2 legal person).

A change is applied only after the enterprise registry confirms the new data (3.a) and, when the
representative or their document changes, the real-name services confirm the person (3.b)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.workflow import record_transition
from apps.identity.models import RealNameLevel, User, UserKind
from apps.identity.services.checks import enterprise_check, person_check
from apps.identity.services.registration import _clean_person

CHANGEABLE = ("full_name", "legal_representative", "id_type", "id_number", "id_valid_from", "id_valid_to")


def enterprise_info_change(*, user: User, data: dict, actor: User) -> User:
    """Change the enterprise name and/or the legal representative and their document."""
    if actor.pk != user.pk or user.kind != UserKind.LEGAL_PERSON:
        raise PermissionDenied(_("仅法人用户本人可以变更企业信息。"))
    if user.is_temporary_legal_person or not user.credit_code:
        raise ValidationError(_("临时法人请先变更为正式统一社会信用代码。"))
    errors: dict = {}
    name = (data.get("enterprise_name") or user.full_name).strip()
    representative_changes = any(data.get(k) for k in ("name", "id_number", "valid_from", "valid_to"))
    person = None
    if representative_changes:
        person = _clean_person({"id_type": data.get("id_type") or user.id_type, "name": data.get("name") or
                                user.legal_representative, "id_number": data.get("id_number") or user.id_number,
                                "valid_from": data.get("valid_from") or user.id_valid_from,
                                "valid_to": data.get("valid_to") or user.id_valid_to,
                                "valid_long_term": data.get("valid_long_term")}, errors)
    if not name:
        errors["enterprise_name"] = _("请填写单位名称。")
    if errors:
        raise ValidationError(errors)
    representative = person["name"] if person else user.legal_representative
    if name == user.full_name and not representative_changes:
        raise ValidationError(_("没有需要变更的信息。"))
    enterprise_check(enterprise_type=user.enterprise_type, name=name, credit_code=user.credit_code,
                     legal_representative=representative)
    if person:
        person_check(**person)
    return _apply(user=user, actor=actor, values={
        "full_name": name, "legal_representative": representative,
        **({"id_type": person["id_type"], "id_number": person["id_number"], "id_valid_from": person["valid_from"],
            "id_valid_to": person["valid_to"]} if person else {})}, action="enterprise_change")


def person_four_elements_complete(*, user: User, data: dict) -> User:
    """IDN-2.1: an app account completes ID type, name, ID number (and validity); checked with the
    national real-name service and the police, then the account is level two."""
    if user.kind != UserKind.NATURAL_PERSON:
        raise PermissionDenied(_("仅自然人用户可以完善自然人四要素。"))
    errors: dict = {}
    person = _clean_person(data, errors)
    if errors:
        raise ValidationError(errors)
    if user.id_number and user.id_number.upper() != person["id_number"]:
        raise ValidationError({"id_number": _("证件号码与账号已登记的不一致，不能更改。")})
    if User.objects.with_id_number(person["id_number"]).filter(kind=UserKind.NATURAL_PERSON).exclude(
            pk=user.pk).exists():
        raise ValidationError({"id_number": _("该证件号码已被其他账号使用。")})
    person_check(**person)
    return _apply(user=user, actor=user, values={
        "full_name": person["name"], "id_type": person["id_type"], "id_number": person["id_number"],
        "id_valid_from": person["valid_from"], "id_valid_to": person["valid_to"],
        "real_name_level": max(int(user.real_name_level), int(RealNameLevel.VERIFIED))}, action="four_elements")


def _apply(*, user: User, actor: User, values: dict, action: str) -> User:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = {k: str(getattr(locked, k) or "") for k in values}
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save(update_fields=list(values))
        changes = {k: [before[k], str(v or "")] for k, v in values.items() if before[k] != str(v or "")}
        record_transition(obj=locked, from_state=locked.review_status, to_state=locked.review_status, actor=actor,
                          action=action, comment="、".join(changes))
        audit_record(actor=actor, action="update", obj=locked, changes=changes,
                     detail="企业信息变更" if action == "enterprise_change" else "完善四要素")
    return locked
