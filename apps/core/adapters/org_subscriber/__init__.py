"""Third-party systems subscribing to organisation data (PORTAL-8.3 push).

Each `OrganisationSubscriber` is its own outbox peer, "org_subscriber:<id>", so a slow or
broken subscriber never holds back the others. The outbox resolves senders by exact peer name
per process, so peers are registered:
* by `ensure_peer()` right before a message is enqueued (the web process, eager tests);
* in Celery workers, by `refresh_peers()` before each outbox delivery task (a cheap query at
  most every PEER_REFRESH_SECONDS), so subscribers added after the worker started are known.
"""
from __future__ import annotations

import time

from apps.core.outbox import PeerPermanentError, register_peer, registered_peers

PEER_PREFIX = "org_subscriber:"
PEER_REFRESH_SECONDS = 10.0
_last_refresh = 0.0


def subscriber_id(peer: str) -> int:
    return int(peer.removeprefix(PEER_PREFIX))


def send(message) -> None:
    """Outbox sender: POST the organisation payload to the subscriber's endpoint."""
    from apps.core.adapters.org_subscriber.client import OrgSubscriberClient
    from apps.core.models import OrganisationSubscriber

    subscriber = OrganisationSubscriber.objects.filter(pk=subscriber_id(message.peer)).first()
    if subscriber is None or not subscriber.is_enabled:
        raise PeerPermanentError(f"Subscriber {message.peer} no longer exists or is disabled.")
    OrgSubscriberClient(subscriber.endpoint_url).push(message.payload, idempotency_key=message.idempotency_key)


def ensure_peer(peer: str) -> None:
    if peer not in registered_peers():
        register_peer(peer, send, queue="sync")


def refresh_peers(*, force: bool = False) -> None:
    """Register a peer for every subscriber in the database (rate-limited)."""
    global _last_refresh
    now = time.monotonic()
    if not force and now - _last_refresh < PEER_REFRESH_SECONDS:
        return
    from apps.core.models import OrganisationSubscriber

    for pk in OrganisationSubscriber.objects.values_list("pk", flat=True):
        ensure_peer(f"{PEER_PREFIX}{pk}")
    _last_refresh = now
