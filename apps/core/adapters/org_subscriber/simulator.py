"""A subscribing third-party system, as a small WSGI application.

    POST /organisations   organisation payload, header Idempotency-Key
                          → 200 {"received": n}; a repeated key → 200 {"duplicate": true}, not recorded twice;
                            no key or no "organisation" object → 400
    GET  /organisations   → {"received": [...payloads...], "requests": n}
    POST /control         {"fail_next": 3, "status": 500} | {"reset": true}
    GET  /health          → {"ok": true}

Run it with apps.core.adapters.simulators.SimulatorServer(OrgSubscriberSimulator()).
"""
from __future__ import annotations

import json
import threading


class OrgSubscriberSimulator:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.received: list[dict] = []
            self.keys: set[str] = set()
            self.requests = 0
            self.fail_next = 0
            self.fail_status = 500

    def inject_failures(self, count: int, status: int = 500) -> None:
        with self._lock:
            self.fail_next, self.fail_status = count, status

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/").rstrip("/") or "/"
        routes = {("POST", "/organisations"): self._receive, ("GET", "/organisations"): self._list,
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

    def _receive(self, environ):
        key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
        body = self._body(environ)
        with self._lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"error": "injected failure"}
            if not key:
                return 400, {"error": "Idempotency-Key header required"}
            if body is None or not isinstance(body.get("organisation"), dict):
                return 400, {"error": "an organisation object is required"}
            if key in self.keys:
                return 200, {"duplicate": True}
            self.keys.add(key)
            self.received.append({"idempotency_key": key, **body})
            return 200, {"received": len(self.received)}

    def _list(self, environ):
        with self._lock:
            return 200, {"received": list(self.received), "requests": self.requests}

    def _control(self, environ):
        body = self._body(environ) or {}
        if body.get("reset"):
            self.reset()
        elif "fail_next" in body:
            self.inject_failures(int(body["fail_next"]), int(body.get("status", 500)))
        return 200, {"ok": True}
