"""Custom threat intelligence (OPS-3.1): normalise indicators of the nine kinds (IPv4 and IPv6) and
find the indicators an event hits, in one query."""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.ops.models import IndicatorKind, ThreatIndicator
from apps.ops.services import require

DOMAIN_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")
MD5_RE = re.compile(r"^[0-9a-f]{32}$")
IPV4_IN_TEXT = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
IPV6_IN_TEXT = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])")
MD5_IN_TEXT = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32}(?![0-9A-Fa-f])")
URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]+", re.I)
HOST_FIELDS = ("domain", "host", "query", "dns.query", "server_name")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _ip(text: str) -> str:
    return str(ipaddress.ip_address(text.strip("[]")))


def _host_port(host: str, port: int | None) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _split_endpoint(text: str) -> tuple[str, int | None, str]:
    """'host', 'host:port', '[v6]:port', with an optional '/uri' → (host, port, uri)."""
    text = text.strip()
    uri = ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            raise ValueError(text)
        host, rest = text[1:end], text[end + 1:]
    else:
        slash = text.find("/")
        head, uri = (text, "") if slash < 0 else (text[:slash], text[slash:])
        if head.count(":") > 1:          # a bare IPv6 address, no port
            host, rest = head, ""
        else:
            host, _sep, port_text = head.partition(":")
            rest = f":{port_text}" if _sep else ""
        rest = rest + uri
        uri = ""
    port = None
    if rest.startswith(":"):
        digits = re.match(r":(\d{1,5})", rest)
        if not digits:
            raise ValueError(text)
        port, rest = int(digits.group(1)), rest[digits.end():]
        if not 0 < port < 65536:
            raise ValueError(text)
    uri = rest
    if uri and not uri.startswith("/"):
        raise ValueError(text)
    return host.lower(), port, uri


def normalise_indicator(kind: str, value: str) -> str:
    """The stored form of an indicator, or ValidationError naming what is wrong."""
    raw = (value or "").strip()
    if not raw:
        raise ValidationError({"value": _("请填写情报值。")})
    if kind not in IndicatorKind.values:
        raise ValidationError({"kind": _("不支持的情报类型。")})
    if kind == IndicatorKind.MD5:
        if not MD5_RE.match(raw.lower()):
            raise ValidationError({"value": _("MD5 必须是 32 位十六进制数。")})
        return raw.lower()
    if "://" in raw:
        raw = raw.split("://", 1)[1]
    try:
        host, port, uri = _split_endpoint(raw)
    except ValueError:
        raise ValidationError({"value": _("“%(v)s”格式不正确。") % {"v": value}}) from None
    wants_ip = kind.startswith("ip")
    try:
        host = _ip(host) if wants_ip else host
    except ValueError:
        raise ValidationError({"value": _("“%(h)s”不是有效的 IP 地址。") % {"h": host}}) from None
    if not wants_ip and not DOMAIN_RE.match(host):
        raise ValidationError({"value": _("“%(h)s”不是有效的域名。") % {"h": host}})
    needs_port, needs_uri = "port" in kind, kind.endswith("uri")
    if needs_port != (port is not None):
        raise ValidationError({"value": _("该类型%(x)s端口。") % {"x": _("需要") if needs_port else _("不应包含")}})
    if needs_uri != bool(uri and uri != "/"):
        raise ValidationError({"value": _("该类型%(x)s URI。") % {"x": _("需要") if needs_uri else _("不应包含")}})
    base = _host_port(host, port) if needs_port else host
    return f"{base}{uri}" if needs_uri else base


def event_candidates(record: dict) -> set[tuple[str, str]]:
    """Every (kind, normalised value) an event could hit."""
    found: set[tuple[str, str]] = set()
    text = str(record.get("message") or "")
    ips = {record.get("source_ip"), record.get("destination_ip")}
    ips.update(IPV4_IN_TEXT.findall(text))
    ips.update(c for c in IPV6_IN_TEXT.findall(text) if c.count(":") >= 2)
    for candidate in ips:
        try:
            found.add((IndicatorKind.IP, _ip(candidate))) if candidate else None
        except ValueError:
            pass
    dst, dport = record.get("destination_ip"), record.get("destination_port")
    if dst and str(dport or "").isdigit():
        try:
            found.add((IndicatorKind.IP_PORT, _host_port(_ip(dst), int(dport))))
        except ValueError:
            pass
    for md5 in MD5_IN_TEXT.findall(text) + [str(record.get("md5") or "")]:
        if MD5_RE.match(md5.lower()):
            found.add((IndicatorKind.MD5, md5.lower()))
    for name in HOST_FIELDS:
        host = str(record.get(name) or "").lower().rstrip(".")
        if DOMAIN_RE.match(host):
            found.add((IndicatorKind.DOMAIN, host))
    urls = URL_IN_TEXT.findall(text) + ([record["url"]] if record.get("url") else [])
    for url in urls:
        found |= _url_candidates(str(url))
    return found


def _url_candidates(url: str) -> set[tuple[str, str]]:
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        host, port = (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(parts.scheme, 80)
    except ValueError:
        return set()
    uri = parts.path if parts.path not in ("", "/") else ""
    try:
        host, is_ip = _ip(host), True
    except ValueError:
        is_ip = False
        if not DOMAIN_RE.match(host):
            return set()
    k = (IndicatorKind.IP, IndicatorKind.IP_PORT, IndicatorKind.IP_URI, IndicatorKind.IP_PORT_URI) if is_ip else (
        IndicatorKind.DOMAIN, IndicatorKind.DOMAIN_PORT, IndicatorKind.DOMAIN_URI, IndicatorKind.DOMAIN_PORT_URI)
    endpoint = _host_port(host, port)
    found = {(k[0], host), (k[1], endpoint)}
    if uri:
        found |= {(k[2], f"{host}{uri}"), (k[3], f"{endpoint}{uri}")}
    return found


def indicators_hit(record: dict) -> list[ThreatIndicator]:
    candidates = event_candidates(record)
    if not candidates:
        return []
    rows = ThreatIndicator.objects.filter(is_enabled=True, value__in={v for _k, v in candidates})
    hits = [row for row in rows if (row.kind, row.value) in candidates]
    if hits:
        ThreatIndicator.objects.filter(pk__in=[h.pk for h in hits]).update(hit_count=F("hit_count") + 1,
                                                                           last_hit_at=timezone.now())
    return hits


def indicator_create(*, kind: str, value: str, by, severity: str = "high", is_compromise: bool = False,
                     description: str = "") -> ThreatIndicator:
    require(by, "ops.add_threatindicator")
    normalised = normalise_indicator(kind, value)
    with transaction.atomic():
        if ThreatIndicator.objects.filter(kind=kind, value=normalised).exists():
            raise ValidationError({"value": _("该情报已存在。")})
        indicator = ThreatIndicator.objects.create(kind=kind, value=normalised, severity=severity,
                                                   is_compromise=is_compromise, description=description)
        audit_record(actor=by, action=AuditAction.CREATE, obj=indicator)
    return indicator


def indicator_delete(*, indicator: ThreatIndicator, by) -> None:
    from apps.core.audit import audit_deletion

    require(by, "ops.delete_threatindicator")
    with transaction.atomic():
        audit_deletion(actor=by, obj=indicator)
        indicator.delete()
