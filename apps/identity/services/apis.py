"""API permission management (IDN-5.4) and business rule controls (IDN-5.3)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_deletion, audit_record
from apps.identity.models import (
    ApiEndpoint,
    ApiGrant,
    BusinessControl,
    ClientSystem,
    User,
)

API_PERMISSION = "identity.change_apiendpoint"
CONTROL_PERMISSION = "identity.change_businesscontrol"


def _require(actor: User, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def api_grant_active(*, client: ClientSystem, code: str) -> bool:
    return ApiGrant.objects.filter(client=client, endpoint__code=code, endpoint__is_enabled=True,
                                   revoked_at__isnull=True).exists()


def _clean_fields(instance, data: dict, fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


def _save(*, model, instance, data: dict, fields: tuple[str, ...], actor: User, permission: str):
    _require(actor, permission)
    creating = instance is None
    instance = instance or model()
    before = {} if creating else {f: getattr(instance, f) for f in fields}
    _clean_fields(instance, data, fields)
    with transaction.atomic():
        instance.save()
        changes = {f: [before.get(f), getattr(instance, f)] for f in fields if before.get(f) != getattr(instance, f)}
        audit_record(actor=actor, action="create" if creating else "update", obj=instance, changes=changes)
    return instance


ENDPOINT_FIELDS = ("code", "name", "path", "description", "is_enabled")
CONTROL_FIELDS = ("code", "name", "description", "is_enabled")


def api_endpoint_save(*, endpoint: ApiEndpoint | None = None, data: dict, actor: User) -> ApiEndpoint:
    return _save(model=ApiEndpoint, instance=endpoint, data=data, fields=ENDPOINT_FIELDS, actor=actor,
                 permission=API_PERMISSION)


def api_endpoint_delete(*, endpoint: ApiEndpoint, actor: User) -> None:
    _require(actor, API_PERMISSION)
    with transaction.atomic():
        audit_deletion(actor=actor, obj=endpoint)
        endpoint.delete()


def api_grant(*, client: ClientSystem, endpoint: ApiEndpoint, actor: User) -> ApiGrant:
    _require(actor, API_PERMISSION)
    try:
        with transaction.atomic():
            grant = ApiGrant.objects.create(client=client, endpoint=endpoint, granted_by=actor)
            audit_record(actor=actor, action="create", obj=grant, detail=f"接口授权 {client.code} → {endpoint.code}")
    except IntegrityError:
        raise ValidationError(_("该应用已获得此接口授权。")) from None
    return grant


def api_revoke(*, grant: ApiGrant, actor: User) -> ApiGrant:
    _require(actor, API_PERMISSION)
    with transaction.atomic():
        grant = ApiGrant.objects.select_for_update().get(pk=grant.pk)
        if grant.revoked_at is not None:
            raise ValidationError(_("该授权已撤销。"))
        grant.revoked_at, grant.revoked_by = timezone.now(), actor
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action="update", obj=grant, detail="撤销接口授权",
                     changes={"revoked_at": [None, grant.revoked_at.isoformat()]})
    return grant


def business_control_save(*, control: BusinessControl | None = None, data: dict, actor: User) -> BusinessControl:
    return _save(model=BusinessControl, instance=control, data=data, fields=CONTROL_FIELDS, actor=actor,
                 permission=CONTROL_PERMISSION)


def business_control_delete(*, control: BusinessControl, actor: User) -> None:
    _require(actor, CONTROL_PERMISSION)
    with transaction.atomic():
        audit_deletion(actor=actor, obj=control)
        control.delete()


def business_enabled(code: str) -> bool:
    """A business without a control row is enabled; a control switches it off."""
    return not BusinessControl.objects.filter(code=code, is_enabled=False).exists()


def business_require(code: str) -> None:
    if not business_enabled(code):
        name = BusinessControl.objects.filter(code=code).values_list("name", flat=True).first() or code
        raise PermissionDenied(_("“%(name)s”业务已暂停办理。") % {"name": name})


