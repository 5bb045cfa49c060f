"""The city platforms' region and department data service (IDN-11.1, 11.2): each city's platform reports its
regions and departments. Protocol + HTTP client + simulator (tests run it over real HTTP).

    POST {IDENTITY_CITY_PLATFORM_URL}/export   {"city": "230100000000", "kind": "regions"}
    → 200 {"rows": [{"code": ..., "name": ..., "region_type": ..., "status": ...}, ...]}
      or  {"rows": [{"credit_code": ..., "name": ..., "short_name": ..., "region": ..., "parent": ...,
                     "kind": ..., "status": ...}, ...]}
"""
from __future__ import annotations

from typing import Protocol

from django.conf import settings

from apps.core.adapters.http import post_json
from apps.core.adapters.simulators import JsonPeerSimulator
from apps.core.outbox import PeerPermanentError


class CityPlatform(Protocol):
    def export(self, *, city: str, kind: str, idempotency_key: str) -> list[dict]: ...


class HttpCityPlatform:
    def __init__(self, base_url: str | None = None):
        self.base_url = (base_url or getattr(settings, "IDENTITY_CITY_PLATFORM_URL", "")).rstrip("/")

    def export(self, *, city: str, kind: str, idempotency_key: str) -> list[dict]:
        if not self.base_url:
            raise PeerPermanentError("IDENTITY_CITY_PLATFORM_URL is not configured")
        response = post_json(f"{self.base_url}/export", {"city": city, "kind": kind},
                             idempotency_key=idempotency_key)
        rows = response.json().get("rows")
        if not isinstance(rows, list):
            raise PeerPermanentError("city platform answered without a rows list")
        return [row for row in rows if isinstance(row, dict)]


class CityPlatformSimulator(JsonPeerSimulator):
    """A city platform holding region and organisation rows per city code."""

    resource = "/export"

    def reset_state(self) -> None:
        self.data: dict[tuple[str, str], list[dict]] = {}
        self.queries: list[dict] = []

    def put(self, *, city: str, kind: str, rows: list[dict]) -> None:
        self.data[(city, kind)] = list(rows)

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        self.queries.append(body)
        if body.get("kind") not in ("regions", "organisations") or not body.get("city"):
            return 400, {"error": "city and kind (regions|organisations) are required"}
        return 200, {"rows": self.data.get((body["city"], body["kind"]), [])}

    def listing(self) -> dict:
        return {"queries": list(self.queries)}
