"""What the platform needs from an SMS gateway."""
from __future__ import annotations

from typing import Protocol


class SmsGateway(Protocol):
    def send(self, *, mobile: str, content: str, idempotency_key: str) -> str:
        """Send one SMS; return the gateway's message id.

        Raises apps.core.outbox.PeerTemporaryError (network, timeout, 5xx: retry later) or
        PeerPermanentError (4xx, rejected number: never retry). Sending the same
        idempotency key twice must not send the SMS twice.
        """
