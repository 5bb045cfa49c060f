"""In-process simulator of the national platform's matter-report interface (dev, demo, tests)."""
from __future__ import annotations

import threading

from apps.core.outbox import PeerPermanentError


class NationalPlatformSimulator:
    """Remembers reports by idempotency key; refuses a report without a code as the peer would (4xx)."""

    def __init__(self) -> None:
        self.received: dict[str, dict] = {}
        self._lock = threading.Lock()

    def receive(self, *, key: str, kind: str, payload: dict) -> bool:
        if not payload.get("code"):
            raise PeerPermanentError("缺少事项编码")
        with self._lock:
            if key in self.received:
                return False
            self.received[key] = {"kind": kind, **payload}
            return True

    def reset(self) -> None:
        with self._lock:
            self.received.clear()


SIMULATOR = NationalPlatformSimulator()
