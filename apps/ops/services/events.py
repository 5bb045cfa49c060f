"""Log ingestion (OPS-2.4, 2.5, 3.1, 3.9, 11.3): one received record → filter rules → log type →
stored event → keyword rules, threat intelligence and correlation rules → alerts.

    event = event_ingest(message=parse_syslog(datagram, peer_ip=ip))   # None when a filter dropped it
"""
from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.ops.conditions import matches, validate_condition
from apps.ops.models import (
    AlertCategory, AlertOrigin, CorrelationRule, Direction, FilterAction, FilterRule, KeywordRule, LogEvent,
    LogType, Outcome, StorageMethod,
)
from apps.ops.services import require
from apps.ops.services.alerts import alert_raise
from apps.ops.services.intel import indicators_hit
from apps.ops.syslog import SyslogMessage

CORRELATION_SCAN_LIMIT = 1000
EVENT_COLUMNS = ("source_ip", "destination_ip", "hostname", "app_name")


def _first(rules, record):
    return next((rule for rule in rules if matches(rule.condition, record)), None)


def event_ingest(*, message: SyslogMessage, protocol: str = "syslog") -> LogEvent | None:
    """Store one record and run the detections on it; None when a filter rule dropped it."""
    record = message.record()
    filter_rule = _first(FilterRule.objects.filter(is_enabled=True), record)
    with transaction.atomic():
        if filter_rule is not None:
            FilterRule.objects.filter(pk=filter_rule.pk).update(hit_count=F("hit_count") + 1)
            if filter_rule.action == FilterAction.DROP:
                return None
        log_type = _first(LogType.objects.filter(is_enabled=True), record)
        event = LogEvent.objects.create(
            occurred_at=message.occurred_at, peer_ip=message.peer_ip, source_ip=record.get("source_ip"),
            destination_ip=record.get("destination_ip"), hostname=message.hostname, app_name=message.app_name,
            facility=message.facility, severity=message.severity, message=message.message[:8000],
            fields=message.fields, log_type=log_type, protocol=protocol)
        _keyword_alerts(event, record)
        _intel_alerts(event, record)
        _correlation_alerts(event, record)
        if log_type is not None and log_type.storage_method == StorageMethod.ARCHIVE:
            # archive types keep counts and alerts, not the searchable row
            LogEvent.objects.filter(pk=event.pk).update(message=event.message[:200], fields={})
    return event


def _keyword_alerts(event: LogEvent, record: dict) -> None:
    text = (event.message or "").lower()
    for rule in KeywordRule.objects.filter(is_enabled=True).prefetch_related("recipients"):
        keyword = next((k for k in rule.keyword_list if k.lower() in text), None)
        if keyword is None:
            continue
        origin_host = event.hostname or event.peer_ip or "-"
        alert_raise(fingerprint=f"keyword:{rule.pk}:{origin_host}:{keyword}"[:128],
                    title=f"{rule.name}：{keyword}", origin=AlertOrigin.KEYWORD, category=rule.category,
                    severity=rule.severity, source_ip=event.source_ip or event.peer_ip,
                    destination_ip=event.destination_ip, detail=event.message[:2000], rule_name=rule.name,
                    event=event, recipients=list(rule.recipients.all()))


def _intel_alerts(event: LogEvent, record: dict) -> None:
    for indicator in indicators_hit(record):
        hit_value = indicator.value
        hit_is_destination = bool(event.destination_ip and event.destination_ip in hit_value) or (
            not event.source_ip or event.source_ip not in hit_value)
        outcome = Outcome.COMPROMISED if indicator.is_compromise and hit_is_destination else Outcome.ATTEMPT
        alert_raise(fingerprint=f"intel:{indicator.pk}:{event.source_ip or event.peer_ip or '-'}"[:128],
                    title=_("威胁情报命中：%(v)s") % {"v": indicator.value}, origin=AlertOrigin.INTEL,
                    category=AlertCategory.INTEL, severity=indicator.severity, source_ip=event.source_ip,
                    destination_ip=event.destination_ip, outcome=outcome, detail=event.message[:2000],
                    rule_name=f"{indicator.get_kind_display()} {indicator.value}", event=event)


def _group_value(event: LogEvent, field: str):
    return getattr(event, field) if field in EVENT_COLUMNS else event.fields.get(field)


def _sequence_satisfied(steps: list, records: list[dict]) -> bool:
    position = 0
    for record in records:
        if position < len(steps) and matches(steps[position], record):
            position += 1
    return position == len(steps)


