"""The national item library (全国事项库) as a source of other provinces' elements (MAT-5.2.1).

    GET {MATTERS_NATIONAL_LIBRARY_URL}/elements?codes=<basic code>,<basic code>,…
        → {"items": [{"basic_code", "province", "committed_limit_working_days", "material_count",
                      "visits"}, …]}   (one row per province that runs the catalogue item)
Empty setting → the local simulator on 127.0.0.1:8029. Codes are asked in chunks of `CHUNK`.
"""
from __future__ import annotations

import json
from typing import Protocol
from urllib.parse import parse_qs

from django.conf import settings

from apps.core.adapters.http import request
from apps.core.adapters.simulators import JsonPeerSimulator
from apps.core.outbox import PeerPermanentError

DEFAULT_URL = "http://127.0.0.1:8029"
CHUNK = 200
FIELDS = ("committed_limit_working_days", "material_count", "visits")


class NationalItemLibrary(Protocol):
    def elements(self, basic_codes: list[str]) -> list[dict]:
        """Other provinces' rows for these basic codes."""


class HttpNationalItemLibrary:
    def __init__(self, base_url: str | None = None):
        self.base_url = (base_url or getattr(settings, "MATTERS_NATIONAL_LIBRARY_URL", "") or DEFAULT_URL).rstrip("/")

    def elements(self, basic_codes: list[str]) -> list[dict]:
        rows: list[dict] = []
        codes = sorted(set(basic_codes))
        for start in range(0, len(codes), CHUNK):
            response = request("GET", f"{self.base_url}/elements",
                               params={"codes": ",".join(codes[start:start + CHUNK])})
            try:
                items = response.json()["items"]
            except (ValueError, KeyError, TypeError) as exc:
                raise PeerPermanentError(f"National item library answered badly: {response.text[:200]}") from exc
            rows += [r for r in items if isinstance(r, dict) and r.get("basic_code") in codes]
        return rows


class NationalLibrarySimulator(JsonPeerSimulator):
    """Other provinces' published elements per basic code; `publish(rows)` puts rows there.
    GET /elements honours the base class's failure injection (POST /control)."""

    resource = "/elements"

    def reset_state(self) -> None:
        self.rows: dict[tuple[str, str], dict] = {}
        self.queries = 0

    def publish(self, rows: list[dict]) -> None:
        with self._lock:
            for row in rows:
                self.rows[(row["basic_code"], row["province"])] = dict(row)

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        return 405, {"error": "read only"}

    def listing(self) -> dict:
        return {"items": list(self.rows.values())}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/").rstrip("/")
        if environ["REQUEST_METHOD"] != "GET" or path != "/elements":
            return super().__call__(environ, start_response)
        with self._lock:
            self.queries += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                status, body = self.fail_status, {"error": "injected failure"}
            else:
                codes = set((parse_qs(environ.get("QUERY_STRING", "")).get("codes") or [""])[0].split(","))
                status, body = 200, {"items": [r for (code, _p), r in sorted(self.rows.items()) if code in codes]}
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                       [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
        return [data]


def national_library() -> NationalItemLibrary:
    return HttpNationalItemLibrary()
