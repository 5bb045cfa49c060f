"""Simulator of a department business system on the unified acceptance exchange (real HTTP).

    POST /exchange   an envelope from the platform (Idempotency-Key); "case.accepted" is signed for
                     at once ({"ok": true, "signed": true}) unless sign_on_receipt is off
    GET  /exchange   every message received, in order
    GET  /health     route test target
    POST /control    {"fail_next": n, "status": 500} | {"reset": true} | {"sign_on_receipt": false}
                     | {"callback": {"platform_url": ..., "token": ...}}: after each "case.accepted" the
                       simulator answers on the platform's inbound API with acceptance.status accepted

docs/acceptance-exchange.md is the contract it checks against.
"""
from __future__ import annotations

import threading
import uuid

import requests

from apps.core.adapters.simulators import JsonPeerSimulator

ENVELOPE_FIELDS = ("version", "message_id", "kind", "case_number", "item_code", "sent_at", "body")
OUTBOUND_KINDS = ("case.accepted", "materials.supplement", "case.voided", "pickup.info")

# The three department systems `manage.py run_department_simulators` starts (name, port).
DEPARTMENTS = (("公安厅出入境业务系统", 8041), ("市场监管综合业务系统", 8042), ("人社一体化经办系统", 8043))


class DepartmentSystemSimulator(JsonPeerSimulator):
    resource = "/exchange"

    def __init__(self, name: str = "部门业务系统"):
        self.name = name
        super().__init__()

    def reset_state(self) -> None:
        self.messages: list[dict] = []
        self.seen: dict[str, dict] = {}
        self.sign_on_receipt = True
        self.callback: dict | None = None

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        missing = [f for f in ENVELOPE_FIELDS if f not in body]
        if missing:
            return 400, {"error": f"envelope fields missing: {', '.join(missing)}"}
        if body["kind"] not in OUTBOUND_KINDS:
            return 400, {"error": f"unknown kind {body['kind']}"}
        if key in self.seen:
            return 200, {"ok": True, "duplicate": True, "signed": self.sign_on_receipt}
        self.seen[key] = body
        self.messages.append(body)
        if body["kind"] == "case.accepted" and self.callback:
            threading.Thread(target=self._answer, args=(dict(self.callback), body["case_number"]),
                             daemon=True).start()
        return 200, {"ok": True, "signed": self.sign_on_receipt and body["kind"] == "case.accepted"}

    def _answer(self, callback: dict, case_number: str) -> None:
        envelope = {"version": "1.0", "message_id": uuid.uuid4().hex, "kind": "acceptance.status",
                    "case_number": case_number, "body": {"accepted": True, "opinion": f"{self.name}已受理"}}
        try:
            requests.post(callback["platform_url"].rstrip("/") + "/api/v1/acceptance/exchange/", json=envelope,
                          headers={"X-Client-Token": callback["token"]}, timeout=5)
        except requests.RequestException:
            pass

    def kinds(self) -> list[str]:
        with self._lock:
            return [m["kind"] for m in self.messages]

    def listing(self) -> dict:
        return {"name": self.name, "messages": list(self.messages)}

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] == "POST" and environ.get("PATH_INFO", "").rstrip("/") == "/control":
            body = self.read_json(environ) or {}
            with self._lock:
                if "sign_on_receipt" in body:
                    self.sign_on_receipt = bool(body["sign_on_receipt"])
                if isinstance(body.get("callback"), dict):
                    self.callback = body["callback"]
        return super().__call__(environ, start_response)
