"""National platform adapter (国家政务服务平台 / 上级事项库): the outbox sender for matter versions.

Phase 1 ships the local simulator only: it accepts every report and remembers it by idempotency
key, answering a repeat without acting (what the real intermediate-database interface does).
The HTTP client selected by settings arrives with the sync work (MAT-7.5).
"""
from __future__ import annotations

from apps.matters.adapters.national_platform.simulator import SIMULATOR


def send_to_national_platform(message) -> None:
    """Outbox sender: deliver one matter report (raises PeerTemporaryError/PeerPermanentError)."""
    SIMULATOR.receive(key=message.idempotency_key, kind=message.kind, payload=message.payload)
