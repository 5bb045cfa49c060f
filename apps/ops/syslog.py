"""Syslog parsing (OPS-11.3): RFC 5424 and RFC 3164 (BSD) messages, as sent over UDP.

    parse_syslog(b"<34>1 2026-11-30T10:00:00Z host app 123 ID47 - message", peer_ip="10.0.0.5")

Messages that follow neither format are still kept: the whole text becomes the message, with the
default priority (user.notice), as RFC 3164 section 4.3.3 tells a relay to do. Key=value pairs in
the message (src=1.2.3.4 dst=… url=… md5=…) become fields, so rules and threat intelligence can
use them.
"""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone as dt_timezone

from django.utils import timezone

MAX_DATAGRAM = 65_507
PRI_RE = re.compile(rb"^<(\d{1,3})>")
RFC5424_RE = re.compile(
    r"^(?P<version>[1-9]\d{0,2}) (?P<timestamp>\S+) (?P<hostname>\S+) (?P<app>\S+) (?P<procid>\S+) "
    r"(?P<msgid>\S+) (?P<sd>-|(?:\[[^\]]*(?:\][^ \[]*)?\])+)(?: (?P<msg>.*))?$", re.S)
RFC3164_RE = re.compile(
    r"^(?P<timestamp>[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) (?P<hostname>\S+) (?P<tag>[^:\[\s]+)"
    r"(?:\[(?P<pid>[^\]]*)\])?:? ?(?P<msg>.*)$", re.S)
SD_ELEMENT_RE = re.compile(r"\[(?P<id>[^\s\]]+)(?P<params>(?: [^=\s\]]+=\"(?:[^\"\\\]]|\\.)*\")*)\]")
SD_PARAM_RE = re.compile(r"([^=\s\]]+)=\"((?:[^\"\\]|\\.)*)\"")
KV_RE = re.compile(r"(?<![\w.])([A-Za-z_][\w.]{0,31})=(\"[^\"]*\"|\S+)")
KV_ALIASES = {"src": "source_ip", "src_ip": "source_ip", "srcip": "source_ip", "sip": "source_ip",
              "dst": "destination_ip", "dst_ip": "destination_ip", "dstip": "destination_ip",
              "dip": "destination_ip", "dpt": "destination_port", "dst_port": "destination_port",
              "dport": "destination_port", "spt": "source_port"}
MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                      "Nov", "Dec"), 1)}


class SyslogError(ValueError):
    """The datagram cannot be a syslog message at all (empty, too long, not text)."""


@dataclass
class SyslogMessage:
    facility: int
    severity: int
    message: str
    hostname: str = ""
    app_name: str = ""
    occurred_at: datetime | None = None
    peer_ip: str | None = None
    fields: dict = field(default_factory=dict)
    format: str = "raw"

    def record(self) -> dict:
        """The flat dict that condition trees and threat intelligence look at."""
        return {"message": self.message, "hostname": self.hostname, "app_name": self.app_name,
                "facility": self.facility, "severity": self.severity, "peer_ip": self.peer_ip, **self.fields}


def _ip_or_none(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip("[]"))) if value else None
    except ValueError:
        return None


def _parse_5424_time(text: str) -> datetime | None:
    if text == "-":
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _parse_3164_time(text: str, now: datetime) -> datetime | None:
    try:
        month, day, clock = MONTHS[text[:3]], int(text[4:6]), text[7:]
        hour, minute, second = (int(x) for x in clock.split(":"))
    except (KeyError, ValueError):
        return None
    local_now = timezone.localtime(now)
    year = local_now.year - (1 if month > local_now.month + 1 else 0)   # a December stamp read in January
    return timezone.make_aware(datetime(year, month, day, hour, minute, second))


def extract_fields(message: str) -> dict:
    found: dict = {}
    for key, raw in KV_RE.findall(message):
        value = raw.strip('"')
        found[KV_ALIASES.get(key.lower(), key.lower())] = value
    for key in ("source_ip", "destination_ip"):
        if key in found and _ip_or_none(found[key]) is None:
            found.pop(key)
        elif key in found:
            found[key] = _ip_or_none(found[key])
    return found


def parse_syslog(data: bytes, *, peer_ip: str | None = None, now: datetime | None = None) -> SyslogMessage:
    if not data or not data.strip():
        raise SyslogError("empty datagram")
    if len(data) > MAX_DATAGRAM:
        raise SyslogError("datagram too long")
    now = now or timezone.now()
    facility, severity = 1, 5
    match = PRI_RE.match(data)
    if match and int(match.group(1)) <= 191:
        pri = int(match.group(1))
        facility, severity = pri >> 3, pri & 7
        data = data[match.end():]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", errors="replace").rstrip("\r\n\x00")
    if "\x00" in text:
        raise SyslogError("binary data")
    result = SyslogMessage(facility=facility, severity=severity, message=text, peer_ip=_ip_or_none(peer_ip))
    if match and (m := RFC5424_RE.match(text)):
        msg = (m.group("msg") or "")
        if msg.startswith("\ufeff"):
            msg = msg[1:]
        result.format, result.message = "rfc5424", msg
        result.hostname = "" if m.group("hostname") == "-" else m.group("hostname")
        result.app_name = "" if m.group("app") == "-" else m.group("app")
        result.occurred_at = _parse_5424_time(m.group("timestamp"))
        for element in SD_ELEMENT_RE.finditer(m.group("sd") or ""):
            for key, value in SD_PARAM_RE.findall(element.group("params")):
                result.fields[f"{element.group('id')}.{key}"] = value.replace('\\"', '"').replace("\\\\", "\\")
        if m.group("msgid") != "-":
            result.fields["msgid"] = m.group("msgid")
    elif m := RFC3164_RE.match(text):
        result.format, result.message = "rfc3164", m.group("msg")
        result.hostname, result.app_name = m.group("hostname"), m.group("tag")
        result.occurred_at = _parse_3164_time(m.group("timestamp"), now)
    result.fields.update(extract_fields(result.message))
    result.hostname, result.app_name = result.hostname[:255], result.app_name[:64]
    return result
