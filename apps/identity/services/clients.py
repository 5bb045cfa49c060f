"""Management of integrated applications (对接应用管理, IDN-13.5): add, modify, delete, reset
secrets. Each client system keeps its OIDC application (oauth2_provider) in step."""
from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oauth2_provider.models import get_application_model

from apps.core.audit import audit_record
from apps.identity.models import ClientSystem, ClientSystemKind
from apps.identity.models.sso import CLAIM_CHOICES

FIELDS = ("name", "owner", "kind", "region", "service_url", "allowed_claims", "min_real_name_level", "for_staff",
          "is_enabled", "logout_url")


def _check(actor, action: str) -> None:
    if not actor.has_perm(f"identity.{action}_clientsystem"):
        raise PermissionDenied(_("您没有管理对接应用的权限。"))


def _validate(data: dict, *, instance: ClientSystem | None) -> None:
    errors = {}
    code = data.get("code", instance.code if instance else "")
    if not instance and (not code or ClientSystem.objects.filter(code=code).exists()):
        errors["code"] = _("应用标识为空或已存在。")
    if "name" in data and not (data["name"] or "").strip():
        errors["name"] = _("请填写应用名称。")
    if "kind" in data and data["kind"] not in ClientSystemKind.values:
        errors["kind"] = _("请选择应用类别。")
    claims = {c for c, _label in CLAIM_CHOICES}
    if "allowed_claims" in data and not set(data["allowed_claims"]) <= claims:
        errors["allowed_claims"] = _("包含未知的用户信息项。")
    if "min_real_name_level" in data and int(data["min_real_name_level"]) not in (0, 1, 2, 3):
        errors["min_real_name_level"] = _("实名等级须为 0–3。")
    if errors:
        raise ValidationError(errors)


def client_system_create(*, data: dict, redirect_uris: str = "", actor) -> ClientSystem:
    _check(actor, "add")
    _validate(data, instance=None)
    with transaction.atomic():
        application = get_application_model().objects.create(
            name=data["name"][:255], client_id=f"hlj-{data['code']}", client_type="confidential",
            authorization_grant_type="authorization-code", client_secret=secrets.token_urlsafe(32),
            redirect_uris=redirect_uris, skip_authorization=True, algorithm="RS256")
        client = ClientSystem.objects.create(code=data["code"], client_id=application.client_id,
                                             **{k: data[k] for k in FIELDS if k in data})
        audit_record(actor=actor, action="create", obj=client, detail="新增对接应用")
    return client


def client_system_update(*, client: ClientSystem, data: dict, redirect_uris: str | None = None,
                         actor) -> ClientSystem:
    _check(actor, "change")
    _validate(data, instance=client)
    with transaction.atomic():
        changes = {}
        for key in FIELDS:
            if key in data and getattr(client, key) != data[key]:
                changes[key] = [str(getattr(client, key)), str(data[key])]
                setattr(client, key, data[key])
        client.save()
        application = client.application
        if application is not None and redirect_uris is not None:
            application.redirect_uris = redirect_uris
            application.name = client.name[:255]
            application.save(update_fields=["redirect_uris", "name"])
        audit_record(actor=actor, action="update", obj=client, changes=changes, detail="修改对接应用")
    return client


def client_system_reset_secrets(*, client: ClientSystem, actor) -> dict:
    """New OIDC client secret and ticket secret; shown to the administrator once."""
    _check(actor, "change")
    oidc_secret, ticket_secret = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with transaction.atomic():
        application = client.application
        if application is not None:
            application.client_secret = oidc_secret
            application.save()
        client.ticket_secret = ticket_secret
        client.save(update_fields=["ticket_secret", "updated_at"])
        audit_record(actor=actor, action="update", obj=client, detail="重置对接应用密钥")
    return {"client_id": client.client_id, "client_secret": oidc_secret, "ticket_secret": ticket_secret}


def client_system_delete(*, client: ClientSystem, actor) -> None:
    _check(actor, "delete")
    with transaction.atomic():
        audit_record(actor=actor, action="delete", obj=client, detail="删除对接应用")
        application = client.application
        client.delete()
        if application is not None:
            application.delete()
