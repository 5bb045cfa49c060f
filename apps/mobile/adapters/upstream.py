"""Outbound calls to the upstream of an interface resource (gateway proxy, API test, health poll).

Every call goes through apps.core.adapters.http.request with `interface="mobile:<resource code>"`, so
interface monitoring (apps.core.monitoring, PORTAL-7.13) counts it like any other peer call.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urljoin

from apps.core.adapters.http import request
from apps.core.outbox import PeerPermanentError, PeerTemporaryError

TEST_TIMEOUT_SECONDS = 5.0


@dataclass
class UpstreamResult:
    ok: bool
    status_code: int | None
    latency_ms: int
    content: bytes = b""
    content_type: str = "application/json"
    error: str = ""


class UpstreamClient(Protocol):
    def call(self, *, base_url: str, code: str, method: str, path: str = "", query: str = "",
             body: bytes = b"", content_type: str = "", timeout: float | None = None) -> UpstreamResult: ...


def monitoring_name(code: str) -> str:
    return f"mobile:{code}"


def upstream_target(base_url: str, path: str, query: str = "") -> str:
    base = base_url if base_url.endswith("/") or not path else base_url + "/"
    target = urljoin(base, path.lstrip("/")) if path else base_url
    return f"{target}?{query}" if query else target


class HttpUpstreamClient:
    """Real HTTP to the upstream address (the simulator in tests and `make run`)."""

    def call(self, *, base_url: str, code: str, method: str, path: str = "", query: str = "",
             body: bytes = b"", content_type: str = "", timeout: float | None = None) -> UpstreamResult:
        started = time.perf_counter()
        headers = {"Content-Type": content_type} if content_type else {}
        try:
            response = request(method, upstream_target(base_url, path, query), data=body or None, headers=headers,
                               timeout=timeout, interface=monitoring_name(code))
        except (PeerTemporaryError, PeerPermanentError) as exc:
            return UpstreamResult(ok=False, status_code=_status_of(str(exc)), error=str(exc)[:500],
                                  latency_ms=int((time.perf_counter() - started) * 1000))
        return UpstreamResult(ok=True, status_code=response.status_code, content=response.content,
                              content_type=response.headers.get("Content-Type", "application/json"),
                              latency_ms=int((time.perf_counter() - started) * 1000))


def _status_of(message: str) -> int | None:
    """The upstream's HTTP status from a peer error message ("HTTP 503 from …"), None for network errors."""
    if message.startswith("HTTP "):
        try:
            return int(message.split()[1].rstrip(":"))
        except (IndexError, ValueError):
            return None
    return None


def get_upstream_client() -> UpstreamClient:
    return HttpUpstreamClient()
