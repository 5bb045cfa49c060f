"""The appointment engine: book, cancel, no-shows, blacklist (R7 – R18, R21).

Races are settled in PostgreSQL (docs/decisions/0400-acceptance-appointment-engine.md): a booking
is one short transaction of conditional counter updates,

    UPDATE slot  SET booked_count = booked_count + 1 WHERE id = … AND booked_count < capacity
    UPDATE usage SET booked_count = booked_count + 1 WHERE … AND booked_count < quota   (per group)

Each UPDATE takes the row lock; a waiting transaction re-checks the WHERE clause on the
committed row, so the last place goes to exactly one booker and every other gets 0 rows →
a clear "full" answer. Any refusal raises inside the transaction, which rolls back every
counter touched. Locks are always taken slot first, then group rows in id order: no deadlock.
"""
from __future__ import annotations

import secrets
import string
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.acceptance import caching
from apps.acceptance.models import (
    Appointment,
    AppointmentStatus,
    BlacklistEntry,
    BlacklistRule,
    BlacklistStatus,
    BookableMatter,
    Channel,
    MatterGroupQuota,
    MatterGroupUsage,
    NoShowPeriod,
    Slot,
    SlotKind,
)
from apps.acceptance.services import booking_gate
from apps.acceptance.services.calendar import MANAGE_PERMISSION, day_rule
from apps.core.crypto import keyed_digest
from apps.core.scope import can_see
from apps.core.services.audit import audit_record
from apps.core.validators import validate_id_number, validate_mobile_number
from apps.core.workflow import record_transition

MAX_CANCELLATIONS_PER_DAY = 3
_ALPHABET = string.digits + string.ascii_uppercase


class SlotFull(ValidationError):
    """The slot or a matter-group quota has no place left."""


def _number(day) -> str:
    return f"YY{day:%Y%m%d}" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def _validate_booker(*, booker_name: str, mobile_number: str, id_number: str) -> dict:
    errors = {}
    if not (booker_name or "").strip():
        errors["booker_name"] = _("请填写预约人姓名。")
    for key, value, validator in (("mobile_number", mobile_number, validate_mobile_number),
                                  ("id_number", id_number, validate_id_number)):
        if not (value or "").strip():
            errors[key] = _("请填写联系方式。") if key == "mobile_number" else _("请填写身份证号码。")
            continue
        try:
            validator(value.strip())
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {"booker_name": booker_name.strip(), "mobile_number": mobile_number.strip(),
            "id_number": id_number.strip().upper()}


def active_blacklist_entry(id_number_digest: str) -> BlacklistEntry | None:
    """The entry barring this applicant now; an entry past its end no longer bars (automatic release)."""
    return (BlacklistEntry.objects.filter(id_number_digest=id_number_digest, status=BlacklistStatus.ACTIVE,
                                          ends_at__gt=timezone.now()).order_by("-ends_at").first())


def _check_slot_open(slot: Slot) -> None:
    start = timezone.make_aware(datetime.combine(slot.date, slot.period_start))
    check_slot_bookable_day(slot)
    if start <= timezone.now():
        raise ValidationError(PAST_MESSAGE, code="past")


PAST_MESSAGE = gettext_lazy("该时间段已开始或已过去，不能预约。")


def check_slot_bookable_day(slot: Slot, rule=None) -> None:
    """Hall and matter open for booking and the day rule allows the slot's kind (R2, R5, R6); `rule`:
    the slot's day rule when the caller read a range of them at once."""
    hall = slot.hall
    if not (hall.booking_enabled and hall.is_active and slot.bookable_matter.is_active):
        raise ValidationError(_("该大厅或事项暂未开放预约。"), code="closed")
    rule = rule or day_rule(hall, slot.date)
    if not rule.allows(slot.kind if slot.kind == SlotKind.EXTENDED_SERVICE else SlotKind.PRIORITY_HANDLING):
        raise ValidationError(_("%(d)s 不可预约（%(labels)s）。")
                              % {"d": slot.date, "labels": "、".join(rule.labels) or _("非办公日")})


_TAKE_SLOT_SQL = ("UPDATE acceptance_slot SET booked_count = booked_count + 1 "
                  "WHERE id = %s AND booked_count < capacity RETURNING booked_count")
