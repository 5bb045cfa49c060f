"""National platform adapter (国家政务服务平台 / 上级事项库): Protocol, HTTP client, simulator.

Every published matter version is enqueued for the peer `national_platform` in the transaction
that publishes it; the outbox delivers it through `send_to_national_platform` over HTTP
(settings.MATTERS_NATIONAL_PLATFORM_URL; empty means the simulator on 127.0.0.1:8026).
Reconciliation (services/reconciliation.py) compares the peer's holdings with what we sent.
"""
from __future__ import annotations


def send_to_national_platform(message) -> None:
    """Outbox sender: deliver one matter report (raises PeerTemporaryError/PeerPermanentError)."""
    from apps.core.outbox import PeerPermanentError
    from apps.matters.adapters.national_platform.client import get_platform

    payload = message.payload
    if not payload.get("code"):
        raise PeerPermanentError("缺少事项编码")
    get_platform().report(kind=payload.get("kind", ""), code=payload["code"], version=int(payload["version"]),
                          elements=payload.get("elements", {}), idempotency_key=message.idempotency_key)
