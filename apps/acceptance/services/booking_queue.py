"""Queued booking ("ticket grabbing", ACC-4.1 – 4.3): admit in Redis, persist in batches.

`booking_request_submit` validates the booker, asks the Redis gate (services/booking_gate.py) for a
place and answers at once: queued (排队确认中, with a request id), or refused with the clear reason
("约满", "事项组约满", blacklisted, duplicate …) — no database statement either way. With Redis
unreachable it books through the synchronous `appointment_book` instead (confirmed or refused).

`booking_queue_drain` (Celery task `acceptance.booking_persist`, kicked by the first admission after
the queue went idle and by beat) reads the stream through the consumer group `persisters`,
re-claims entries another consumer left pending (XAUTOCLAIM), and decides each batch in ONE
transaction with the exact checks of the synchronous path (slot open, blacklist, the conditional
counter UPDATEs, the one-booking-per-slot unique index) — one savepoint per request, so a refusal
rolls back only its own rows. Every decision is a `BookingRequest` row (unique request id), so an
entry delivered twice is decided once. After the commit the gate is settled and the entries acked.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance import caching
from apps.acceptance.models import (
    Appointment,
    BlacklistEntry,
    BlacklistStatus,
    BookingRequest,
    BookingRequestState,
    Channel,
    Slot,
)
from apps.acceptance.services import booking, booking_gate, booking_persist
from apps.acceptance.services.booking_gate import (
    STREAM_GROUP,
    GateUnavailable,
    Unavailable,
)
from apps.core.crypto import decrypt, encrypt, keyed_digest

logger = logging.getLogger(__name__)
BATCH = 200
CLAIM_IDLE_MS = 30_000
DRAIN_SECONDS = 50


@dataclass
class BookingTicket:
    """What the booker is told: queued (request id), confirmed (appointment) or refused (reason)."""

    state: str
    request_id: str = ""
    appointment: Appointment | None = None
    code: str = ""
    message: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        return BookingRequestState(self.state).label


def _refusal_message(code: str, detail: str = "") -> str:
    return {
        "full": _("该时间段号源已约满，请选择其他时间段。"),
        "group_full": _("该时间段所在事项组的号源已约满，请选择其他时间段。"),
        "past": str(booking.PAST_MESSAGE),
        "blacklisted": _("您因多次失约已被列入预约黑名单，限制期内不能预约。"),
        "duplicate": str(booking.DUPLICATE_MESSAGE),
        "missing": _("号源不存在。"),
    }.get(code) or detail or _("该大厅或事项暂未开放预约。")


# --- Submit ---------------------------------------------------------------------------------------

_CHANNELS = frozenset(Channel.values)       # Channel.values builds a new list on every access

def booking_request_submit(*, slot_id: int, actor, booker_name: str, mobile_number: str, id_number: str,
                           channel: str = Channel.PC) -> BookingTicket:
    """Admit or refuse one booking request at once. Refusals raise (SlotFull for 约满, else
    ValidationError; Slot.DoesNotExist for an unknown slot); nothing is written anywhere."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录后再预约。"))
    data = booking._validate_booker(booker_name=booker_name, mobile_number=mobile_number, id_number=id_number)
    if channel not in _CHANNELS:
        raise ValidationError({"channel": _("未知的预约渠道。")})
    request_id = secrets.token_hex(12)
    payload = encrypt(json.dumps([data["booker_name"], data["mobile_number"], data["id_number"], channel]))
    try:
        outcome, kick = booking_gate.admit(slot_id=slot_id, digest=keyed_digest(data["id_number"]),
                                           request_id=request_id, user_id=actor.pk, payload=payload)
    except Unavailable as exc:
        booking_gate.mark_down(exc)
        return _book_synchronously(slot_id, actor, data, channel)
    except GateUnavailable:
        return _book_synchronously(slot_id, actor, data, channel)
    if outcome == "ok":
        if kick:
            kick_persister()
        return BookingTicket(state=BookingRequestState.QUEUED, request_id=request_id)
    if outcome == "missing":
        raise Slot.DoesNotExist
    if outcome in ("full", "group_full"):
        raise booking.SlotFull(_refusal_message(outcome), code=outcome)
    detail = ""
    if outcome == "closed":
        detail = _closed_message(slot_id)
    raise ValidationError(_refusal_message(outcome, detail), code=outcome)


def _closed_message(slot_id: int) -> str:
    try:
        return booking_gate.client().hget(booking_gate.prefix() + f"s:{slot_id}", "msg") or ""
    except (GateUnavailable, *Unavailable):
        return ""


def _book_synchronously(slot_id: int, actor, data: dict, channel: str) -> BookingTicket:
    """Redis is down: today's synchronous path, PostgreSQL only (decision 0405)."""
    slot = Slot.objects.select_related("hall", "bookable_matter__matter").get(pk=slot_id)
    appointment = booking.appointment_book(slot=slot, actor=actor, channel=channel, **data)
    return BookingTicket(state=BookingRequestState.CONFIRMED, appointment=appointment)


