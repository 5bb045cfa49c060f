"""Simulators of the national 好差评 system and the provincial hotline (real HTTP).

National:  POST /evaluations, POST /rectifications (Idempotency-Key), GET /checks (quality-inspection
results of what it received; every evaluation whose comment contains "测试" fails), POST /control.
Hotline:   POST /work-orders (Idempotency-Key), GET /work-orders, POST /control.
"""
from __future__ import annotations

import json

from apps.core.adapters.simulators import JsonPeerSimulator


class NationalReviewSimulator(JsonPeerSimulator):
    resource = "/evaluations"

    def reset_state(self) -> None:
        self.batches: dict[str, dict] = {}
        self.rectifications: dict[str, dict] = {}

    @property
    def evaluations(self) -> list[dict]:
        return [e for batch in self.batches.values() for e in batch.get("evaluations", [])]

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not isinstance(body.get("evaluations"), list) or not body["evaluations"]:
            return 400, {"error": "evaluations list required"}
        for item in body["evaluations"]:
            if not item.get("evaluation_number") or item.get("level") not in (1, 2, 3, 4, 5):
                return 400, {"error": "evaluation_number and level 1-5 required"}
        duplicate = key in self.batches
        self.batches.setdefault(key, body)
        return 200, {"ok": True, "duplicate": duplicate}

    def listing(self) -> dict:
        return {"evaluations": self.evaluations, "rectifications": list(self.rectifications.values())}

    def checks(self) -> list[dict]:
        return [{"evaluation_number": e["evaluation_number"], "passed": "测试" not in (e.get("comment") or ""),
                 "note": "" if "测试" not in (e.get("comment") or "") else "评价内容疑似测试数据"}
                for e in self.evaluations]

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "").rstrip("/")
        if method == "POST" and path == "/rectifications":
            key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
            body = self.read_json(environ)
            with self._lock:
                self.requests += 1
                if self.fail_next > 0:
                    self.fail_next -= 1
                    return _respond(start_response, self.fail_status, {"error": "injected failure"})
                if not key or not body or not body.get("evaluation_number"):
                    return _respond(start_response, 400, {"error": "key and evaluation_number required"})
                self.rectifications.setdefault(key, body)
            return _respond(start_response, 200, {"ok": True})
        if method == "GET" and path == "/checks":
            with self._lock:
                return _respond(start_response, 200, {"checks": self.checks()})
        return super().__call__(environ, start_response)


class HotlineSimulator(JsonPeerSimulator):
    resource = "/work-orders"

    def reset_state(self) -> None:
        self.orders: dict[str, dict] = {}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not body.get("order_number") or body.get("stars") not in (1, 2):
            return 400, {"error": "order_number and stars 1-2 required"}
        self.orders.setdefault(key, body)
        return 200, {"ok": True}

    def listing(self) -> dict:
        return {"orders": list(self.orders.values())}


def _respond(start_response, status: int, body: dict):
    data = json.dumps(body, ensure_ascii=False).encode()
    start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                   [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]
