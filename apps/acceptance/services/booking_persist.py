"""The persister's fast path: a batch of admitted booking requests decided with a FIXED number of
statements, whatever the batch size (docs/decisions/0412-acceptance-bulk-persister.md).

The per-request path (booking_queue._decide: a savepoint, `write_booking`, the kernel's `sms_send`
— about 16 statements per request) stays as the fallback. Here, inside ONE transaction:

1. read: the slots (hall, matter), users, active blacklist entries, group quotas of every slot,
   message templates, live bookings of the batch's bookers on the batch's slots;
2. lock the counter rows — slots by id, then group usage rows by (group, date, period) — with
   `SELECT … FOR UPDATE` (the synchronous path also takes the slot first, then its groups by id,
   so there is no lock cycle);
3. decide each request in stream order in Python with the exact rules of the synchronous path
   (slot open and not started, blacklist, one live booking per slot and booker, the slot's capacity
   and every group quota, all or nothing);
4. write: appointments, their history rows, SMS + outbox rows (bulk inserts), the new counter
   values (one UPDATE per counter table), the BookingRequest rows.

The CHECK constraints on the counters and the partial unique index on (slot, booker) stay the
backstop: if any statement fails (e.g. the synchronous path booked the same booker on the same
slot in between), the whole batch rolls back and the caller decides it through the per-request path.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from apps.acceptance.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    BlacklistEntry,
    BlacklistStatus,
    BookingRequest,
    BookingRequestState,
    MatterGroupQuota,
    Slot,
    SlotKind,
)
from apps.acceptance.services import booking
from apps.core.crypto import decrypt

CONFIRMED, REFUSED = BookingRequestState.CONFIRMED, BookingRequestState.REFUSED

_LOCK_SLOTS = "SELECT id, capacity, booked_count FROM acceptance_slot WHERE id = ANY(%s) ORDER BY id FOR UPDATE"
_ENSURE_USAGE = ("INSERT INTO acceptance_mattergroupusage (group_id, date, period_start, period_end, quota, "
                 "booked_count) SELECT * FROM unnest(%s::int[], %s::date[], %s::time[], %s::time[], %s::int[], "
                 "%s::int[]) ON CONFLICT (group_id, date, period_start, period_end) DO NOTHING")
_LOCK_USAGE = ("SELECT u.id, u.group_id, u.date, u.period_start, u.period_end, u.booked_count, u.quota "
               "FROM acceptance_mattergroupusage u JOIN unnest(%s::int[], %s::date[], %s::time[], %s::time[]) "
               "AS k(g, d, s, e) ON u.group_id = k.g AND u.date = k.d AND u.period_start = k.s "
               "AND u.period_end = k.e ORDER BY u.group_id, u.date, u.period_start, u.period_end FOR UPDATE OF u")
_SET_SLOTS = ("UPDATE acceptance_slot s SET booked_count = v.n FROM unnest(%s::int[], %s::int[]) AS v(id, n) "
              "WHERE s.id = v.id")
_SET_USAGE = ("UPDATE acceptance_mattergroupusage u SET booked_count = v.n "
              "FROM unnest(%s::int[], %s::int[]) AS v(id, n) WHERE u.id = v.id")


def quotas_for(slots) -> dict[int, list[tuple[int, int]]]:
    """(group id, quota) of every group quota covering each slot, in lock order: one query."""
    wanted = {(s.bookable_matter_id, s.period_start, s.period_end) for s in slots}
    found: dict[tuple, list] = {}
    for matter_id, group_id, start, end, quota in (MatterGroupQuota.objects.filter(
            group__members__in={m for m, _s, _e in wanted}).order_by("group_id")
            .values_list("group__members", "group_id", "period_start", "period_end", "quota")):
        if (matter_id, start, end) in wanted:
            found.setdefault((matter_id, start, end), []).append((group_id, quota))
    return {s.pk: found.get((s.bookable_matter_id, s.period_start, s.period_end), []) for s in slots}


def persist_batch_bulk(entries, *, refusal_message) -> tuple[list[tuple], set]:
    """Decide `entries` (distinct, none decided before) in the caller's transaction; returns
    ([(entry, state, code, True)], ids of the bookable matters that got a booking). Raises
    IntegrityError when a backstop fires (the caller rolls back to its savepoint)."""
    from apps.identity.models import User

    slots = Slot.objects.select_related("hall", "bookable_matter__matter").in_bulk({e.slot_id for e in entries})
    users = User.objects.in_bulk({e.user_id for e in entries})
    digests = {e.digest for e in entries}
    barred = set(BlacklistEntry.objects.filter(id_number_digest__in=digests, status=BlacklistStatus.ACTIVE,
                                               ends_at__gt=timezone.now()).values_list("id_number_digest", flat=True))
    held = set(Appointment.objects.filter(slot_id__in=list(slots), id_number_digest__in=digests,
                                          status__in=ACTIVE_STATUSES).values_list("slot_id", "id_number_digest"))
    quotas = quotas_for(slots.values())
    rules = _day_rules(slots.values())
    counters = _lock_counters(slots, quotas)
    templates = {}
    for slot in slots.values():
        if slot.hall.notify_by_sms and slot.hall_id not in templates:
            templates[slot.hall_id] = booking.message_template(slot.hall)
    decided, granted = [], []
    for entry in entries:
        state, code, reason = _decide(entry, slots.get(entry.slot_id), rules, barred, held, quotas, counters,
                                      refusal_message)
        decided.append((entry, state, code, reason))
        if state == CONFIRMED:
            granted.append(entry)
    appointments = _write_appointments(granted, slots, users, templates)
    _write_counters(counters)
    BookingRequest.objects.bulk_create([
        BookingRequest(request_id=e.request_id, user_id=e.user_id if e.user_id in users else None, slot_id=e.slot_id,
                       state=state, code=code, reason=reason[:255], appointment=appointments.get(e.request_id),
                       admitted_at=datetime.fromtimestamp(e.admitted_at, tz=UTC))
        for e, state, code, reason in decided if e.slot_id in slots])
    return [(e, state, code, True) for e, state, code, _reason in decided], {s.bookable_matter_id for s in (
        slots[e.slot_id] for e in granted)}


def _lock_counters(slots: dict, quotas: dict) -> dict:
    """Lock the batch's counter rows (slots by id, then group usage rows) and read their values."""
    counters = {"slot": {}, "group": {}, "dirty": set()}
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_SLOTS, [sorted(slots)])
        for slot_id, capacity, booked in cursor.fetchall():
            counters["slot"][slot_id] = [capacity, booked]
        keys = sorted({(g, s.date, s.period_start, s.period_end, q) for s in slots.values()
                       for g, q in quotas[s.pk]})
        if keys:
            columns = [list(c) for c in zip(*keys)]
            cursor.execute(_ENSURE_USAGE, [*columns, [0] * len(keys)])
            cursor.execute(_LOCK_USAGE, columns[:4])
            for usage_id, group_id, day, start, end, booked, quota in cursor.fetchall():
                counters["group"][(group_id, day, start, end)] = [usage_id, booked, quota]
    return counters