# The group's counter row for the date and period: created on first use with this booking counted,
# else counted if under the quota. ON CONFLICT … DO UPDATE locks the row and re-checks the WHERE on
# its latest version, like the slot UPDATE, so the quota is never exceeded.
_TAKE_GROUP_SQL = ("INSERT INTO acceptance_mattergroupusage (group_id, date, period_start, period_end, quota, "
                   "booked_count) VALUES (%s, %s, %s, %s, %s, 1) "
                   "ON CONFLICT (group_id, date, period_start, period_end) DO UPDATE "
                   "SET booked_count = acceptance_mattergroupusage.booked_count + 1 "
                   "WHERE acceptance_mattergroupusage.booked_count < acceptance_mattergroupusage.quota "
                   "RETURNING booked_count")


def group_quotas(slot: Slot) -> list[tuple[int, int]]:
    """(group id, quota) of every matter-group quota covering the slot's period, in lock order."""
    return list(MatterGroupQuota.objects.filter(group__members=slot.bookable_matter_id,
                                                period_start=slot.period_start, period_end=slot.period_end)
                .order_by("group_id").values_list("group_id", "quota"))


def _take_places(slot: Slot, quotas: list[tuple[int, int]]) -> None:
    """Consume one place of the slot and of every group quota covering it, or raise SlotFull.
    One statement per counter row; slot first, then groups by id (no deadlock)."""
    with connection.cursor() as cursor:
        cursor.execute(_TAKE_SLOT_SQL, [slot.pk])
        if cursor.fetchone() is None:
            raise SlotFull(_("该时间段号源已约满，请选择其他时间段。"), code="full")
        for group_id, quota in quotas:
            if quota <= 0:
                raise SlotFull(_("该时间段所在事项组的号源已约满，请选择其他时间段。"), code="group_full")
            cursor.execute(_TAKE_GROUP_SQL, [group_id, slot.date, slot.period_start, slot.period_end, quota])
            if cursor.fetchone() is None:
                raise SlotFull(_("该时间段所在事项组的号源已约满，请选择其他时间段。"), code="group_full")


def _release_places(appointment: Appointment) -> None:
    Slot.objects.filter(pk=appointment.slot_id, booked_count__gt=0).update(booked_count=F("booked_count") - 1)
    group_ids = MatterGroupQuota.objects.filter(
        group__members=appointment.bookable_matter_id, period_start=appointment.period_start,
        period_end=appointment.period_end).values("group_id")
    MatterGroupUsage.objects.filter(group_id__in=group_ids, date=appointment.date,
                                    period_start=appointment.period_start, period_end=appointment.period_end,
                                    booked_count__gt=0).update(booked_count=F("booked_count") - 1)
    caching.listing_forget_on_commit(appointment.bookable_matter_id)


def _bookable_slot(slot: Slot) -> Slot:
    """The slot with hall and matter loaded (one query, skipped when the caller loaded them)."""
    if Slot.hall.is_cached(slot) and Slot.bookable_matter.is_cached(slot) \
            and BookableMatter.matter.is_cached(slot.bookable_matter):
        return slot
    return Slot.objects.select_related("hall", "bookable_matter__matter").get(pk=slot.pk)


