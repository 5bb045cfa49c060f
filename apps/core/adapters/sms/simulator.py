"""A local SMS gateway that behaves like the real one (JsonPeerSimulator).

    POST /messages   {account, mobile, content, signature}, header Idempotency-Key
                     → 200 {"id": "sim-1"}; a repeated key → 200 with the same id, not recorded twice;
                       missing key or malformed body → 400
    GET  /messages   → {"messages": [...accepted...], "requests": n}
    POST /control    {"fail_next": 3, "status": 500}   answer the next 3 sends with 500
                     {"reset": true}                    forget everything
    GET  /health     → {"ok": true}

Served by apps.core.adapters.simulators.SimulatorServer (tests) or
`manage.py run_sms_simulator --port 8025` (make run). See docs/simulators.md.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from apps.core.adapters.simulators import JsonPeerSimulator

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class SmsSimulator(JsonPeerSimulator):
    resource = "/messages"

    def reset_state(self) -> None:
        self.messages: list[dict] = []
        self._ids_by_key: dict[str, str] = {}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not _MOBILE_RE.match(str(body.get("mobile", ""))) or not body.get("content"):
            return 400, {"error": "mobile (11 digits) and content are required"}
        if key in self._ids_by_key:
            return 200, {"id": self._ids_by_key[key], "duplicate": True}
        message_id = f"sim-{len(self.messages) + 1}"
        self._ids_by_key[key] = message_id
        self.messages.append({"id": message_id, "idempotency_key": key, "mobile": body["mobile"],
                              "content": body["content"], "account": body.get("account", ""),
                              "received_at": datetime.now(timezone.utc).isoformat()})
        return 200, {"id": message_id}

    def listing(self) -> dict:
        return {"messages": list(self.messages)}
