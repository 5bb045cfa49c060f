"""Third-party systems subscribing to organisation data (PORTAL-8.3 push).

Each `OrganisationSubscriber` is its own outbox peer, "org_subscriber:<id>", so a slow or
broken subscriber never holds back the others. One sender serves the whole family of peers
(apps.core.outbox.register_peer_family), so a subscriber added at any time is deliverable in
every process at once.
"""
from __future__ import annotations

from apps.core.outbox import PeerPermanentError, register_peer_family

PEER_PREFIX = "org_subscriber:"


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


register_peer_family(PEER_PREFIX, send, queue="sync")
