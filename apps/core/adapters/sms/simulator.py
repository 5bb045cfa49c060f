"""A local SMS gateway that behaves like the real one, as a small WSGI application.

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

import json
import re
import threading
from datetime import datetime, timezone

_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class SmsSimulator:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    # --- state -------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self.messages: list[dict] = []
            self._ids_by_key: dict[str, str] = {}
            self.requests = 0
            self.fail_next = 0
            self.fail_status = 500

    def inject_failures(self, count: int, status: int = 500) -> None:
        with self._lock:
            self.fail_next, self.fail_status = count, status

    # --- WSGI --------------------------------------------------------------------------
    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/").rstrip("/") or "/"
        routes = {("POST", "/messages"): self._send, ("GET", "/messages"): self._list,
                  ("POST", "/control"): self._control, ("GET", "/health"): lambda env: (200, {"ok": True})}
        handler = routes.get((method, path))
        status, body = handler(environ) if handler else (404, {"error": "not found"})
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                       [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
        return [data]

    @staticmethod
    def _body(environ) -> dict | None:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        return body if isinstance(body, dict) else None

    def _send(self, environ):
        key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
        body = self._body(environ)
        with self._lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"error": "injected failure"}
            if not key:
                return 400, {"error": "Idempotency-Key header required"}
            if body is None or not _MOBILE_RE.match(str(body.get("mobile", ""))) or not body.get("content"):
                return 400, {"error": "mobile (11 digits) and content are required"}
            if key in self._ids_by_key:
                return 200, {"id": self._ids_by_key[key], "duplicate": True}
            message_id = f"sim-{len(self.messages) + 1}"
            self._ids_by_key[key] = message_id
            self.messages.append({"id": message_id, "idempotency_key": key, "mobile": body["mobile"],
                                  "content": body["content"], "account": body.get("account", ""),
                                  "received_at": datetime.now(timezone.utc).isoformat()})
            return 200, {"id": message_id}

    def _list(self, environ):
        with self._lock:
            return 200, {"messages": list(self.messages), "requests": self.requests}

    def _control(self, environ):
        body = self._body(environ)
        if body is None:
            return 400, {"error": "JSON object expected"}
        if body.get("reset"):
            self.reset()
        if "fail_next" in body:
            try:
                self.inject_failures(int(body["fail_next"]), int(body.get("status", 500)))
            except (TypeError, ValueError):
                return 400, {"error": "fail_next and status must be integers"}
        return 200, {"fail_next": self.fail_next, "status": self.fail_status}
