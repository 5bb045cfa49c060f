"""A subscribing third-party system (JsonPeerSimulator).

    POST /organisations   organisation payload, header Idempotency-Key
                          → 200 {"received": n}; a repeated key → 200 {"duplicate": true}, not recorded twice;
                            no key or no "organisation" object → 400
    GET  /organisations   → {"received": [...payloads...], "requests": n}
    POST /control, GET /health: see JsonPeerSimulator.

Run it with apps.core.adapters.simulators.SimulatorServer(OrgSubscriberSimulator()).
"""
from __future__ import annotations

from apps.core.adapters.simulators import JsonPeerSimulator


class OrgSubscriberSimulator(JsonPeerSimulator):
    resource = "/organisations"

    def reset_state(self) -> None:
        self.received: list[dict] = []
        self.keys: set[str] = set()

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not isinstance(body.get("organisation"), dict):
            return 400, {"error": "an organisation object is required"}
        if key in self.keys:
            return 200, {"duplicate": True}
        self.keys.add(key)
        self.received.append({"idempotency_key": key, **body})
        return 200, {"received": len(self.received)}

    def listing(self) -> dict:
        return {"received": list(self.received)}