def _day_rules(slots) -> dict:
    """Day rules per hall over the batch's dates (cached per range, apps/acceptance/caching.py)."""
    from apps.acceptance.services.calendar import day_rules

    halls: dict[int, tuple] = {}
    for slot in slots:
        hall, first, last = halls.get(slot.hall_id, (slot.hall, slot.date, slot.date))
        halls[slot.hall_id] = (hall, min(first, slot.date), max(last, slot.date))
    return {pk: day_rules(hall, first, last) for pk, (hall, first, last) in halls.items()}


def _decide(entry, slot, rules: dict, barred: set, held: set, quotas: dict, counters: dict, refusal_message):
    """(state, code, reason) of one request; takes the places in `counters` when confirmed."""
    if slot is None:
        return REFUSED, "missing", refusal_message("missing")
    try:
        booking.check_slot_bookable_day(slot, rule=rules[slot.hall_id].get(slot.date))
        if timezone.make_aware(datetime.combine(slot.date, slot.period_start)) <= timezone.now():
            raise ValidationError(booking.PAST_MESSAGE, code="past")
    except ValidationError as exc:
        return REFUSED, exc.code or "closed", exc.messages[0]
    if entry.digest in barred:
        return REFUSED, "blacklisted", refusal_message("blacklisted")
    if (slot.pk, entry.digest) in held:
        return REFUSED, "duplicate", refusal_message("duplicate")
    capacity, booked = counters["slot"][slot.pk]
    if booked >= capacity:
        return REFUSED, "full", refusal_message("full")
    group_rows = []
    for group_id, quota in quotas[slot.pk]:
        row = counters["group"][(group_id, slot.date, slot.period_start, slot.period_end)]
        if quota <= 0 or row[1] >= row[2]:         # the row's quota, as the synchronous upsert checks it
            return REFUSED, "group_full", refusal_message("group_full")
        group_rows.append(row)
    counters["slot"][slot.pk][1] += 1
    counters["dirty"].add(("slot", slot.pk))
    for row in group_rows:
        row[1] += 1
        counters["dirty"].add(("group", row[0]))
    held.add((slot.pk, entry.digest))
    return CONFIRMED, "", ""


