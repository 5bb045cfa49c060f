"""Alerts (告警): raise or repeat one, classify its direction, notify its recipients by SMS (outbox)."""
from __future__ import annotations

import ipaddress
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.sms import sms_send
from apps.ops.models import Alert, AlertStatus, Direction

logger = logging.getLogger(__name__)
ALERT_SMS = "【安全运维】{severity}告警：{title}（{source}），请登录工作门户处置。"


def _networks():
    return [ipaddress.ip_network(n.strip(), strict=False) for n in settings.OPS_INTERNAL_NETWORKS if n.strip()]


def is_internal(ip: str | None) -> bool | None:
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    return any(address.version == n.version and address in n for n in _networks())


def direction_of(source_ip: str | None, destination_ip: str | None) -> str:
    src, dst = is_internal(source_ip), is_internal(destination_ip)
    if src is False and dst is True:
        return Direction.INBOUND
    if src is True and dst is False:
        return Direction.OUTBOUND
    if src is True and dst is True:
        return Direction.LATERAL
    if src is False and dst is False:
        return Direction.EXTERNAL
    if src is False:          # an outside source hitting a host that logged it
        return Direction.INBOUND
    return Direction.UNKNOWN


def alert_raise(*, fingerprint: str, title: str, origin: str, category: str, severity: str,
                source_ip: str | None = None, destination_ip: str | None = None, direction: str | None = None,
                outcome: str = "attempt", detail: str = "", rule_name: str = "", event=None, recipients=(),
                repeat_within: timedelta | None = None) -> tuple[Alert, bool]:
    """Open an alert, or count a repeat on the open alert with the same fingerprint (seen within
    `repeat_within` if given). A new alert sends one SMS to each recipient with a mobile number."""
    from apps.ops.models import HostAsset

    now = timezone.now()
    with transaction.atomic():
        open_alerts = Alert.objects.select_for_update().filter(fingerprint=fingerprint).exclude(
            status=AlertStatus.CLOSED)
        if repeat_within is not None:
            open_alerts = open_alerts.filter(last_seen_at__gte=now - repeat_within)
        existing = open_alerts.order_by("-last_seen_at").first()
        if existing:
            existing.count += 1
            existing.last_seen_at = now
            existing.save(update_fields=["count", "last_seen_at"])
            return existing, False
        asset = None
        for ip in (destination_ip, source_ip):
            if ip and is_internal(ip):
                asset = HostAsset.objects.filter(ip_address=ip).first()
                if asset:
                    break
        alert = Alert.objects.create(
            fingerprint=fingerprint[:128], title=title[:200], origin=origin, category=category, severity=severity,
            source_ip=source_ip, destination_ip=destination_ip,
            direction=direction or direction_of(source_ip, destination_ip), outcome=outcome, detail=detail,
            rule_name=rule_name[:200], event=event, asset=asset, first_seen_at=now, last_seen_at=now,
            created_at=now)
        _notify(alert, recipients)
    return alert, True


def _notify(alert: Alert, recipients) -> None:
    text = ALERT_SMS.format(severity=alert.get_severity_display(), title=alert.title[:40],
                            source=alert.source_ip or alert.rule_name or "-")
    for user in recipients:
        if not getattr(user, "mobile_number", ""):
            logger.info("No mobile number for %s; alert %s SMS skipped.", user, alert.pk)
            continue
        sms_send(mobile_number=user.mobile_number, recipient=user, purpose="ops_alert", content=text[:300],
                 idempotency_key=f"ops:alert:{alert.pk}:user:{user.pk}")


def alert_close(*, alert: Alert, by, comment: str = "") -> Alert:
    from apps.core.audit import AuditAction, audit_record
    from apps.core.workflow import record_transition
    from apps.ops.services import require

    require(by, "ops.change_alert")
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.status == AlertStatus.CLOSED:
            return alert
        previous = alert.status
        alert.status = AlertStatus.CLOSED
        alert.save(update_fields=["status"])
        record_transition(obj=alert, from_state=previous, to_state=alert.status, actor=by, action="close",
                          comment=comment)
        audit_record(actor=by, action=AuditAction.UPDATE, obj=alert, changes={"status": [previous, alert.status]})
    return alert
