"""SMS writes: send one message, hand-off reminders, and scheduled batch pushes."""
from __future__ import annotations

import json
import logging
from datetime import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.models import SmsMessage, SmsSchedule, SmsScheduleTime
from apps.core.models.sms import SECRET_PLACEHOLDER
from apps.core.outbox import enqueue
from apps.core.validators import validate_mobile_number

logger = logging.getLogger(__name__)

MAX_CONTENT_LENGTH = 500
HANDOFF_TEMPLATE = "您有一件新的待办：{subject}，请及时登录工作门户受理。{url}"
SCHEDULE_TASK = "core.sms_schedule_run"


def sms_send(*, mobile_number: str, content: str, purpose: str, idempotency_key: str,
             recipient=None, secret: str = "") -> SmsMessage:
    """Record one SMS and queue it in the outbox; the same key returns the existing SMS.

    A one-time `secret` (verification code, password link) goes in `content` as "{secret}": it is
    stored encrypted apart from the text and wiped once delivered, so no log shows it."""
    mobile_number = (mobile_number or "").strip()
    validate_mobile_number(mobile_number)
    if not content or not content.strip():
        raise ValidationError({"content": _("短信内容不能为空。")})
    if secret and SECRET_PLACEHOLDER not in content:
        raise ValidationError({"content": _("短信内容缺少验证信息的位置。")})
    if len(content) > MAX_CONTENT_LENGTH:
        raise ValidationError({"content": _("短信内容不能超过 %(n)s 个字。") % {"n": MAX_CONTENT_LENGTH}})
    with transaction.atomic():
        existing = SmsMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing
        sms = SmsMessage.objects.create(recipient=recipient, mobile_number=mobile_number, content=content,
                                        secret=secret, purpose=purpose, idempotency_key=idempotency_key)
        sms.outbox_message = enqueue(peer="sms", kind=purpose, payload={"sms_message_id": sms.pk},
                                     idempotency_key=idempotency_key)
        sms.save(update_fields=["outbox_message"])
    return sms


def sms_notify_handoff(*, recipient, subject: str, url: str, idempotency_key: str) -> SmsMessage | None:
    """PORTAL-10.2: remind a staff member that a case was handed to them (None if no mobile on file)."""
    if not recipient.mobile_number:
        logger.info("No mobile number for %s; hand-off SMS %s skipped.", recipient, idempotency_key)
        return None
    return sms_send(mobile_number=recipient.mobile_number, recipient=recipient, purpose="handoff",
                    content=HANDOFF_TEMPLATE.format(subject=subject, url=url).strip(),
                    idempotency_key=idempotency_key)


# --- scheduled batch pushes (PORTAL-10.1) ---------------------------------------------