def appointment_book(*, slot: Slot, actor, booker_name: str, mobile_number: str, id_number: str,
                     channel: str = Channel.PC, notify: bool = True) -> Appointment:
    """Book one place of `slot` for the applicant (R7 – R11, R21). Refusals raise ValidationError
    with a Chinese message and write nothing.

    Everything that does not contend is read before the transaction (open day, blacklist, group
    quotas, message template); inside it the rows of this booking are written first and the hot
    counter rows are taken LAST, so their locks are held only for the counter statements and the
    commit (docs/decisions/0403-acceptance-booking-performance.md)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录后再预约。"))
    data = _validate_booker(booker_name=booker_name, mobile_number=mobile_number, id_number=id_number)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("未知的预约渠道。")})
    slot = _bookable_slot(slot)
    _check_slot_open(slot)
    digest = keyed_digest(data["id_number"])
    if active_blacklist_entry(digest):
        raise ValidationError(_("您因多次失约已被列入预约黑名单，限制期内不能预约。"), code="blacklisted")
    quotas = group_quotas(slot)
    template = message_template(slot.hall) if notify and slot.hall.notify_by_sms else ""
    try:
        with transaction.atomic():
            appointment = write_booking(slot=slot, actor=actor, data=data, channel=channel, notify=notify,
                                        template=template, quotas=quotas)
            caching.listing_forget_on_commit(slot.bookable_matter_id)
            transaction.on_commit(lambda: booking_gate.slot_changed(slot.pk))
    except IntegrityError:
        raise ValidationError(DUPLICATE_MESSAGE, code="duplicate") from None
    return appointment


DUPLICATE_MESSAGE = gettext_lazy("您已预约该时间段，请勿重复预约。")


def write_booking(*, slot: Slot, actor, data: dict, channel: str, notify: bool, template: str,
                  quotas: list[tuple[int, int]]) -> Appointment:
    """The rows of one booking, counters last (inside the caller's transaction): appointment,
    history, SMS + outbox, then the slot and group counters (SlotFull / IntegrityError propagate)."""
    appointment = Appointment.objects.create(
        appointment_number=_number(slot.date), user=actor, slot=slot, hall=slot.hall,
        bookable_matter=slot.bookable_matter, date=slot.date, period_start=slot.period_start,
        period_end=slot.period_end, channel=channel,
        is_extended_service=slot.kind == SlotKind.EXTENDED_SERVICE, **data)
    record_transition(obj=appointment, from_state="", to_state=AppointmentStatus.BOOKED, actor=actor,
                      action="book")
    if notify:
        _notify(appointment, template)
    _take_places(slot, quotas)
    return appointment


def _notify(appointment: Appointment, template: str = "") -> None:
    """R21 / ACC-1.6: booker, hall, matter, time, transport and tips by SMS (hall setting)."""
    if not appointment.hall.notify_by_sms:
        return
    from apps.core.sms import sms_send

    sms_send(mobile_number=appointment.mobile_number, content=notification_content(appointment, template),
             purpose="appointment", idempotency_key=notification_key(appointment), recipient=appointment.user)


def notification_key(appointment: Appointment) -> str:
    return f"acceptance:appointment:{appointment.appointment_number}:booked"


def notification_content(appointment: Appointment, template: str = "") -> str:
    """The booking SMS text: the hall's template (or the default) with the booking's values."""
    hall = appointment.hall
    values = {
        "name": appointment.booker_name, "hall": hall.name, "matter": appointment.bookable_matter.matter.name,
        "date": f"{appointment.date:%Y-%m-%d}", "period": appointment.period_label,
        "number": appointment.appointment_number, "transport": hall.transport_info or _("详见大厅介绍"),
        "tips": hall.booking_tips or _("请携带身份证件按时到达。"),
    }
    content = template or _("{name}您好，您已预约{hall}办理“{matter}”，时间{date} {period}，预约编号"
                                           "{number}。交通：{transport}。温馨提示：{tips}")
    for key, value in values.items():
        content = content.replace("{" + key + "}", value)
    return content[:500]


def message_template(hall) -> str:
    """ACC-16.12: the enabled 预约成功通知 template of the hall's region (or a region above it), else a shared one."""
    from django.db.models import Q

    from apps.acceptance.models import MessageTemplate, MessageType

    ancestors = {hall.region_id} | {hall.region_id[:n].ljust(12, "0") for n in (2, 4, 6, 9)}
    candidates = list(MessageTemplate.objects.filter(message_type=MessageType.APPOINTMENT_BOOKED, is_enabled=True)
                      .filter(Q(region__in=ancestors) | Q(is_shared=True)).select_related("region"))
    regional = sorted((t for t in candidates if t.region_id in ancestors), key=lambda t: (-t.region.level, -t.pk))
    shared = sorted((t for t in candidates if t.region_id not in ancestors), key=lambda t: -t.pk)
    chosen = (regional or shared or [None])[0]
    return chosen.content if chosen else ""


def _local_day_bounds(now):
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def appointment_cancel(*, appointment: Appointment, actor) -> Appointment:
    """R13 / R14: only before the appointment day, only before check-in, at most 3 a day per applicant."""
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        is_owner = actor.is_authenticated and appointment.user_id == actor.pk
        if not is_owner and not (actor.has_perm(MANAGE_PERMISSION) and can_see(actor, appointment.hall)):
            raise PermissionDenied(_("您不能取消他人的预约。"))
        if appointment.status != AppointmentStatus.BOOKED:
            raise ValidationError(_("只有已预约且未签到取号的预约可以取消。"))
        now = timezone.now()
        if timezone.localdate(now) >= appointment.date:
            raise ValidationError(_("预约当天及之后不能取消预约。"))
        # Serialise this applicant's cancellations so two tabs cannot both take the 3rd place.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int(appointment.id_number_digest[:15], 16)])
        start, end = _local_day_bounds(now)
        done = Appointment.objects.filter(id_number_digest=appointment.id_number_digest,
                                          status=AppointmentStatus.CANCELLED,
                                          cancelled_at__gte=start, cancelled_at__lt=end).count()
        if done >= MAX_CANCELLATIONS_PER_DAY:
            raise ValidationError(_("每天最多取消 %(n)s 次预约，今天已达上限。") % {"n": MAX_CANCELLATIONS_PER_DAY},
                                  code="cancel_limit")
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.save(update_fields=["status", "cancelled_at"])
        _release_places(appointment)
        record_transition(obj=appointment, from_state=AppointmentStatus.BOOKED, to_state=AppointmentStatus.CANCELLED,
                          actor=actor, action="cancel")
        slot_id, digest = appointment.slot_id, appointment.id_number_digest
        transaction.on_commit(lambda: booking_gate.slot_changed(slot_id, released_digest=digest))
    return appointment


def appointments_close_day(*, today=None) -> dict:
    """R15: after the appointment day, unchecked bookings become no-shows, attended ones fulfilled;
    then the blacklist rules run for every applicant with a new no-show (Celery beat, nightly)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        past = Appointment.objects.select_for_update().filter(date__lt=today)
        fulfilled = past.filter(status__in=[AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN]).update(
            status=AppointmentStatus.FULFILLED)
        no_show_rows = list(past.filter(status=AppointmentStatus.BOOKED).values_list("pk", "id_number_digest"))
        Appointment.objects.filter(pk__in=[pk for pk, _digest in no_show_rows]).update(
            status=AppointmentStatus.NO_SHOW)
        blacklisted = 0
        for digest in sorted({digest for _pk, digest in no_show_rows}):
            if blacklist_evaluate(id_number_digest=digest, today=today):
                blacklisted += 1
    return {"fulfilled": fulfilled, "no_show": len(no_show_rows), "blacklisted": blacklisted}


def _period_start(rule: BlacklistRule, today):
    if rule.no_show_period == NoShowPeriod.CALENDAR_MONTH:
        return (today - timedelta(days=1)).replace(day=1)     # the month of the day just closed
    return today - timedelta(days=rule.no_show_period_days)


def blacklist_evaluate(*, id_number_digest: str, today=None) -> BlacklistEntry | None:
    """Apply the active rules (R16, R17). No-shows already counted by an earlier entry don't count again."""
    today = today or timezone.localdate()
    if active_blacklist_entry(id_number_digest):
        return None
    last = BlacklistEntry.objects.filter(id_number_digest=id_number_digest).order_by("-starts_at").first()
    for rule in BlacklistRule.objects.filter(is_active=True).order_by("pk"):
        no_shows = Appointment.objects.filter(id_number_digest=id_number_digest, status=AppointmentStatus.NO_SHOW,
                                              date__gte=_period_start(rule, today), date__lt=today)
        if last:
            no_shows = no_shows.filter(date__gte=timezone.localdate(last.starts_at))
        count = no_shows.count()
        if count >= rule.no_show_count:
            latest = no_shows.order_by("-date").first()
            now = timezone.now()
            entry = BlacklistEntry.objects.create(
                id_number_digest=id_number_digest, booker_name=latest.booker_name, user=latest.user, rule=rule,
                no_show_count=count, starts_at=now, ends_at=now + timedelta(days=rule.restriction_days))
            transaction.on_commit(lambda e=entry: booking_gate.blacklist_put(e.id_number_digest, e.ends_at))
            return entry
    return None


def blacklist_release_expired() -> int:
    """Mark entries past their end as released (booking already ignores them: release is automatic)."""
    return BlacklistEntry.objects.filter(status=BlacklistStatus.ACTIVE, ends_at__lte=timezone.now()).update(
        status=BlacklistStatus.RELEASED)


def blacklist_revoke(*, entry: BlacklistEntry, actor, reason: str) -> BlacklistEntry:
    """R18: an administrator lifts a blacklisting for a special case; the reason is required."""
    if not actor.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied(_("您没有撤销黑名单的权限。"))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写撤销原因。")})
    with transaction.atomic():
        entry = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status != BlacklistStatus.ACTIVE:
            raise ValidationError(_("该黑名单记录已解除或已撤销。"))
        entry.status = BlacklistStatus.REVOKED
        entry.revoked_by, entry.revoked_at, entry.revoke_reason = actor, timezone.now(), reason.strip()
        entry.save(update_fields=["status", "revoked_by", "revoked_at", "revoke_reason"])
        audit_record(actor=actor, action="update", obj=entry, detail=_("撤销黑名单：%(r)s") % {"r": entry.revoke_reason})
        transaction.on_commit(lambda: booking_gate.blacklist_remove(entry.id_number_digest))
    return entry
