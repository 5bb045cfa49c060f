"""Logistics integration (物流快递接入, ACC-10.8): the courier company's system as a peer.

Protocol `CourierClient` — `create_shipment(payload, key) -> waybill number` and `tracking(waybill) -> events`;
`HttpCourierClient` speaks JSON over HTTP to `settings.ACCEPTANCE_COURIER_URL`:

    POST {url}/shipments            {"order_id", "sender", "recipient", "address", "item"} (Idempotency-Key)
                                    → {"waybill_number": "..."}
    GET  {url}/shipments/<waybill>  → {"waybill_number", "events": [{"event_id", "status", "location",
                                       "occurred_at" (ISO 8601)}]}

`CourierSimulator` is the same contract as a WSGI app, served over real HTTP by SimulatorServer."""
from __future__ import annotations

from typing import Protocol

from django.conf import settings

from apps.core.adapters.http import post_json, request
from apps.core.adapters.simulators import JsonPeerSimulator

INTERFACE = "acceptance.courier"          # its name in interface monitoring (PORTAL-7.13)

# courier status code → DeliveryEventKind value
STATUS_KINDS = {"PICKED_UP": "shipped", "IN_TRANSIT": "in_transit", "OUT_FOR_DELIVERY": "out_for_delivery",
                "IN_LOCKER": "stored_in_locker", "SIGNED": "delivered", "RETURNED": "returned"}


class CourierClient(Protocol):
    def create_shipment(self, payload: dict, *, idempotency_key: str) -> str: ...

    def tracking(self, waybill_number: str) -> list[dict]: ...


def courier_url() -> str:
    return (getattr(settings, "ACCEPTANCE_COURIER_URL", "") or "").rstrip("/")


class HttpCourierClient:
    def __init__(self, url: str | None = None):
        self.url = (url or courier_url()).rstrip("/")

    def create_shipment(self, payload: dict, *, idempotency_key: str) -> str:
        return post_json(f"{self.url}/shipments", payload, idempotency_key=idempotency_key,
                         interface=INTERFACE).json()["waybill_number"]

    def tracking(self, waybill_number: str) -> list[dict]:
        return request("GET", f"{self.url}/shipments/{waybill_number}", interface=INTERFACE).json().get("events", [])


class CourierSimulator(JsonPeerSimulator):
    """A courier company: takes shipment orders (one waybill per Idempotency-Key), and `advance()` adds
    tracking events the platform then reads with GET /shipments/<waybill>."""

    resource = "/shipments"

    def reset_state(self) -> None:
        self.shipments: dict[str, dict] = {}
        self.by_key: dict[str, str] = {}
        self.serial = 0

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        missing = [f for f in ("order_id", "recipient", "address") if not body.get(f)]
        if missing:
            return 400, {"error": f"fields missing: {', '.join(missing)}"}
        if key in self.by_key:
            return 200, {"waybill_number": self.by_key[key], "duplicate": True}
        self.serial += 1
        waybill = f"SIM{self.serial:010d}"
        self.by_key[key] = waybill
        self.shipments[waybill] = {**body, "waybill_number": waybill, "events": []}
        return 201, {"waybill_number": waybill}

    def listing(self) -> dict:
        return {"shipments": list(self.shipments.values())}

    def advance(self, waybill: str, status: str, location: str, occurred_at: str) -> None:
        with self._lock:
            events = self.shipments[waybill]["events"]
            events.append({"event_id": f"{waybill}-{len(events) + 1}", "status": status, "location": location,
                           "occurred_at": occurred_at})

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/").rstrip("/")
        if environ["REQUEST_METHOD"] == "GET" and path.startswith("/shipments/"):
            import json

            with self._lock:
                found = self.shipments.get(path.rsplit("/", 1)[-1])
            status, body = (200, found) if found else (404, {"error": "unknown waybill"})
            data = json.dumps(body, ensure_ascii=False).encode()
            start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                           [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
            return [data]
        return super().__call__(environ, start_response)