def _write_appointments(granted: list, slots: dict, users: dict, templates: dict) -> dict:
    """Appointments, their history rows and booking SMS (+ outbox rows), in bulk; request id → appointment."""
    from apps.core.workflow import _actor_name

    by_request = {}
    for entry in granted:
        slot = slots[entry.slot_id]
        name, mobile, id_number, channel = json.loads(decrypt(entry.payload))
        by_request[entry.request_id] = Appointment(
            appointment_number=booking._number(slot.date), user=users.get(entry.user_id), slot=slot, hall=slot.hall,
            bookable_matter=slot.bookable_matter, date=slot.date, period_start=slot.period_start,
            period_end=slot.period_end, channel=channel, is_extended_service=slot.kind == SlotKind.EXTENDED_SERVICE,
            booker_name=name, mobile_number=mobile, id_number=id_number)
    if not by_request:
        return {}
    Appointment.objects.bulk_create(by_request.values())
    from apps.core.models import StateTransition

    content_type = ContentType.objects.get_for_model(Appointment)
    StateTransition.objects.bulk_create([
        StateTransition(content_type=content_type, object_id=str(a.pk), from_state="", to_state=AppointmentStatus.BOOKED,
                        action="book", actor=a.user, actor_name=_actor_name(a.user))
        for a in by_request.values()])
    _write_sms([a for a in by_request.values() if a.hall.notify_by_sms], templates)
    return by_request


def _write_sms(appointments: list, templates: dict) -> None:
    """The booking SMS of each appointment, as the kernel's `sms_send` writes it (SMS row + outbox
    row, dispatched after commit) — three statements for the batch instead of eight per SMS."""
    if not appointments:
        return
    from apps.core.models import OutboxMessage, SmsMessage
    from apps.core.outbox import dispatch

    messages = SmsMessage.objects.bulk_create([
        SmsMessage(recipient=a.user, mobile_number=a.mobile_number, purpose="appointment",
                   content=booking.notification_content(a, templates.get(a.hall_id, "")),
                   idempotency_key=booking.notification_key(a)) for a in appointments])
    outbox = OutboxMessage.objects.bulk_create([
        OutboxMessage(peer="sms", kind="appointment", payload={"sms_message_id": m.pk},
                      idempotency_key=m.idempotency_key) for m in messages])
    for message, row in zip(messages, outbox):
        message.outbox_message = row
    SmsMessage.objects.bulk_update(messages, ["outbox_message"])
    ids = [row.pk for row in outbox]
    transaction.on_commit(lambda: [dispatch(pk, "sms") for pk in ids])


def _write_counters(counters: dict) -> None:
    slots = [(pk, counters["slot"][pk][1]) for kind, pk in counters["dirty"] if kind == "slot"]
    rows = {row[0]: row[1] for row in counters["group"].values()}
    groups = [(pk, rows[pk]) for kind, pk in counters["dirty"] if kind == "group"]
    with connection.cursor() as cursor:
        if slots:
            cursor.execute(_SET_SLOTS, [list(c) for c in zip(*slots)])
        if groups:
            cursor.execute(_SET_USAGE, [list(c) for c in zip(*groups)])
