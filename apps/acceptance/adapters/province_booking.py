"""Provincial platform appointment interface (与黑龙江省一体化在线政务服务平台预约接口对接, ACC-0.7).

Every booking made in the halls' appointment system is reported to the provincial integrated platform, and
every later state change (cancelled, checked in, no-show) is reported again, so the citizen sees the same
booking in the provincial app. Protocol `ProvinceBookingClient.report(record, idempotency_key) -> platform id`;
`HttpProvinceBookingClient` speaks JSON to `settings.ACCEPTANCE_PROVINCE_BOOKING_URL`:

    POST {url}/appointments   {"appointment_number", "status", "hall_number", "hall_name", "region_code",
                               "item_code", "item_name", "date", "period_start", "period_end", "channel",
                               "booker_name", "id_number_masked", "reported_at"}   (Idempotency-Key)
                              → {"platform_id": "..."}

Names and ID numbers leave masked: the platform identifies the citizen by its own login. The simulator is
the same contract as a WSGI app on a real socket (SimulatorServer)."""
from __future__ import annotations

from typing import Protocol

from django.conf import settings

from apps.core.adapters.http import post_json
from apps.core.adapters.simulators import JsonPeerSimulator

REQUIRED = ("appointment_number", "status", "hall_number", "item_code", "date", "period_start", "period_end")
STATUSES = {"booked", "confirmed", "checked_in", "fulfilled", "cancelled", "no_show"}


class ProvinceBookingClient(Protocol):
    def report(self, record: dict, *, idempotency_key: str) -> str: ...


def province_booking_url() -> str:
    return (getattr(settings, "ACCEPTANCE_PROVINCE_BOOKING_URL", "") or "").rstrip("/")


class HttpProvinceBookingClient:
    def __init__(self, url: str | None = None):
        self.url = (url or province_booking_url()).rstrip("/")

    def report(self, record: dict, *, idempotency_key: str) -> str:
        return post_json(f"{self.url}/appointments", record, idempotency_key=idempotency_key).json()["platform_id"]


class ProvinceBookingSimulator(JsonPeerSimulator):
    """The provincial platform's appointment interface: one platform id per appointment number, the latest
    status kept, a repeated Idempotency-Key answered as a duplicate without changing anything."""

    resource = "/appointments"

    def reset_state(self) -> None:
        self.bookings: dict[str, dict] = {}
        self.history: list[tuple[str, str]] = []
        self.keys: set[str] = set()

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        missing = [f for f in REQUIRED if not body.get(f)]
        if missing:
            return 400, {"error": f"fields missing: {', '.join(missing)}"}
        if body["status"] not in STATUSES:
            return 422, {"error": f"unknown status {body['status']}"}
        number = body["appointment_number"]
        platform_id = f"HLJ-{number}"
        if key in self.keys:
            return 200, {"platform_id": platform_id, "duplicate": True}
        self.keys.add(key)
        self.bookings[number] = {**body, "platform_id": platform_id}
        self.history.append((number, body["status"]))
        return 201, {"platform_id": platform_id}

    def listing(self) -> dict:
        return {"appointments": list(self.bookings.values())}
