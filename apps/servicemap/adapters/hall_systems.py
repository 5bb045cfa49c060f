"""Halls' own booking and consultation systems (MAP-6.4.1, 6.5.1).

A hall that has its own system is configured with the system's interface address (HallConnection).
The map pushes each booking or consultation there through the outbox (never lost, never doubled):

    POST {booking_system_url}        {"number", "hall_number", "window_number", "item_code", "item_name",
                                      "date", "period_start", "period_end", "handling_location",
                                      "booker_name", "mobile_masked"}                 (Idempotency-Key)
                                     → 201 {"reference": "..."}
    POST {consultation_system_url}   {"number", "hall_number", "window_number", "item_code", "item_name",
                                      "title", "question", "consultant_name", "mobile"}  (Idempotency-Key)
                                     → 201 {"reference": "..."}

The consultation carries the mobile number in clear: the hall must be able to call back. The
simulator is the same contract as a WSGI app (SimulatorServer), one instance per system."""
from __future__ import annotations

from typing import Protocol

from apps.core.adapters.http import post_json
from apps.core.adapters.simulators import JsonPeerSimulator

BOOKING_FIELDS = ("number", "hall_number", "window_number", "item_code", "date", "period_start", "period_end",
                  "handling_location", "booker_name")
CONSULTATION_FIELDS = ("number", "hall_number", "window_number", "item_code", "title", "question")


class HallSystemClient(Protocol):
    def push(self, url: str, record: dict, *, idempotency_key: str) -> str: ...


class HttpHallSystemClient:
    """Posts one record to a hall system's interface address; answers the system's reference."""

    def push(self, url: str, record: dict, *, idempotency_key: str) -> str:
        response = post_json(url, record, idempotency_key=idempotency_key)
        return str(response.json().get("reference", ""))


class HallSystemSimulator(JsonPeerSimulator):
    """A hall's booking (resource "/bookings") or consultation (resource "/consultations") system."""

    def __init__(self, resource: str = "/bookings"):
        self.resource = resource
        self.required = BOOKING_FIELDS if resource == "/bookings" else CONSULTATION_FIELDS
        super().__init__()

    def reset_state(self) -> None:
        self.records: dict[str, dict] = {}
        self.keys: dict[str, str] = {}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if key in self.keys:
            return 200, {"reference": self.keys[key], "duplicate": True}
        missing = [f for f in self.required if not body.get(f)]
        if missing:
            return 400, {"error": f"fields missing: {', '.join(missing)}"}
        reference = f"HALL-{len(self.records) + 1:05d}"
        self.keys[key] = reference
        self.records[reference] = body
        return 201, {"reference": reference}

    def listing(self) -> dict:
        return {"records": [{"reference": ref, **body} for ref, body in self.records.items()]}
