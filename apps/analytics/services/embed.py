"""Embed clients of the visualisation invocation interface (ANA-0.1): registration, keys, authentication.

A client gets one random key, shown once; only its keyed SM3 digest is stored. A call names the key
(header X-Embed-Key, or ?key= in an iframe URL) and a chart; it is refused unless the client is enabled
and granted that chart. The embed page may be framed only by the client's registered origin."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.analytics.charts import CHARTS
from apps.analytics.models import DataLogKind, EmbedClient, EmbedClientKind, VisitChannel
from apps.analytics.services.logs import data_log_write
from apps.core.audit import AuditAction, audit_record, diff_instance, snapshot
from apps.core.crypto import digest_key, hmac_sm3_hex

KEY_PREFIX = "ana_"


class EmbedRefused(Exception):
    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.message, self.status = message, status


def key_digest(key: str) -> str:
    return hmac_sm3_hex(digest_key(), key.encode())


def normalise_origin(value: str) -> str:
    """'https://host[:port]' of a URL, or ValidationError."""
    parts = urlsplit((value or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") or parts.query:
        raise ValidationError({"origin": _("请填写嵌入页面的来源，如 https://zwfw.hlj.gov.cn（不含路径）。")})
    return f"{parts.scheme}://{parts.netloc.lower()}"


def _can_manage(actor, region) -> bool:
    if actor.is_superuser or getattr(actor, "is_system_admin", False):
        return True
    organisation = getattr(actor, "organisation", None)
    return organisation is not None and organisation.is_region_wide and region.code.startswith(organisation.region.prefix)


def _validate(*, name, kind, origin, region, allowed_charts, may_report_visits, visit_channel) -> dict:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("请填写系统名称。")
    if kind not in EmbedClientKind.values:
        errors["kind"] = _("系统类型无效。")
    try:
        origin = normalise_origin(origin)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    charts = [str(c) for c in (allowed_charts or [])]
    unknown = [c for c in charts if c not in CHARTS]
    if unknown:
        errors["allowed_charts"] = _("没有编号为 %(codes)s 的分析图。") % {"codes": "、".join(unknown)}
    if region is None:
        errors["region"] = _("请选择数据区划。")
    if may_report_visits and visit_channel not in VisitChannel.values:
        errors["visit_channel"] = _("可上报访问量的系统须选择访问量渠道。")
    if errors:
        raise ValidationError(errors)
    return {"name": name.strip(), "kind": kind, "origin": origin, "region": region,
            "allowed_charts": sorted(set(charts), key=lambda c: list(CHARTS).index(c)),
            "may_report_visits": bool(may_report_visits), "visit_channel": visit_channel if may_report_visits else ""}


def new_key() -> tuple[str, str, str]:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[:8], key_digest(key)


def embed_client_register(*, actor, name: str, kind: str, origin: str, region, allowed_charts: list[str],
                          may_report_visits: bool = False, visit_channel: str = "") -> tuple[EmbedClient, str]:
    """Register a client; returns it and its key (shown once)."""
    if not actor.has_perm("analytics.add_embedclient"):
        raise PermissionDenied(_("您没有登记嵌入客户端的权限。"))
    data = _validate(name=name, kind=kind, origin=origin, region=region, allowed_charts=allowed_charts,
                     may_report_visits=may_report_visits, visit_channel=visit_channel)
    if not _can_manage(actor, region):
        raise PermissionDenied(_("只能为本级及下级区划登记嵌入客户端。"))
    key, prefix, digest = new_key()
    with transaction.atomic():
        client = EmbedClient.objects.create(**data, key_prefix=prefix, key_digest=digest, created_by=actor)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=client, detail=_("登记嵌入客户端“%(name)s”") % data)
        data_log_write(kind=DataLogKind.OPERATION, operator=actor, summary=_("登记嵌入客户端“%(name)s”") % data,
                       detail={"client": client.pk, "origin": client.origin, "charts": client.allowed_charts})
    return client, key


def embed_client_update(*, actor, client: EmbedClient, **fields) -> EmbedClient:
    if not actor.has_perm("analytics.change_embedclient") or not _can_manage(actor, client.region):
        raise PermissionDenied(_("您没有修改此嵌入客户端的权限。"))
    current = {k: getattr(client, k) for k in ("name", "kind", "origin", "region", "allowed_charts",
                                                "may_report_visits", "visit_channel")}
    data = _validate(**{**current, **fields})
    if not _can_manage(actor, data["region"]):
        raise PermissionDenied(_("只能为本级及下级区划登记嵌入客户端。"))
    with transaction.atomic():
        before = snapshot(client, list(data))
        for name, value in data.items():
            setattr(client, name, value)
        client.save(update_fields=list(data))
        changes = diff_instance(before, client, list(data))
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=client, changes=changes)
        data_log_write(kind=DataLogKind.OPERATION, operator=actor, summary=_("修改嵌入客户端“%(name)s”") % data,
                       detail={"client": client.pk, "changes": list(changes)})
    return client


def embed_client_set_enabled(*, actor, client: EmbedClient, enabled: bool) -> EmbedClient:
    if not actor.has_perm("analytics.change_embedclient") or not _can_manage(actor, client.region):
        raise PermissionDenied(_("您没有修改此嵌入客户端的权限。"))
    with transaction.atomic():
        client.is_enabled = bool(enabled)
        client.save(update_fields=["is_enabled"])
        summary = (_("启用嵌入客户端“%(name)s”") if enabled else _("停用嵌入客户端“%(name)s”")) % {"name": client.name}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=client, changes={"is_enabled": [not enabled, enabled]})
        data_log_write(kind=DataLogKind.OPERATION, operator=actor, summary=summary, detail={"client": client.pk})
    return client


def embed_client_rotate_key(*, actor, client: EmbedClient) -> str:
    if not actor.has_perm("analytics.change_embedclient") or not _can_manage(actor, client.region):
        raise PermissionDenied(_("您没有修改此嵌入客户端的权限。"))
    key, prefix, digest = new_key()
    with transaction.atomic():
        client.key_prefix, client.key_digest = prefix, digest
        client.save(update_fields=["key_prefix", "key_digest"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=client, detail=_("重置嵌入客户端密钥"))
        data_log_write(kind=DataLogKind.OPERATION, operator=actor, detail={"client": client.pk},
                       summary=_("重置嵌入客户端“%(name)s”的密钥") % {"name": client.name})
    return key


def embed_client_authenticate(key: str | None) -> EmbedClient:
    """The enabled client holding `key`, or EmbedRefused (401)."""
    key = (key or "").strip()
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        raise EmbedRefused(_("缺少有效的嵌入密钥。"), 401)
    client = EmbedClient.objects.select_related("region").filter(key_digest=key_digest(key)).first()
    if client is None or not client.is_enabled:
        raise EmbedRefused(_("嵌入密钥无效或客户端已停用。"), 401)
    return client


def embed_chart_check(client: EmbedClient, code: str) -> None:
    if code not in CHARTS:
        raise EmbedRefused(_("没有此分析图。"), 404)
    if code not in (client.allowed_charts or []):
        raise EmbedRefused(_("该客户端未获授权调取此分析图。"), 403)
