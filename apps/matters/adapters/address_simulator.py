"""A simulator of the internet: online-handling pages that answer 200 (an item page naming its
implementation code), 404, 500, a generic portal page (200 without the item), or hang past the
reader's timeout. Used by the MAT-7.9 address-check tests and `run_address_simulator`.

    /item/<code>     → 200, an item page that names <code>
    /portal/<any>    → 200, the portal home (not an item page)
    /missing/<any>   → 404
    /broken/<any>    → 500
    /slow/<any>      → waits `slow_seconds` (default 5 s), then 200
"""
from __future__ import annotations

import threading
import time


class AddressSimulator:
    def __init__(self, *, slow_seconds: float = 5.0):
        self.slow_seconds = slow_seconds
        self.hits: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        with self._lock:
            self.hits.append(path)
        head, _sep, rest = path.lstrip("/").partition("/")
        if head == "slow":
            time.sleep(self.slow_seconds)
        if head in ("item", "slow"):
            body, status = (f"<html><head><title>办事指南</title></head><body><h1>事项办理</h1>"
                            f"<p>实施编码：{rest}</p></body></html>"), "200 OK"
        elif head == "portal":
            body, status = "<html><head><title>政务服务网</title></head><body>首页</body></html>", "200 OK"
        elif head == "broken":
            body, status = "server error", "500 Internal Server Error"
        else:
            body, status = "not found", "404 Not Found"
        data = body.encode("utf-8")
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data)))])
        return [data]
