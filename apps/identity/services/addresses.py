"""My delivery addresses (IDN-14.2): create, modify, delete, set / unset default — only the owner."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_deletion, audit_record
from apps.core.models import Region
from apps.core.validators import validate_mobile_number
from apps.identity.models import DeliveryAddress, User

MAX_ADDRESSES = 20


def _clean(data: dict) -> dict:
    errors: dict = {}
    recipient = (data.get("recipient") or "").strip()
    mobile = (data.get("mobile_number") or "").strip()
    detail = (data.get("detail") or "").strip()
    postcode = (data.get("postcode") or "").strip()
    region = Region.objects.filter(code=data.get("region") or "", is_enabled=True).first()
    if not recipient:
        errors["recipient"] = _("请填写收件人。")
    try:
        validate_mobile_number(mobile)
    except ValidationError as exc:
        errors["mobile_number"] = exc.messages[0]
    if region is None:
        errors["region"] = _("请选择所在区划。")
    if not detail:
        errors["detail"] = _("请填写详细地址。")
    if postcode and not (postcode.isdigit() and len(postcode) == 6):
        errors["postcode"] = _("邮政编码应为 6 位数字。")
    if errors:
        raise ValidationError(errors)
    return {"recipient": recipient[:64], "mobile_number": mobile, "region": region, "detail": detail[:200],
            "postcode": postcode}


def _own(address: DeliveryAddress, actor: User) -> None:
    if address.user_id != actor.pk:
        raise PermissionDenied(_("只能维护本人的收货地址。"))


def _make_default(user: User, address: DeliveryAddress) -> None:
    DeliveryAddress.objects.filter(user=user, is_default=True).exclude(pk=address.pk).update(is_default=False)
    address.is_default = True


def address_create(*, user: User, data: dict) -> DeliveryAddress:
    values = _clean(data)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()      # serialise one user's writes
        count = DeliveryAddress.objects.filter(user=user).count()
        if count >= MAX_ADDRESSES:
            raise ValidationError(_("收货地址最多保存 %(n)d 个。") % {"n": MAX_ADDRESSES})
        address = DeliveryAddress(user=user, **values)
        if data.get("is_default") or count == 0:
            _make_default(user, address)
        address.save()
        audit_record(actor=user, action="create", obj=address, detail="新增收货地址")
    return address


def address_update(*, address: DeliveryAddress, data: dict, actor: User) -> DeliveryAddress:
    _own(address, actor)
    values = _clean(data)
    with transaction.atomic():
        for key, value in values.items():
            setattr(address, key, value)
        if data.get("is_default"):
            _make_default(actor, address)
        address.save()
        audit_record(actor=actor, action="update", obj=address, detail="修改收货地址")
    return address


def address_set_default(*, address: DeliveryAddress, is_default: bool, actor: User) -> DeliveryAddress:
    _own(address, actor)
    with transaction.atomic():
        if is_default:
            _make_default(actor, address)
        else:
            address.is_default = False
        address.save(update_fields=["is_default", "updated_at"])
        audit_record(actor=actor, action="update", obj=address, changes={"is_default": [None, is_default]})
    return address


def address_delete(*, address: DeliveryAddress, actor: User) -> None:
    _own(address, actor)
    with transaction.atomic():
        audit_deletion(actor=actor, obj=address)
        address.delete()
