"""City / provincial-department licence platforms (LIC-2.1, 2.2, 5.1): a Protocol, its HTTP client, and a
simulator that holds a city's licence files and its front-end database (前置库) of catalogue rows."""

from __future__ import annotations

import json
import threading
from typing import Protocol

from apps.core.adapters.http import request

OPERATIONS = {"info": "GET", "file": "GET", "verify": "POST", "change": "POST", "cancel": "POST"}


class CityLicencePlatform(Protocol):
    def call(self, *, operation: str, licence_code: str, body: dict | None = None) -> tuple[int, str, bytes]:
        """Forward one licence operation; (status, content type, body bytes)."""

    def fetch_catalogue(self) -> list[dict]:
        """Rows waiting in the front-end database."""

    def write_back(self, *, anomalies: list[dict], accepted: list[str], idempotency_key: str) -> None:
        """Anomalies (row id + reasons) back into the front-end database; accepted rows marked extracted."""


class HttpCityLicencePlatform:
    def __init__(self, base_url: str, token: str = "", account: str = ""):
        self.base, self.headers = base_url.rstrip("/"), {"Authorization": f"Bearer {token}", "X-Account": account}

    def call(self, *, operation, licence_code, body=None):
        method = OPERATIONS[operation]
        suffix = "" if operation == "info" else f"{operation}/"
        response = request(method, f"{self.base}/licences/{licence_code}/{suffix}", headers=self.headers,
                           json=body if method == "POST" else None)
        return response.status_code, response.headers.get("Content-Type", ""), response.content

    def fetch_catalogue(self):
        return request("GET", f"{self.base}/frontend/catalogue", headers=self.headers,
                       interface="licences.city").json()["rows"]

    def write_back(self, *, anomalies, accepted, idempotency_key):
        request("POST", f"{self.base}/frontend/results", headers=self.headers, idempotency_key=idempotency_key,
                json={"anomalies": anomalies, "accepted": accepted})


def platform_for(route) -> CityLicencePlatform:
    return HttpCityLicencePlatform(route.access_address, route.access_token, route.access_account)


class CityLicencePlatformSimulator:
    """WSGI city platform: licences {code: (info, ofd bytes)}, a front-end DB of catalogue rows, a token."""

    def __init__(self, token: str = "city-token"):
        self.token, self._lock = token, threading.Lock()
        self.licences: dict[str, tuple[dict, bytes]] = {}
        self.frontend: list[dict] = []
        self.anomalies: dict[str, list[str]] = {}
        self.extracted: set[str] = set()
        self.calls: list[tuple[str, str]] = []
        self.fail_next = 0

    def _reply(self, start_response, status: int, body, content_type="application/json; charset=utf-8"):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                       [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        with self._lock:
            self.calls.append((method, path))
            if self.fail_next:
                self.fail_next -= 1
                return self._reply(start_response, 503, {"error": "injected failure"})
        if environ.get("HTTP_AUTHORIZATION") != f"Bearer {self.token}":
            return self._reply(start_response, 401, {"error": "bad token"})
        parts = [p for p in path.split("/") if p]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"{}") if length else {}
        if parts[:2] == ["frontend", "catalogue"] and method == "GET":
            with self._lock:
                rows = [r for r in self.frontend if r["row_id"] not in self.extracted
                        and r["row_id"] not in self.anomalies]
            return self._reply(start_response, 200, {"rows": rows})
        if parts[:2] == ["frontend", "results"] and method == "POST":
            with self._lock:
                for a in body.get("anomalies", []):
                    self.anomalies[a["row_id"]] = a["errors"]
                self.extracted.update(body.get("accepted", []))
            return self._reply(start_response, 200, {"ok": True})
        if len(parts) >= 2 and parts[0] == "licences":
            return self._licence(start_response, method, parts[1], parts[2] if len(parts) > 2 else "info", body)
        return self._reply(start_response, 404, {"error": "not found"})

    def _licence(self, start_response, method, code, operation, body):
        held = self.licences.get(code)
        if held is None:
            return self._reply(start_response, 404, {"error": "no such licence"})
        info, ofd = held
        if operation == "file":
            return self._reply(start_response, 200, ofd, "application/ofd")
        if operation == "info":
            return self._reply(start_response, 200, info)
        if operation == "verify":
            same = body.get("holder_name") == info.get("holder_name")
            return self._reply(start_response, 200, {"result": "match" if same else "mismatch"})
        if operation in ("change", "cancel") and method == "POST":
            with self._lock:
                info["status"] = "cancelled" if operation == "cancel" else "changed"
            return self._reply(start_response, 200, {"licence_code": code, "status": info["status"]})
        return self._reply(start_response, 405, {"error": "method"})
