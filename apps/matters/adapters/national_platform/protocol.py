"""What matters needs from the national platform (国家政务服务平台 / 上级事项库中间库)."""
from __future__ import annotations

from typing import Protocol


class NationalPlatform(Protocol):
    def report(self, *, kind: str, code: str, version: int, elements: dict, idempotency_key: str) -> str:
        """Report one published version of a matter; return the peer's receipt id.

        Raises apps.core.outbox.PeerTemporaryError (network, timeout, 5xx: retry later) or
        PeerPermanentError (4xx: the peer refuses the data, never retry). Reporting the same
        idempotency key twice must not store the version twice.
        """

    def holdings(self) -> dict[str, dict]:
        """What the peer holds: {code: {"kind": ..., "version": n, "name": ...}} (for reconciliation)."""

    def catalogue(self, *, department_credit_code: str) -> list[dict]:
        """The upper-level (national) catalogue rows of one competent department (MAT-2.1.2)."""