def _as_record(row: LogEvent) -> dict:
    return {"message": row.message, "hostname": row.hostname, "app_name": row.app_name, "facility": row.facility,
            "severity": row.severity, "peer_ip": row.peer_ip, "source_ip": row.source_ip,
            "destination_ip": row.destination_ip, **row.fields}


def _correlation_alerts(event: LogEvent, record: dict) -> None:
    for rule in CorrelationRule.objects.filter(is_enabled=True):
        key = _group_value(event, rule.group_by)
        if key in (None, "") or not matches(rule.condition, record) and not (
                rule.sequence and matches(rule.sequence[-1], record)):
            continue
        since = event.received_at - timedelta(seconds=rule.window_seconds)
        window = LogEvent.objects.filter(received_at__gte=since, received_at__lte=event.received_at)
        window = (window.filter(**{rule.group_by: key}) if rule.group_by in EVENT_COLUMNS
                  else window.filter(fields__contains={rule.group_by: key}))
        rows = [_as_record(r) for r in window.order_by("received_at", "pk")[:CORRELATION_SCAN_LIMIT]]
        count = sum(1 for r in rows if matches(rule.condition, r))
        if count < rule.threshold:
            continue
        if rule.sequence and not (matches(rule.sequence[-1], record) and _sequence_satisfied(rule.sequence, rows)):
            continue
        outcome = Outcome.SUCCESS if rule.sequence else Outcome.ATTEMPT
        alert_raise(fingerprint=f"correlation:{rule.pk}:{key}"[:128], title=f"{rule.name}（{key}）",
                    origin=AlertOrigin.CORRELATION, category=rule.category, severity=rule.severity,
                    source_ip=event.source_ip, destination_ip=event.destination_ip, outcome=outcome,
                    detail=_("%(window)s 秒内 %(count)s 条匹配事件") % {"window": rule.window_seconds, "count": count},
                    rule_name=rule.name, event=event, repeat_within=timedelta(seconds=rule.window_seconds))


# --- rule maintenance (API and admin go through these) -----------------------------------------

RULE_MODELS = {"filter": FilterRule, "logtype": LogType, "correlation": CorrelationRule}


def _validate_rule(kind: str, data: dict) -> None:
    validate_condition(data.get("condition") or {})
    if kind == "correlation":
        if not data.get("condition") and not data.get("sequence"):
            raise ValidationError({"condition": _("关联规则至少需要一个事件条件。")})
        for step in data.get("sequence") or []:
            validate_condition(step, depth=1, path=_("顺序条件"))
        if int(data.get("threshold") or 0) < 1 or int(data.get("window_seconds") or 0) < 1:
            raise ValidationError({"threshold": _("次数阈值和时间窗口必须大于 0。")})


def rule_save(*, kind: str, data: dict, by, instance=None):
    """Create or update a filter rule, log type or correlation rule after validating its conditions."""
    model = RULE_MODELS[kind]
    require(by, "ops.manage_security_rules")
    merged = {**({f.name: getattr(instance, f.name) for f in model._meta.concrete_fields} if instance else {}),
              **data}
    try:
        _validate_rule(kind, merged)
    except ValidationError as exc:
        raise ValidationError({"condition": exc.messages}) if not hasattr(exc, "error_dict") else exc
    with transaction.atomic():
        if instance is None:
            instance = model.objects.create(**data)
            audit_record(actor=by, action=AuditAction.CREATE, obj=instance)
        else:
            for name, value in data.items():
                setattr(instance, name, value)
            instance.save(update_fields=list(data))
            audit_record(actor=by, action=AuditAction.UPDATE, obj=instance, changes={k: [None, v] for k, v in
                                                                                      data.items()})
    return instance


def log_retention_purge(*, now=None) -> int:
    """Delete the events each log type no longer keeps; untyped events follow the longest retention."""
    now = now or timezone.now()
    deleted = 0
    for log_type in LogType.objects.all():
        count, _rows = LogEvent.objects.filter(
            log_type=log_type, received_at__lt=now - timedelta(days=log_type.retention_days)).delete()
        deleted += count
    longest = max(LogType.objects.values_list("retention_days", flat=True), default=180)
    count, _rows = LogEvent.objects.filter(log_type__isnull=True,
                                           received_at__lt=now - timedelta(days=longest)).delete()
    return deleted + count


__all__ = ["event_ingest", "rule_save", "log_retention_purge", "Direction"]
