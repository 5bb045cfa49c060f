"""Outbox: messages to SMS gateways and peer systems that are never lost and never doubled.

    register_peer("sms", send_sms)                      # once, at start-up
    with transaction.atomic():                           # the caller's business transaction
        change_something()
        enqueue(peer="sms", kind="handoff", payload={...}, idempotency_key="case:42:accept")

Guarantees (docs/outbox.md):
* the row is written in the caller's transaction: it exists if and only if the change does;
* delivery is scheduled after commit; if the broker is down the row simply stays pending and
  the `core.outbox_sweep` beat task dispatches it later;
* `deliver()` claims a row with SELECT … FOR UPDATE SKIP LOCKED, so two workers never send
  the same message; a worker that dies mid-send leaves the row "delivering" and the sweep
  reclaims it after `STUCK_AFTER`;
* senders pass the idempotency key to the peer, which answers OK to a repeat without acting.
"""
from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

STUCK_AFTER = timedelta(minutes=5)
EARLY_TOLERANCE = timedelta(seconds=2)
MAX_BACKOFF_SECONDS = 3600
SWEEP_BATCH = 500


class PeerTemporaryError(Exception):
    """Network failure, timeout, 5xx: try again later."""


class PeerPermanentError(Exception):
    """4xx or data the peer will never accept: retrying cannot help."""


class TransactionRequired(RuntimeError):
    """enqueue() was called outside a transaction."""


@dataclass(frozen=True)
class Peer:
    name: str
    sender: Callable[[OutboxMessage], None]
    queue: str


_peers: dict[str, Peer] = {}


def register_peer(name: str, sender: Callable[[OutboxMessage], None], *, queue: str | None = None) -> None:
    """Declare how messages for `name` are delivered (idempotent; call from a registration module)."""
    _peers[name] = Peer(name=name, sender=sender, queue=queue or ("sms" if name == "sms" else "sync"))


_families: dict[str, Peer] = {}


def register_peer_family(prefix: str, sender: Callable[[OutboxMessage], None], *, queue: str = "sync") -> None:
    """Declare one sender for every peer named `<prefix><anything>` (e.g. one peer per subscriber
    record, "org_subscriber:<id>"), so peers that exist only as database rows need no registration."""
    _families[prefix] = Peer(name=prefix, sender=sender, queue=queue)


def peer_for(name: str) -> Peer | None:
    if name in _peers:
        return _peers[name]
    for prefix, family in _families.items():
        if name.startswith(prefix):
            return Peer(name=name, sender=family.sender, queue=family.queue)
    return None


def registered_peers() -> list[str]:
    return sorted(_peers)


def queue_for(peer: str) -> str:
    found = peer_for(peer)
    return found.queue if found else "sync"


def enqueue(*, peer: str, kind: str, payload: dict, idempotency_key: str, region=None) -> OutboxMessage:
    """Write a message in the caller's transaction; re-enqueueing (peer, key) returns the existing row."""
    if not transaction.get_connection().in_atomic_block:
        raise TransactionRequired("outbox.enqueue() must run inside the transaction of the change it reports.")
    if peer_for(peer) is None:
        raise ValueError(f"Unknown outbox peer {peer!r}; register it with register_peer() first.")
    if not idempotency_key:
        raise ValueError("An outbox message needs an idempotency key.")
    message, created = OutboxMessage.objects.get_or_create(
        peer=peer, idempotency_key=idempotency_key,
        defaults={"kind": kind, "payload": payload, "region": region},
    )
    if created:
        transaction.on_commit(lambda: dispatch(message.pk, peer))
    return message


def dispatch(message_id: int, peer: str, *, countdown: float | None = None) -> bool:
    """Hand a message to Celery; a broker failure is logged, never raised (the sweep retries)."""
    from apps.core.tasks import outbox_deliver

    options = {"args": [message_id], "queue": queue_for(peer), "countdown": countdown, "retry": False}
    try:
        if outbox_deliver.app.conf.task_always_eager:
            outbox_deliver.apply_async(**options)
            return True
        with outbox_deliver.app.producer_or_acquire() as producer:
            # Fail at once when the broker is down instead of kombu's default few seconds of retries.
            producer.connection.ensure_connection(max_retries=0)
            outbox_deliver.apply_async(producer=producer, **options)
    except Exception as exc:  # noqa: BLE001 — any broker error: the row stays pending
        logger.warning("Outbox message %s not dispatched (broker unavailable: %s); the sweep will retry.",
                       message_id, exc)
        return False
    return True


