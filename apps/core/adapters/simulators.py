"""Run a WSGI simulator of a peer as a real HTTP server on a free loopback port.

    with SimulatorServer(SmsSimulator()) as server:      # starts a thread
        settings.SMS_GATEWAY_URL = server.url              # e.g. http://127.0.0.1:40123
        ...

Used by the tests (a real socket, real HTTP, no mocks), by `manage.py run_<peer>_simulator`
and by any other area's simulator.
"""
from __future__ import annotations

import json
import threading
import time
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 — keep test output clean
        pass


class SimulatorServer:
    def __init__(self, app, *, host: str = "127.0.0.1", port: int = 0, quiet: bool = True):
        self.app = app
        self._server = make_server(host, port, app, server_class=_ThreadingWSGIServer,
                                   handler_class=_QuietHandler if quiet else WSGIRequestHandler)
        self.host, self.port = self._server.server_address[:2]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "SimulatorServer":
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"simulator:{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the current thread (for management commands)."""
        self._server.serve_forever(poll_interval=0.5)

    def close(self) -> None:
        self._server.server_close()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> "SimulatorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class JsonPeerSimulator:
    """Base of every peer simulator: a thread-safe WSGI app speaking JSON.

    A subclass names its `resource` ("/messages") and implements `accept(key, body)` for
    POST <resource> (called under the lock, after failure injection and the Idempotency-Key
    check) and `listing()` for GET <resource>. The base class gives every simulator the same
    controls: POST /control {"fail_next": 3, "status": 500} | {"delay_ms": 2500} | {"reset": true}, GET /health,
    and `requests` (every POST to the resource, failed ones included).
    """

    resource = "/"

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.fail_next = 0
            self.fail_status = 500
            self.delay_seconds = 0.0          # every POST to the resource answers this late (latency monitoring)
            self.reset_state()

    def reset_state(self) -> None:
        """Forget what was received (subclasses)."""

    def inject_failures(self, count: int, status: int = 500) -> None:
        with self._lock:
            self.fail_next, self.fail_status = count, status

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        raise NotImplementedError

    def listing(self) -> dict:
        raise NotImplementedError

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/").rstrip("/") or "/"
        routes = {("POST", self.resource): self._receive, ("GET", self.resource): self._list,
                  ("POST", "/control"): self._control, ("GET", "/health"): lambda env: (200, {"ok": True})}
        handler = routes.get((method, path))
        status, body = handler(environ) if handler else (404, {"error": "not found"})
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                       [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
        return [data]

    @staticmethod
    def read_json(environ) -> dict | None:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        return body if isinstance(body, dict) else None

    def _receive(self, environ):
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        key = environ.get("HTTP_IDEMPOTENCY_KEY", "")
        body = self.read_json(environ)
        with self._lock:
            self.requests += 1
            if self.fail_next > 0:
                self.fail_next -= 1
                return self.fail_status, {"error": "injected failure"}
            if not key:
                return 400, {"error": "Idempotency-Key header required"}
            if body is None:
                return 400, {"error": "JSON object expected"}
            return self.accept(key, body)

    def _list(self, environ):
        with self._lock:
            return 200, {**self.listing(), "requests": self.requests}

    def _control(self, environ):
        body = self.read_json(environ)
        if body is None:
            return 400, {"error": "JSON object expected"}
        if body.get("reset"):
            self.reset()
        if "delay_ms" in body:
            try:
                self.delay_seconds = max(0, int(body["delay_ms"])) / 1000
            except (TypeError, ValueError):
                return 400, {"error": "delay_ms must be an integer"}
        if "fail_next" in body:
            try:
                self.inject_failures(int(body["fail_next"]), int(body.get("status", 500)))
            except (TypeError, ValueError):
                return 400, {"error": "fail_next and status must be integers"}
        return 200, {"fail_next": self.fail_next, "status": self.fail_status}