def parse_times(text: str) -> list[time]:
    """'08:30, 17:00' → [time(8, 30), time(17, 0)]; malformed or duplicate times are refused."""
    parts = [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    if not parts:
        raise ValidationError(_("请至少填写一个推送时间。"))
    times: list[time] = []
    for part in parts:
        try:
            hour, minute = (int(x) for x in part.split(":"))
            value = time(hour, minute)
        except ValueError:
            raise ValidationError(_("推送时间格式应为 时:分（如 08:30）：%(t)s") % {"t": part}) from None
        if value in times:
            raise ValidationError(_("推送时间重复：%(t)s") % {"t": part})
        times.append(value)
    return sorted(times)


def _validate(*, name: str, times: list[time], digest_kind: str, recipients) -> None:
    from apps.core.sms import get_digest

    errors = {}
    if not name.strip():
        errors["name"] = _("请填写名称。")
    if get_digest(digest_kind) is None:
        errors["digest_kind"] = _("未知的推送内容：%(k)s") % {"k": digest_kind}
    if len(set(times)) != len(times) or not times:
        errors["times"] = _("推送时间不能为空或重复。")
    if not recipients:
        errors["recipients"] = _("请至少选择一名接收人员。")
    elif any(not getattr(user, "is_staff_user", False) for user in recipients):
        errors["recipients"] = _("接收人员必须是政务工作人员。")
    if errors:
        raise ValidationError(errors)


def _check_permission(by, codename: str) -> None:
    if not by.has_perm(f"core.{codename}_smsschedule"):
        raise PermissionDenied(_("您没有管理短信定时推送的权限。"))


def sms_schedule_create(*, name: str, times: list[time], digest_kind: str, recipients, by,
                        enabled: bool = True) -> SmsSchedule:
    _check_permission(by, "add")
    recipients = list(recipients)
    _validate(name=name, times=times, digest_kind=digest_kind, recipients=recipients)
    with transaction.atomic():
        schedule = SmsSchedule.objects.create(name=name.strip(), digest_kind=digest_kind, enabled=enabled,
                                              organisation=getattr(by, "organisation", None), created_by=by)
        schedule.recipients.set(recipients)
        _sync_times(schedule, times)
    return schedule


def sms_schedule_update(*, schedule: SmsSchedule, name: str, times: list[time], digest_kind: str, recipients,
                        by, enabled: bool) -> SmsSchedule:
    _check_permission(by, "change")
    recipients = list(recipients)
    _validate(name=name, times=times, digest_kind=digest_kind, recipients=recipients)
    with transaction.atomic():
        schedule.name, schedule.digest_kind, schedule.enabled = name.strip(), digest_kind, enabled
        schedule.save(update_fields=["name", "digest_kind", "enabled"])
        schedule.recipients.set(recipients)
        _sync_times(schedule, times)
    return schedule


def sms_schedule_delete(*, schedule: SmsSchedule, by) -> None:
    _check_permission(by, "delete")
    with transaction.atomic():
        _sync_times(schedule, [])
        schedule.delete()


def _sync_times(schedule: SmsSchedule, times: list[time]) -> None:
    """One beat PeriodicTask per time of day; removed times lose theirs (beat notices via its signals)."""
    for stale in schedule.times.exclude(time_of_day__in=times).select_related("periodic_task"):
        if stale.periodic_task:
            stale.periodic_task.delete()
        stale.delete()
    for value in times:
        slot, _created = SmsScheduleTime.objects.get_or_create(schedule=schedule, time_of_day=value)
        task = _upsert_periodic_task(schedule, value)
        if slot.periodic_task_id != task.pk:
            slot.periodic_task = task
            slot.save(update_fields=["periodic_task"])


def _upsert_periodic_task(schedule: SmsSchedule, value: time):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(value.minute), hour=str(value.hour), day_of_week="*", day_of_month="*", month_of_year="*",
        timezone=timezone.get_default_timezone_name())
    task, _ = PeriodicTask.objects.update_or_create(
        name=f"sms-schedule-{schedule.pk}-{value:%H%M}",
        defaults={"task": SCHEDULE_TASK, "crontab": crontab, "enabled": schedule.enabled, "queue": "sms",
                  "kwargs": json.dumps({"schedule_id": schedule.pk, "time": f"{value:%H:%M}"}),
                  "description": f"短信定时推送：{schedule.name} {value:%H:%M}"})
    return task


def sms_schedule_run(*, schedule_id: int, time_of_day: str) -> int:
    """Send the digest to each recipient once per (schedule, recipient, date, time); returns SMS queued."""
    from apps.core.sms import get_digest

    schedule = SmsSchedule.objects.filter(pk=schedule_id, enabled=True).first()
    digest = get_digest(schedule.digest_kind) if schedule else None
    if digest is None:
        return 0
    content = digest.build()
    today = timezone.localdate().isoformat()
    sent = 0
    for recipient in schedule.recipients.filter(is_active=True).order_by("pk"):
        if not recipient.mobile_number:
            logger.info("Schedule %s: %s has no mobile number, skipped.", schedule.pk, recipient)
            continue
        key = f"sms-schedule:{schedule.pk}:{recipient.pk}:{today}:{time_of_day}"
        sms_send(mobile_number=recipient.mobile_number, content=content, purpose=f"digest:{digest.kind}",
                 idempotency_key=key, recipient=recipient)
        sent += 1
    return sent

