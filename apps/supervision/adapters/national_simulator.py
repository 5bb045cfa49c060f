"""Simulator of the national interaction platform (real HTTP through SimulatorServer).

    GET  /cases        to-do cases not yet answered
    POST /results      a processing result (Idempotency-Key); the case leaves the to-do list
    POST /control      {"add_case": {...}} | {"fail_next": n, "status": 500} | {"reset": true}
"""
from __future__ import annotations

from apps.core.adapters.simulators import JsonPeerSimulator


class NationalInteractionSimulator(JsonPeerSimulator):
    resource = "/results"

    def reset_state(self) -> None:
        self.cases: dict[str, dict] = {}
        self.results: dict[str, dict] = {}

    def add_case(self, case: dict) -> None:
        with self._lock:
            self.cases[case["case_id"]] = case

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        case_id = body.get("case_id")
        if case_id not in self.cases:
            return 404, {"error": f"unknown case {case_id}"}
        if not body.get("result"):
            return 400, {"error": "result required"}
        if key in self.results:
            return 200, {"ok": True, "duplicate": True}
        self.results[key] = body
        self.cases[case_id]["status"] = "done"
        return 200, {"ok": True}

    def listing(self) -> dict:
        return {"results": list(self.results.values())}

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "").rstrip("/")
        if environ["REQUEST_METHOD"] == "GET" and path == "/cases":
            with self._lock:
                todo = [c for c in self.cases.values() if c.get("status", "todo") == "todo"]
            return self._respond(start_response, 200, {"cases": todo})
        if environ["REQUEST_METHOD"] == "POST" and path == "/control":
            body = self.read_json(environ) or {}
            if isinstance(body.get("add_case"), dict) and body["add_case"].get("case_id"):
                self.add_case(body["add_case"])
                return self._respond(start_response, 200, {"ok": True})
        return super().__call__(environ, start_response)

    @staticmethod
    def _respond(start_response, status, body):
        import json

        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} OK", [("Content-Type", "application/json; charset=utf-8"),
                                         ("Content-Length", str(len(data)))])
        return [data]