def kick_persister() -> None:
    """Start a drain now (the gate lets one kick through per idle period); beat is the safety net."""
    from apps.acceptance.tasks import booking_persist

    try:
        booking_persist.delay()
    except Exception:
        logger.warning("booking persister not kicked; beat will drain the queue", exc_info=True)


def booking_request_status(*, request_id: str, user) -> BookingTicket | None:
    """The state of one of `user`'s requests: decided (row in PostgreSQL) or still queued (Redis)."""
    row = (BookingRequest.objects.select_related("appointment__hall", "appointment__bookable_matter__matter")
           .filter(request_id=request_id, user=user).first())
    if row is not None:
        return BookingTicket(state=row.state, request_id=row.request_id, appointment=row.appointment, code=row.code,
                             message=row.reason)
    try:
        owner = booking_gate.client().hget(booking_gate.prefix() + f"r:{request_id}", "u")
    except (GateUnavailable, *Unavailable):
        owner = None
    if owner is not None and owner == str(user.pk):
        return BookingTicket(state=BookingRequestState.QUEUED, request_id=request_id)
    return None


# --- Persist --------------------------------------------------------------------------------------

@dataclass
class _Entry:
    entry_id: str
    request_id: str
    slot_id: int
    user_id: int
    digest: str
    groups: str
    admitted_at: float
    payload: str


def _decode(entry_id: str, fields: dict) -> _Entry:
    return _Entry(entry_id=entry_id, request_id=fields["rid"], slot_id=int(fields["sid"]),
                  user_id=int(fields["uid"]), digest=fields["dg"], groups=fields.get("g", ""),
                  admitted_at=float(fields["at"]), payload=fields["d"])


def ensure_group(c) -> None:
    try:
        c.xgroup_create(booking_gate.stream_key(), STREAM_GROUP, id="0", mkstream=True)
    except Exception as exc:
        if "BUSYGROUP" not in str(exc):
            raise


def consumer_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def read_batch(c, *, consumer: str, count: int = BATCH, claim_idle_ms: int = CLAIM_IDLE_MS,
               block_ms: int | None = None) -> tuple[list, int]:
    """Entries abandoned by a consumer for `claim_idle_ms` first (re-claimed), else new ones (waiting
    up to `block_ms` for them)."""
    key = booking_gate.stream_key()
    result = c.xautoclaim(key, STREAM_GROUP, consumer, claim_idle_ms, start_id="0-0", count=count)
    claimed = result[1]
    # entries deleted while pending: listed apart (Redis 7) or with no fields (Redis 6.2) — just ack them
    deleted = list(result[2]) if len(result) > 2 else []
    deleted += [i for i, f in claimed if not f]
    if deleted:
        c.xack(key, STREAM_GROUP, *deleted)
    entries = [(i, f) for i, f in claimed if f]
    if entries:
        return entries, len(entries)
    fresh = c.xreadgroup(STREAM_GROUP, consumer, {key: ">"}, count=count, block=block_ms)
    return (fresh[0][1] if fresh else []), 0


def booking_queue_drain(*, consumer: str | None = None, batch: int = BATCH, claim_idle_ms: int = CLAIM_IDLE_MS,
                        max_batches: int | None = None, max_seconds: float = DRAIN_SECONDS,
                        idle_ms: int = 0) -> dict:
    """Decide queued requests in batches until the queue is empty (or the limits are reached)."""
    totals = {"confirmed": 0, "refused": 0, "already_decided": 0, "reclaimed": 0, "batches": 0}
    try:
        c = booking_gate.client()
        ensure_group(c)
    except (GateUnavailable, *Unavailable):
        return totals
    consumer = consumer or consumer_name()
    deadline = time.monotonic() + max_seconds
    while max_batches is None or totals["batches"] < max_batches:
        if time.monotonic() > deadline:
            kick_persister()            # hand over to a fresh task instead of holding the worker
            break
        entries, reclaimed = read_batch(c, consumer=consumer, count=batch, claim_idle_ms=claim_idle_ms)
        if not entries:
            # the next admission kicks a new drain; one more (short blocking) read catches what came meanwhile,
            # so a steady trickle of requests keeps this drain alive instead of one task message per request
            c.delete(booking_gate.prefix() + "kick")
            entries, reclaimed = read_batch(c, consumer=consumer, count=batch, claim_idle_ms=claim_idle_ms,
                                            block_ms=idle_ms or None)
            if not entries:
                break
        totals["reclaimed"] += reclaimed
        decided = persist_batch([_decode(i, f) for i, f in entries])
        settle_batch(c, decided)
        totals["batches"] += 1
        for _entry, state, code, fresh in decided:
            if not fresh:
                totals["already_decided"] += 1
            else:
                totals[state] += 1
    return totals


