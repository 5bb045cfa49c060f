"""Assets (OPS-3.3, 3.4, 3.7, 5.4): host assets with services, website assets with an HTTP
availability probe, and the import of vulnerability-scan results in the platform's CSV format."""
from __future__ import annotations

import csv
import io
import re
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_deletion, audit_record, diff_instance, snapshot
from apps.ops.models import (
    AlertCategory, AlertOrigin, AssetService, Availability, DiscoverySource, Finding, FindingKind, HostAsset,
    HostCategory, RegistrationStatus, Severity, UsageStatus, WebsiteAsset,
)
from apps.ops.services import require
from apps.ops.services.alerts import alert_raise

TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
WEBSITE_FIELDS = ["name", "url", "framework", "framework_version", "site_title", "usage_status", "responsible",
                  "location", "group", "value"]


def host_asset_save(*, data: dict, services: list[dict] = (), by, instance: HostAsset | None = None) -> HostAsset:
    """Create or update a host asset; `services` replaces its service list."""
    require(by, "ops.manage_assets")
    if data.get("category") not in HostCategory.values:
        raise ValidationError({"category": _("资产类别无效。")})
    for index, service in enumerate(services, 1):
        port = service.get("port")
        if not isinstance(port, int) or not 0 < port < 65536:
            raise ValidationError({"services": _("第 %(n)s 个服务的端口无效。") % {"n": index}})
    with transaction.atomic():
        before = snapshot(instance) if instance else None
        if instance is None:
            instance = HostAsset(**data)
        else:
            for name, value in data.items():
                setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        if services or before is None:
            instance.services.all().delete()
            AssetService.objects.bulk_create([AssetService(asset=instance, ip_address=s.get("ip_address")
                                                           or instance.ip_address, **{k: v for k, v in s.items()
                                                                                      if k != "ip_address"})
                                              for s in services])
        audit_record(actor=by, action=AuditAction.CREATE if before is None else AuditAction.UPDATE, obj=instance,
                     changes=None if before is None else diff_instance(before, instance))
    return instance


def website_save(*, data: dict, hosts=(), by, instance: WebsiteAsset | None = None) -> WebsiteAsset:
    require(by, "ops.manage_assets")
    with transaction.atomic():
        before = snapshot(instance, WEBSITE_FIELDS) if instance else None
        website = instance or WebsiteAsset()
        for name, value in data.items():
            setattr(website, name, value)
        website.full_clean()
        website.save()
        website.hosts.set(list(hosts))
        audit_record(actor=by, action=AuditAction.CREATE if before is None else AuditAction.UPDATE, obj=website,
                     changes=None if before is None else diff_instance(before, website, WEBSITE_FIELDS))
    return website


def website_delete(*, website: WebsiteAsset, by) -> None:
    require(by, "ops.manage_assets")
    with transaction.atomic():
        audit_deletion(actor=by, obj=website)
        website.delete()


def website_probe(*, website: WebsiteAsset) -> WebsiteAsset:
    """GET the site once: status code, latency, title; a site that goes down raises an alert."""
    started = time.monotonic()
    status_code, error, title = None, "", ""
    try:
        response = requests.get(website.url, timeout=settings.OPS_PROBE_TIMEOUT_SECONDS, allow_redirects=True,
                                headers={"User-Agent": "govplatform-ops-probe/1.0"}, stream=True)
        body = response.raw.read(65_536, decode_content=True) or b""
        response.close()
        status_code = response.status_code
        if match := TITLE_RE.search(body):
            title = match.group(1).decode(response.encoding or "utf-8", errors="replace").strip()[:200]
        up = status_code < 500
        if not up:
            error = f"HTTP {status_code}"
    except requests.RequestException as exc:
        up, error = False, type(exc).__name__ + ": " + str(exc)[:200]
    latency = int((time.monotonic() - started) * 1000)
    with transaction.atomic():
        website = WebsiteAsset.objects.select_for_update().get(pk=website.pk)
        was = website.availability
        website.availability = Availability.UP if up else Availability.DOWN
        website.last_probed_at, website.last_status_code = timezone.now(), status_code
        website.last_latency_ms, website.last_error = latency, error[:255]
        if title and not website.site_title:
            website.site_title = title
        website.save(update_fields=["availability", "last_probed_at", "last_status_code", "last_latency_ms",
                                    "last_error", "site_title"])
        if not up and was != Availability.DOWN:
            alert_raise(fingerprint=f"probe:website:{website.pk}", title=_("网站不可访问：%(n)s") % {"n": website.name},
                        origin=AlertOrigin.PROBE, category=AlertCategory.AVAILABILITY, severity=Severity.HIGH,
                        detail=f"{website.url} {error}", rule_name=website.url)
    return website


