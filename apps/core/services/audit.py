"""Audit log writes: `audit_record` for services, plus the admin, auth-signal and request hooks.

Services call it explicitly after a change::

    before = snapshot(organisation)
    ...change and save...
    audit_record(actor=user, action=AuditAction.UPDATE, obj=organisation,
                 changes=diff_instance(before, organisation, ["name", "region"]))

The request (method, path, IP, user agent) is taken from the current request when not given.
Sensitive values (encrypted fields, their digests, passwords, secrets) are masked here,
whatever the caller passed.
"""
from __future__ import annotations

import ipaddress
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from apps.core.crypto import mask, mask_id_number, mask_mobile, sensitive_field_names
from apps.core.middleware import client_address, current_request
from apps.core.models.audit import AuditAction, AuditLog

_ALWAYS_HIDDEN = ("password", "secret", "token", "digest", "private_key")
HIDDEN = "******"


def _json_safe(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "name") and hasattr(value, "storage"):      # FieldFile
        return value.name or ""
    if isinstance(value, (set, frozenset, tuple)):
        value = list(value)
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def _mask_value(name: str, value: Any, encrypted: set[str]) -> Any:
    if value in (None, ""):
        return value
    lowered = name.lower()
    if any(word in lowered for word in _ALWAYS_HIDDEN):
        return HIDDEN
    if name in encrypted or "mobile" in lowered or "id_number" in lowered:
        text = str(value)
        if "mobile" in lowered:
            return mask_mobile(text)
        if "id_number" in lowered:
            return mask_id_number(text)
        return mask(text)
    return value


def mask_changes(model, changes: dict | None) -> dict:
    """{field: [old, new]} with every sensitive value masked and every value JSON-safe."""
    if not changes:
        return {}
    encrypted = sensitive_field_names(model) if model is not None else set()
    masked = {}
    for name, pair in changes.items():
        old, new = (pair if isinstance(pair, (list, tuple)) and len(pair) == 2 else (None, pair))
        masked[str(name)] = [_mask_value(name, _json_safe(old), encrypted),
                             _mask_value(name, _json_safe(new), encrypted)]
    return masked


def _field_names(instance, fields) -> list[str]:
    if fields is not None:
        return list(fields)
    return [field.name for field in instance._meta.concrete_fields]


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The current values of `fields` (all concrete fields by default), for a later diff."""
    values = {}
    for name in _field_names(instance, fields):
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(obj.pk for obj in getattr(instance, name).all()) if instance.pk else []
        else:
            values[name] = field.value_from_object(instance)
    return values


def diff_instance(before, after, fields: list[str] | None = None) -> dict:
    """{field: [old, new]} for the fields whose value differs between two states.

    `before` and `after` are model instances or `snapshot()` dicts (None for "did not exist");
    values are JSON-safe and sensitive ones masked."""
    model_source = after if isinstance(after, models.Model) else before
    if fields is None and isinstance(model_source, models.Model):
        fields = _field_names(model_source, None)
    old = snapshot(before, fields) if isinstance(before, models.Model) else dict(before or {})
    new = snapshot(after, fields) if isinstance(after, models.Model) else dict(after or {})
    names = fields if fields is not None else sorted(set(old) | set(new))
    changes = {name: [old.get(name), new.get(name)] for name in names
               if _json_safe(old.get(name)) != _json_safe(new.get(name))}
    model = type(model_source) if isinstance(model_source, models.Model) else None
    return mask_changes(model, changes)


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def _request_fields(request) -> dict:
    if request is None:
        return {}
    return {
        "method": (request.method or "")[:8],
        "path": request.get_full_path()[:500] if hasattr(request, "get_full_path") else "",
        "ip": _valid_ip(client_address(request)),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        "request_id": getattr(request, "audit_request_id", "") or "",
    }


def _actor_fields(actor, request) -> dict:
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
    if actor is None or not getattr(actor, "pk", None):
        return {}
    return {"actor": actor, "actor_username": actor.get_username()[:150],
            "actor_organisation_id": getattr(actor, "organisation_id", None)}


def audit_record(*, actor, action: str, obj: models.Model | None = None, changes: dict | None = None,
                 request=None, detail: str = "", **extra) -> AuditLog:
    """Append one audit record. `actor` may be None (then the request's user, if any)."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    request = request if request is not None else current_request()
    fields = {**_actor_fields(actor, request), **_request_fields(request), **extra}
    record = AuditLog(action=action, detail=detail[:500], **fields)
    if obj is not None:
        record.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        record.object_id = str(obj.pk)[:64] if obj.pk is not None else ""
        record.object_repr = str(obj)[:200]
    record.changes = mask_changes(type(obj) if obj is not None else None, changes)
    record.save()
    return record


def audit_deletion(*, actor, obj: models.Model, request=None, detail: str = "") -> AuditLog:
    """Record a deletion; call it before deleting (the object still has its primary key)."""
    return audit_record(actor=actor, action=AuditAction.DELETE, obj=obj, request=request, detail=detail)


def audit_request(*, request, user, status_code: int) -> AuditLog:
    """The middleware's record of one non-safe staff request."""
    match = getattr(request, "resolver_match", None)
    return audit_record(actor=user, action=AuditAction.REQUEST, request=request,
                        status_code=status_code, view_name=(match.view_name if match else "")[:200],
                        detail=f"{request.method} {request.path}"[:500])


# --- Authentication signals (connected in apps.core.menus_ops) -------------------------------

def on_user_logged_in(sender, request, user, **kwargs) -> None:
    if _is_staff_actor(user):
        audit_record(actor=user, action=AuditAction.LOGIN, request=request)


def on_user_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and _is_staff_actor(user):
        audit_record(actor=user, action=AuditAction.LOGOUT, request=request)


def on_user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Failed logins are kept for every account name tried. When the name is a staff account,
    the record points at that account and carries its organisation, so that the account's
    bureau admins see the attempts (the actor stays empty: nobody proved who they were)."""
    from django.contrib.auth import get_user_model

    username = str((credentials or {}).get("username", "") or "")[:150]
    model = get_user_model()
    target = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first() if username else None
    staff_target = target if target is not None and _is_staff_actor(target) else None
    audit_record(actor=None, action=AuditAction.LOGIN_FAILED, request=request, obj=staff_target,
                 actor_username=username,
                 actor_organisation_id=getattr(staff_target, "organisation_id", None))


def _is_staff_actor(user) -> bool:
    return bool(getattr(user, "is_staff_user", False) or getattr(user, "is_staff", False)
                or getattr(user, "is_superuser", False))
