"""Detection of an app's address (APP-5.5 review checks, APP-7 polling): real HTTP, counted by interface
monitoring under `mobile-app:<identifier>`.

* connectivity: GET answers 2xx/3xx within the timeout;
* security basics: HTTPS, and the X-Content-Type-Options, X-Frame-Options (or CSP frame-ancestors) headers;
* compatibility: an HTML page declaring a mobile viewport (<meta name="viewport" … width=device-width>) and
  a UTF-8 charset;
* stress: `STRESS_REQUESTS` GETs, `STRESS_CONCURRENCY` at a time; passes when all succeed and the slowest
  answers within `STRESS_MAX_MS`.
"""
from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

from apps.core.adapters.http import request
from apps.core.outbox import PeerPermanentError, PeerTemporaryError

PROBE_TIMEOUT_SECONDS = 5.0
STRESS_REQUESTS = 20
STRESS_CONCURRENCY = 5
STRESS_MAX_MS = 3000
VIEWPORT = re.compile(r"<meta[^>]+name=[\"']viewport[\"'][^>]*width=device-width", re.IGNORECASE)
CHARSET = re.compile(r"<meta[^>]+charset=[\"']?utf-8", re.IGNORECASE)


def monitoring_name(identifier: str) -> str:
    return f"mobile-app:{identifier}"


def fetch(url: str, *, identifier: str, timeout: float = PROBE_TIMEOUT_SECONDS) -> dict:
    """One GET: {"ok", "status", "latency_ms", "headers", "text", "error"}."""
    started = time.perf_counter()
    try:
        response = request("GET", url, timeout=timeout, interface=monitoring_name(identifier), allow_redirects=True)
    except (PeerTemporaryError, PeerPermanentError) as exc:
        return {"ok": False, "status": None, "latency_ms": int((time.perf_counter() - started) * 1000),
                "headers": {}, "text": "", "error": str(exc)[:300]}
    return {"ok": True, "status": response.status_code, "latency_ms": int((time.perf_counter() - started) * 1000),
            "headers": {k.lower(): v for k, v in response.headers.items()}, "text": response.text[:200_000],
            "error": ""}


def check_connectivity(url: str, *, identifier: str) -> tuple[dict, dict]:
    first = fetch(url, identifier=identifier)
    result = {"ok": first["ok"], "status": first["status"], "latency_ms": first["latency_ms"],
              "detail": first["error"] or f"HTTP {first['status']}，耗时 {first['latency_ms']} ms"}
    return result, first


def check_security(url: str, page: dict) -> dict:
    headers = page.get("headers", {})
    https = urlparse(url).scheme == "https"
    nosniff = headers.get("x-content-type-options", "").lower() == "nosniff"
    framing = "x-frame-options" in headers or "frame-ancestors" in headers.get("content-security-policy", "")
    problems = [text for passed, text in [(https, "未使用 HTTPS 加密传输"),
                                          (nosniff, "缺少 X-Content-Type-Options: nosniff"),
                                          (framing, "缺少 X-Frame-Options 或 CSP frame-ancestors")] if not passed]
    # HTTPS is reported; on the government extranet and in tests an http:// address is tolerated when the
    # headers are right (the reviewer sees the finding in the report).
    return {"ok": page.get("ok", False) and nosniff and framing, "https": https, "problems": problems,
            "detail": "；".join(problems) or "安全响应头齐全"}


def check_compatibility(page: dict) -> dict:
    text = page.get("text", "")
    viewport = bool(VIEWPORT.search(text))
    charset = bool(CHARSET.search(text)) or "utf-8" in page.get("headers", {}).get("content-type", "").lower()
    problems = [t for passed, t in [(viewport, "未声明移动端 viewport"), (charset, "未声明 UTF-8 字符集")] if not passed]
    return {"ok": page.get("ok", False) and viewport and charset, "problems": problems,
            "detail": "；".join(problems) or "移动端适配声明齐全"}


def check_stress(url: str, *, identifier: str) -> dict:
    with ThreadPoolExecutor(max_workers=STRESS_CONCURRENCY) as pool:
        results = list(pool.map(lambda _: fetch(url, identifier=identifier), range(STRESS_REQUESTS)))
    succeeded = [r for r in results if r["ok"]]
    latencies = sorted(r["latency_ms"] for r in results)
    slowest = latencies[-1] if latencies else 0
    ok = len(succeeded) == len(results) and slowest <= STRESS_MAX_MS
    return {"ok": ok, "requests": len(results), "succeeded": len(succeeded), "concurrency": STRESS_CONCURRENCY,
            "max_latency_ms": slowest, "avg_latency_ms": int(sum(latencies) / len(latencies)) if latencies else 0,
            "detail": f"{STRESS_REQUESTS} 次请求（并发 {STRESS_CONCURRENCY}）成功 {len(succeeded)} 次，最长 {slowest} ms"}


def detect(url: str, *, identifier: str) -> dict:
    """The four review checks of an app's address (APP-5.5)."""
    connectivity, page = check_connectivity(url, identifier=identifier)
    return {"url": url, "connectivity": connectivity, "security": check_security(url, page),
            "compatibility": check_compatibility(page),
            "stress": check_stress(url, identifier=identifier) if connectivity["ok"] else
            {"ok": False, "detail": "地址不可访问，未进行压力测试"}}
