"""Calling a WSGI application as a WSGI server does (gunicorn, runserver) — for what the Django test
client bypasses: govplatform.wsgi's dispatcher (decision 0015)."""
from __future__ import annotations

import io
import json
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.signals import request_finished, request_started
from django.db import close_old_connections


@dataclass
class WsgiResponse:
    status: int
    headers: dict          # lower-cased names
    body: bytes

    def json(self):
        return json.loads(self.body)


@contextmanager
def _connections_kept():
    """As django.test.Client does: the test's transaction must survive the request's start and end
    (close_old_connections would close a connection inside an atomic block)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def wsgi_call(application, method: str, path: str, *, body: bytes = b"", headers: dict | None = None,
              content_type: str = "", remote_addr: str = "127.0.0.1") -> WsgiResponse:
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": remote_addr, "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type,
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(), "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"], started["headers"] = status, response_headers

    with _connections_kept():
        result = application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    return WsgiResponse(status=int(started["status"].split()[0]),
                        headers={name.lower(): value for name, value in started["headers"]},
                        body=content)
