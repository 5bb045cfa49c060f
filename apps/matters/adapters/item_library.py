"""Peers the item library answers back to over HTTP (each: HTTP client + outbox sender + simulator).

Original item library (原事项库), MAT-7.7 — the write-back of organisation sync results:
    POST {MATTERS_ITEM_LIBRARY_URL}/org-sync/results  {external_id, credit_code, operation, status, result}
         header Idempotency-Key → 200 {"id"}; a repeated key → the same id, stored once
Power-and-responsibility list owner (权责清单), MAT-7.8 — the list data with its links:
    POST {MATTERS_POWER_LIST_URL}/power-links  {code, name, power_type, department, links: [...]}
         header Idempotency-Key → 200 {"id"}; the owner keeps the latest state per entry code
Empty settings mean the local simulators (127.0.0.1:8027 and :8028); 5xx / network → the outbox retries.
"""
from __future__ import annotations

from django.conf import settings

from apps.core.adapters.http import post_json
from apps.core.adapters.simulators import JsonPeerSimulator
from apps.core.outbox import PeerPermanentError


def _post(setting: str, default: str, path: str, message) -> str:
    base = (getattr(settings, setting, "") or default).rstrip("/")
    response = post_json(f"{base}{path}", message.payload, idempotency_key=message.idempotency_key,
                         timeout=settings.PEER_TIMEOUT_SECONDS)
    try:
        return str(response.json().get("id", ""))
    except ValueError as exc:
        raise PeerPermanentError(f"Peer answered non-JSON: {response.text[:200]}") from exc


def send_org_sync_result(message) -> None:
    """Outbox sender of peer `item_library`."""
    _post("MATTERS_ITEM_LIBRARY_URL", "http://127.0.0.1:8027", "/org-sync/results", message)


def send_power_list(message) -> None:
    """Outbox sender of peer `power_list`."""
    _post("MATTERS_POWER_LIST_URL", "http://127.0.0.1:8028", "/power-links", message)


class _KeyedSimulator(JsonPeerSimulator):
    key_field = ""

    def reset_state(self) -> None:
        self.received: list[dict] = []
        self.latest: dict[str, dict] = {}
        self._ids: dict[str, str] = {}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not body.get(self.key_field):
            return 400, {"error": f"missing {self.key_field}"}
        if key in self._ids:
            return 200, {"id": self._ids[key], "duplicate": True}
        self._ids[key] = receipt = f"{self.key_field}-{len(self.received) + 1}"
        self.received.append(body)
        self.latest[body[self.key_field]] = body
        return 200, {"id": receipt}

    def listing(self) -> dict:
        return {"items": list(self.latest.values())}


class ItemLibrarySimulator(_KeyedSimulator):
    """The original item library's write-back interface: the latest result per change id."""

    resource = "/org-sync/results"
    key_field = "external_id"


class PowerListOwnerSimulator(_KeyedSimulator):
    """The power-and-responsibility list owner: the latest entry (with its links) per code."""

    resource = "/power-links"
    key_field = "code"
