"""Simulator that plays the 中国政府网督查平台 data-exchange platform (real HTTP).

It keeps a downstream queue (messages for us, each unread until confirmed), hands out
business keys, records upstream messages (idempotent by key) and answers a reconciliation
request by queueing its reconciliation data for that day. Tests and the demo add
downstream messages with `push(type, business_key, data)` or POST /control {"push": {...}}.
"""
from __future__ import annotations

import json

from apps.core.adapters.simulators import JsonPeerSimulator
from apps.supervision.adapters.govcn_signing import sign

UPSTREAM_TYPES = {"return_info", "handling_feedback", "retain_notice", "extension_request", "withdrawal_request",
                  "reconciliation_request", "reconciliation_data", "own_data"}


class GovcnInspectionSimulator(JsonPeerSimulator):
    resource = "/upstream"

    def reset_state(self) -> None:
        self.downstream: list[dict] = []
        self.upstream: dict[str, dict] = {}
        self.keys: dict[str, str] = {}          # message id → business key
        self.days: dict[str, set] = {}          # day → business keys the platform knows
        self._serial = 0

    def push(self, message_type: str, business_key: str = "", data: dict | None = None, *, day: str = "",
             signature: str | None = None) -> str:
        """Queue a downstream message, signed (docs: Signature); `signature` overrides it (tests)."""
        with self._lock:
            self._serial += 1
            message_id = f"DX{self._serial:06d}"
            self.downstream.append({"message_id": message_id, "type": message_type, "business_key": business_key,
                                    "data": data or {}, "read": False})
            if message_type == "clue":
                self.keys[message_id] = business_key or f"BK{self._serial:08d}"
                self.downstream[-1]["business_key"] = ""
                if day:
                    self.days.setdefault(day, set()).add(self.keys[message_id])
            self.downstream[-1]["signature"] = signature if signature is not None else sign(self.downstream[-1])
            return message_id

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if body.get("type") not in UPSTREAM_TYPES or not isinstance(body.get("data"), dict):
            return 400, {"error": "unknown type or data missing"}
        if body["type"] not in ("reconciliation_request", "reconciliation_data", "own_data") and not body.get(
                "business_key"):
            return 400, {"error": "business_key required"}
        if key in self.upstream:
            return 200, {"ok": True, "duplicate": True}
        self.upstream[key] = body
        if body["type"] == "reconciliation_request":
            day = str(body["data"].get("day", ""))
            self._serial += 1
            self.downstream.append({"message_id": f"DX{self._serial:06d}", "type": "reconciliation_data",
                                    "business_key": "", "read": False,
                                    "data": {"day": day, "business_keys": sorted(self.days.get(day, set()))}})
            self.downstream[-1]["signature"] = sign(self.downstream[-1])
        return 200, {"ok": True}

    def listing(self) -> dict:
        return {"upstream": list(self.upstream.values()), "downstream": list(self.downstream)}

    def upstream_of(self, message_type: str) -> list[dict]:
        return [m for m in self.upstream.values() if m["type"] == message_type]

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "").rstrip("/")
        if environ["REQUEST_METHOD"] == "POST" and path in ("/downstream/find", "/downstream/confirm", "/business-key"):
            body = self.read_json(environ) or {}
            with self._lock:
                self.requests += 1
                if self.fail_next > 0:
                    self.fail_next -= 1
                    return self._respond(start_response, self.fail_status, {"error": "injected failure"})
                status, result = {"/downstream/find": self._find, "/downstream/confirm": self._confirm,
                                  "/business-key": self._key}[path](body)
            return self._respond(start_response, status, result)
        if environ["REQUEST_METHOD"] == "POST" and path == "/control":
            body = self.read_json(environ) or {}
            if isinstance(body.get("push"), dict):
                push = body["push"]
                message_id = self.push(push.get("type", "clue"), push.get("business_key", ""), push.get("data"))
                return self._respond(start_response, 200, {"message_id": message_id})
        return super().__call__(environ, start_response)

    def _find(self, body):
        limit = int(body.get("limit") or 100)
        unread = [{k: v for k, v in m.items() if k != "read"} for m in self.downstream if not m["read"]]
        return 200, {"messages": unread[:limit]}

    def _confirm(self, body):
        ids = set(body.get("message_ids") or [])
        count = 0
        for message in self.downstream:
            if message["message_id"] in ids and not message["read"]:
                message["read"], count = True, count + 1
        return 200, {"confirmed": count}

    def _key(self, body):
        key = self.keys.get(str(body.get("message_id")))
        return (200, {"business_key": key}) if key else (404, {"error": "no business key for this message"})

    @staticmethod
    def _respond(start_response, status, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                       [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
        return [data]
