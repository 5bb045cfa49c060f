"""Local simulators of the mobile platform's peers, served over real HTTP by SimulatorServer:

* `UpstreamSimulator` — an interface resource's upstream (government-extranet service). Any GET/POST
  answers JSON echoing the path, query and body; `POST /control {"down": true}` makes every call answer
  503, `{"down": false}` restores it; `calls` counts the calls received.
* `AppSiteSimulator` — an app's H5 site: GET / returns a mobile HTML page with the security headers;
  `POST /control {"down": true}` → 503, `{"viewport": false}` drops the viewport meta,
  `{"headers": false}` drops the security headers.
* `PushGatewaySimulator` — the unified push channel (消息组件): POST /pushes with an Idempotency-Key.
"""
from __future__ import annotations

import json
import threading

from apps.core.adapters.simulators import JsonPeerSimulator

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
<body><h1>{title}</h1><p>全省事 H5 应用</p></body></html>"""


def _read(environ) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _json(start_response, status: int, body: dict):
    data = json.dumps(body, ensure_ascii=False).encode()
    start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                   [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
    return [data]


class UpstreamSimulator:
    def __init__(self):
        self._lock = threading.Lock()
        self.down = False
        self.calls = 0

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path == "/control" and environ["REQUEST_METHOD"] == "POST":
            body = json.loads(_read(environ) or b"{}")
            with self._lock:
                if "down" in body:
                    self.down = bool(body["down"])
                if body.get("reset"):
                    self.down, self.calls = False, 0
            return _json(start_response, 200, {"down": self.down})
        with self._lock:
            self.calls += 1
            down = self.down
        if down:
            return _json(start_response, 503, {"error": "upstream unavailable"})
        raw = _read(environ)
        return _json(start_response, 200, {"ok": True, "method": environ["REQUEST_METHOD"], "path": path,
                                           "query": environ.get("QUERY_STRING", ""),
                                           "body": raw.decode("utf-8", "replace")})


class AppSiteSimulator:
    def __init__(self, title: str = "测试应用"):
        self.title = title
        self.down = False
        self.viewport = True
        self.headers = True
        self.requests = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/control" and environ["REQUEST_METHOD"] == "POST":
            body = json.loads(_read(environ) or b"{}")
            for key in ("down", "viewport", "headers"):
                if key in body:
                    setattr(self, key, bool(body[key]))
            return _json(start_response, 200, {"down": self.down})
        with self._lock:
            self.requests += 1
        if self.down:
            return _json(start_response, 503, {"error": "site down"})
        page = PAGE.format(title=self.title)
        if not self.viewport:
            page = page.replace('<meta name="viewport" content="width=device-width, initial-scale=1">', "")
        data = page.encode()
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))]
        if self.headers:
            headers += [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN")]
        start_response("200 OK", headers)
        return [data]


class PushGatewaySimulator(JsonPeerSimulator):
    resource = "/pushes"

    def reset_state(self) -> None:
        self.pushes: list[dict] = []
        self.keys: dict[str, str] = {}

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if key in self.keys:
            return 200, {"id": self.keys[key], "duplicate": True}
        if not body.get("open_id") or not body.get("title"):
            return 400, {"error": "open_id and title required"}
        push_id = f"push-{len(self.pushes) + 1}"
        self.keys[key] = push_id
        self.pushes.append({"id": push_id, "idempotency_key": key, **body})
        return 200, {"id": push_id}

    def listing(self) -> dict:
        return {"pushes": list(self.pushes)}
