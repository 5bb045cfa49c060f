"""A local national-platform matter interface that behaves like the real one (JsonPeerSimulator).

    POST /reports   {kind, code, version, name, elements}, header Idempotency-Key
                    → 200 {"id": "np-1"}; a repeated key → 200 with the same id, stored once;
                      no code / no version → 400 (the peer refuses incomplete data)
    GET  /reports   → {"items": [latest version per code], "requests": n}
    GET  /catalogue?department=<credit code>
                    → {"items": [national catalogue rows]} (MAT-2.1.2 upper-catalogue sync);
                      rows are put there with `publish_catalogue(rows)`
    POST /control   {"fail_next": 3, "status": 500} | {"reset": true};  GET /health

Served by SimulatorServer (tests) or `manage.py run_national_platform_simulator --port 8026`.
`forget(code)` drops a code, to show reconciliation finding what the peer lost.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs

from apps.core.adapters.simulators import JsonPeerSimulator


class NationalPlatformSimulator(JsonPeerSimulator):
    resource = "/reports"

    def reset_state(self) -> None:
        self.catalogue: dict[str, dict] = {}
        self.reports: list[dict] = []
        self.latest: dict[str, dict] = {}
        self._ids_by_key: dict[str, str] = {}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not body.get("code") or not isinstance(body.get("version"), int):
            return 400, {"error": "缺少事项编码或版本号"}
        if key in self._ids_by_key:
            return 200, {"id": self._ids_by_key[key], "duplicate": True}
        receipt = f"np-{len(self.reports) + 1}"
        self._ids_by_key[key] = receipt
        row = {"code": body["code"], "kind": body.get("kind", ""), "version": body["version"],
               "name": body.get("name", "")}
        self.reports.append({"id": receipt, "idempotency_key": key, **row})
        held = self.latest.get(row["code"])
        if held is None or held["version"] < row["version"]:
            self.latest[row["code"]] = row
        return 200, {"id": receipt}

    def listing(self) -> dict:
        return {"items": sorted(self.latest.values(), key=lambda row: row["code"])}

    def forget(self, code: str) -> None:
        with self._lock:
            self.latest.pop(code, None)

    def publish_catalogue(self, rows: list[dict]) -> None:
        """The national catalogue authority issues (or revises) catalogue rows keyed by basic code."""
        with self._lock:
            for row in rows:
                self.catalogue[row["basic_code"]] = dict(row)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/").rstrip("/")
        if environ["REQUEST_METHOD"] != "GET" or path != "/catalogue":
            return super().__call__(environ, start_response)
        department = parse_qs(environ.get("QUERY_STRING", "")).get("department", [""])[0]
        with self._lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                status, body = self.fail_status, {"error": "injected failure"}
            else:
                rows = [r for r in self.catalogue.values() if not department or r.get("department") == department]
                status, body = 200, {"items": sorted(rows, key=lambda r: r["basic_code"])}
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                       [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
        return [data]