def persist_batch(entries: list[_Entry]) -> list[tuple[_Entry, str, str, bool]]:
    """ONE transaction for the batch; returns (entry, state, code, decided now) per entry."""
    from apps.identity.models import User

    with transaction.atomic():
        known = {rid: (state, code) for rid, state, code in BookingRequest.objects.filter(
            request_id__in=[e.request_id for e in entries]).values_list("request_id", "state", "code")}
        new = list({e.request_id: e for e in entries if e.request_id not in known}.values())
        fast = _persist_fast(new)
        if fast is not None:                              # the usual case: a fixed number of statements
            results, matters = fast
            for matter_id in matters:
                caching.listing_forget_on_commit(matter_id)
            fresh = {id(e) for e, *_ in results}
            known.update({e.request_id: (state, code) for e, state, code, _f in results})
            return results + [(e, *known[e.request_id], False) for e in entries if id(e) not in fresh]
        slots = Slot.objects.select_related("hall", "bookable_matter__matter").in_bulk({e.slot_id for e in new})
        users = User.objects.in_bulk({e.user_id for e in new})
        barred = set(BlacklistEntry.objects.filter(
            id_number_digest__in={e.digest for e in new}, status=BlacklistStatus.ACTIVE,
            ends_at__gt=timezone.now()).values_list("id_number_digest", flat=True))
        context = {"quotas": {}, "templates": {}, "matters": set()}
        rows, results = [], []
        for entry in new:
            if entry.request_id in known:                 # the same request twice in one batch
                continue
            state, code, reason, appointment = _decide(entry, slots.get(entry.slot_id), users.get(entry.user_id),
                                                       entry.digest in barred, context)
            known[entry.request_id] = (state, code)
            rows.append(BookingRequest(
                request_id=entry.request_id, user_id=entry.user_id if entry.user_id in users else None,
                slot_id=entry.slot_id, state=state, code=code, reason=reason[:255], appointment=appointment,
                admitted_at=datetime.fromtimestamp(entry.admitted_at, tz=UTC)))
            results.append((entry, state, code, True))
        BookingRequest.objects.bulk_create([r for r in rows if r.slot_id in slots])
        for matter_id in context["matters"]:
            caching.listing_forget_on_commit(matter_id)
    fresh = {id(e) for e, *_ in results}
    return results + [(e, *known[e.request_id], False) for e in entries if id(e) not in fresh]


def _persist_fast(entries: list[_Entry]):
    """The bulk path (services/booking_persist.py) in a savepoint; None when a backstop fired (the
    batch is then decided request by request)."""
    if not entries:
        return [], set()
    try:
        with transaction.atomic():
            return booking_persist.persist_batch_bulk(entries, refusal_message=_refusal_message)
    except IntegrityError:
        logger.info("booking batch of %s: a constraint fired, deciding request by request", len(entries))
        return None


def _decide(entry: _Entry, slot, user, barred: bool, context: dict):
    """One request against PostgreSQL, inside a savepoint: (state, code, reason, appointment)."""
    if slot is None:
        return BookingRequestState.REFUSED, "missing", _refusal_message("missing"), None
    try:
        booking._check_slot_open(slot)
    except ValidationError as exc:
        return BookingRequestState.REFUSED, exc.code or "closed", exc.messages[0], None
    if barred:
        return BookingRequestState.REFUSED, "blacklisted", _refusal_message("blacklisted"), None
    name, mobile, id_number, channel = json.loads(decrypt(entry.payload))
    if slot.pk not in context["quotas"]:
        context["quotas"][slot.pk] = booking.group_quotas(slot)
    hall = slot.hall
    if hall.pk not in context["templates"]:
        context["templates"][hall.pk] = booking.message_template(hall) if hall.notify_by_sms else ""
    try:
        with transaction.atomic():
            appointment = booking.write_booking(
                slot=slot, actor=user, channel=channel, notify=True, template=context["templates"][hall.pk],
                quotas=context["quotas"][slot.pk],
                data={"booker_name": name, "mobile_number": mobile, "id_number": id_number})
    except booking.SlotFull as exc:
        return BookingRequestState.REFUSED, exc.code or "full", exc.messages[0], None
    except IntegrityError:
        return BookingRequestState.REFUSED, "duplicate", _refusal_message("duplicate"), None
    context["matters"].add(slot.bookable_matter_id)
    return BookingRequestState.CONFIRMED, "", "", appointment


def settle_batch(c, decided: list[tuple[_Entry, str, str, bool]]) -> None:
    """After the commit: give refused places back, drop the pending marks, ack and delete the entries."""
    if not decided:
        return
    p, key, settle = booking_gate.prefix(), booking_gate.stream_key(), booking_gate.scripts()["settle"]
    pipe = c.pipeline(transaction=False)
    for entry, state, code, _fresh in decided:
        settle(args=[p, entry.request_id, entry.slot_id, state, "1" if code == "duplicate" else "0", entry.digest,
                     entry.groups], client=pipe)
    ids = [entry.entry_id for entry, *_ in decided]
    pipe.xack(key, STREAM_GROUP, *ids)
    pipe.xdel(key, *ids)
    pipe.execute()