def websites_probe_all() -> int:
    count = 0
    for website in WebsiteAsset.objects.filter(usage_status=UsageStatus.IN_USE):
        website_probe(website=website)
        count += 1
    return count


# --- scan result import (OPS-3.7, manual template) ----------------------------------------------

IMPORT_COLUMNS = ["ip", "port", "kind", "title", "severity", "cve", "solution"]
SEVERITY_WORDS = {"严重": "critical", "高": "high", "高危": "high", "中": "medium", "中危": "medium", "低": "low",
                  "低危": "low", "信息": "info", **{v: v for v in Severity.values}}
KIND_WORDS = {"漏洞": "vulnerability", "弱口令": "weak_password", "配置核查": "configuration",
              **{v: v for v in FindingKind.values}}


def findings_import(*, content: bytes, source: str, by) -> dict:
    """Import a CSV in the manual template (docs/ops.md). All rows or none: any bad row → a
    ValidationError listing every bad line, nothing written. Unknown IPs become unregistered assets
    discovered by vulnerability scanning."""
    require(by, "ops.add_finding")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("文件必须是 UTF-8 编码的 CSV。")}) from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or [f.strip() for f in reader.fieldnames][:len(IMPORT_COLUMNS)] != IMPORT_COLUMNS:
        raise ValidationError({"file": _("表头必须是：%(c)s") % {"c": ",".join(IMPORT_COLUMNS)}})
    rows, errors = [], []
    for line, row in enumerate(reader, 2):
        try:
            rows.append(_import_row(row))
        except ValidationError as exc:
            errors.append(_("第 %(n)s 行：%(e)s") % {"n": line, "e": "；".join(exc.messages)})
    if errors:
        raise ValidationError({"file": errors})
    if not rows:
        raise ValidationError({"file": _("文件中没有数据行。")})
    created = updated = new_assets = 0
    with transaction.atomic():
        for row in rows:
            asset, made = HostAsset.objects.get_or_create(ip_address=row.pop("ip"), defaults={
                "name": _("漏扫发现主机"), "category": HostCategory.SERVER,
                "registration_status": RegistrationStatus.UNREGISTERED,
                "discovery_source": DiscoverySource.VULNERABILITY})
            new_assets += made
            _finding, was_new = Finding.objects.update_or_create(
                asset=asset, kind=row.pop("kind"), title=row.pop("title"), port=row.pop("port"),
                defaults={**row, "source": source, "imported_by": by, "status": "open"})
            created += was_new
            updated += not was_new
        audit_record(actor=by, action=AuditAction.OTHER, detail=_("导入漏扫结果：新增 %(c)s 条，更新 %(u)s 条")
                     % {"c": created, "u": updated})
    return {"created": created, "updated": updated, "new_assets": new_assets}


def _import_row(row: dict) -> dict:
    import ipaddress

    value = {k: (row.get(k) or "").strip() for k in IMPORT_COLUMNS}
    problems = []
    try:
        ip = str(ipaddress.ip_address(value["ip"]))
    except ValueError:
        problems.append(_("IP 地址无效"))
        ip = None
    port = None
    if value["port"]:
        if not value["port"].isdigit() or not 0 < int(value["port"]) < 65536:
            problems.append(_("端口无效"))
        else:
            port = int(value["port"])
    kind, severity = KIND_WORDS.get(value["kind"]), SEVERITY_WORDS.get(value["severity"].lower())
    if kind is None:
        problems.append(_("类型必须是漏洞、弱口令或配置核查"))
    if severity is None:
        problems.append(_("等级无效"))
    if not value["title"]:
        problems.append(_("缺少名称"))
    if problems:
        raise ValidationError(problems)
    return {"ip": ip, "port": port, "kind": kind, "title": value["title"][:255], "severity": severity,
            "cve": value["cve"][:32], "solution": value["solution"]}


def discovery_window(days: int = 30):
    today = timezone.localdate()
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