def deliver(message_id: int) -> str | None:
    """Try one delivery of a due message; returns its new status, or None if not ours to send."""
    message = _claim(message_id)
    if message is None:
        return None
    peer = peer_for(message.peer)
    try:
        if peer is None:
            raise PeerPermanentError(f"Peer {message.peer!r} is not registered in this process.")
        from apps.core.monitoring import interface_context

        with interface_context(message.peer):     # the sender's HTTP calls count for this interface (7.13)
            peer.sender(message)
    except PeerPermanentError as exc:
        _finish_dead(message, str(exc))
    except Exception as exc:  # noqa: BLE001 — PeerTemporaryError, or an unexpected bug: retry
        if not isinstance(exc, PeerTemporaryError):
            logger.exception("Unexpected error delivering outbox message %s", message.pk)
        _finish_retry(message, f"{type(exc).__name__}: {exc}")
    else:
        _finish_delivered(message)
    return message.status


def _claim(message_id: int) -> OutboxMessage | None:
    now = timezone.now()
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                   .filter(pk=message_id, status=OutboxStatus.PENDING, next_attempt_at__lte=now + EARLY_TOLERANCE)
                   .first())
        if message is None:
            return None
        message.status = OutboxStatus.DELIVERING
        message.attempts += 1
        message.claimed_at = now
        message.save(update_fields=["status", "attempts", "claimed_at"])
    return message


def _finish_delivered(message: OutboxMessage) -> None:
    message.status = OutboxStatus.DELIVERED
    message.delivered_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "delivered_at", "last_error"])


def _finish_dead(message: OutboxMessage, error: str) -> None:
    from apps.core.workflow import record_transition

    with transaction.atomic():
        message.status = OutboxStatus.DEAD
        message.last_error = error[:2000]
        message.save(update_fields=["status", "last_error"])
        record_transition(obj=message, from_state=OutboxStatus.DELIVERING, to_state=OutboxStatus.DEAD,
                          actor=None, action="dead", comment=message.last_error)
    logger.error("Outbox message %s is dead after %s attempt(s): %s", message.pk, message.attempts, error)


def _finish_retry(message: OutboxMessage, error: str) -> None:
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _finish_dead(message, error)
        return
    delay = backoff_seconds(message.attempts)
    message.status = OutboxStatus.PENDING
    message.last_error = error[:2000]
    message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    message.save(update_fields=["status", "last_error", "next_attempt_at"])
    dispatch(message.pk, message.peer, countdown=delay)


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter on the upper half: base·2^(n-1) · [0.5, 1.0], capped."""
    base = float(getattr(settings, "OUTBOX_BACKOFF_SECONDS", 2.0))
    ceiling = min(MAX_BACKOFF_SECONDS, base * 2 ** max(attempts - 1, 0))
    return ceiling * random.uniform(0.5, 1.0)


def sweep(*, limit: int = SWEEP_BATCH) -> int:
    """Reclaim stuck deliveries and dispatch every due pending message; returns how many were sent on."""
    now = timezone.now()
    reclaimed = (OutboxMessage.objects.filter(status=OutboxStatus.DELIVERING, claimed_at__lt=now - STUCK_AFTER)
                 .update(status=OutboxStatus.PENDING, next_attempt_at=now,
                         last_error="投递进程中断，已重新排队。"))
    if reclaimed:
        logger.warning("Outbox sweep reclaimed %s message(s) stuck in delivering.", reclaimed)
    due = list(OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at").values_list("pk", "peer")[:limit])
    sent = 0
    for message_id, peer in due:
        if not dispatch(message_id, peer):
            break                         # broker still down: try again at the next sweep
        sent += 1
    return sent


def outbox_message_retry(*, message: OutboxMessage, by, comment: str = "") -> OutboxMessage:
    """A staff member sends a dead message again, with a fresh set of attempts."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from apps.core.workflow import record_transition

    if not by.has_perm("core.change_outboxmessage"):
        raise PermissionDenied("您没有重新投递消息的权限。")
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != OutboxStatus.DEAD:
            raise ValidationError("只有投递失败的消息可以重新投递。", code="not_dead")
        locked.status, locked.attempts, locked.next_attempt_at = OutboxStatus.PENDING, 0, timezone.now()
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        record_transition(obj=locked, from_state=OutboxStatus.DEAD, to_state=OutboxStatus.PENDING,
                          actor=by, action="retry", comment=comment or "人工重新投递")
        transaction.on_commit(lambda: dispatch(locked.pk, locked.peer))
    return locked
