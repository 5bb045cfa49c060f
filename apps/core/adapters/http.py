"""Outbound HTTP for every adapter: one timeout, and failures sorted into retry or give up.

    response = post_json(url, {"mobile": ...}, idempotency_key=message.idempotency_key)

* connection errors, timeouts, 5xx, 408 and 429 → PeerTemporaryError (the outbox retries);
* any other 4xx → PeerPermanentError (the outbox marks the message dead at once);
* the idempotency key is sent as the `Idempotency-Key` header on every call;
* a call with an interface name (`interface=`, or the outbox peer being delivered) is counted for
  interface monitoring (PORTAL-7.13, apps.core.monitoring): one pipelined Redis write, never raises.
"""
from __future__ import annotations

import time

import requests
from django.conf import settings

from apps.core import monitoring
from apps.core.outbox import PeerPermanentError, PeerTemporaryError

RETRYABLE_4XX = {408, 425, 429}


def classify(response: requests.Response) -> requests.Response:
    """Return the response if it is a success; raise the right peer error otherwise."""
    status = response.status_code
    if status < 400:
        return response
    detail = f"HTTP {status} from {response.url}: {response.text[:300]}"
    if status >= 500 or status in RETRYABLE_4XX:
        raise PeerTemporaryError(detail)
    raise PeerPermanentError(detail)


def request(method: str, url: str, *, idempotency_key: str | None = None, headers: dict | None = None,
            timeout: float | None = None, session: requests.Session | None = None, interface: str | None = None,
            **kwargs) -> requests.Response:
    name = interface or monitoring.current_interface.get()
    if name is None:
        return _request(method, url, idempotency_key=idempotency_key, headers=headers, timeout=timeout,
                        session=session, **kwargs)
    started = time.perf_counter()
    outcome, error = "ok", ""
    try:
        return _request(method, url, idempotency_key=idempotency_key, headers=headers, timeout=timeout,
                        session=session, **kwargs)
    except PeerTemporaryError as exc:
        outcome, error = "failure", str(exc)
        raise
    except PeerPermanentError as exc:
        outcome, error = "rejected", str(exc)
        raise
    finally:
        monitoring.record_call(name, outcome=outcome, error=error,
                               latency_ms=int((time.perf_counter() - started) * 1000))


def _request(method: str, url: str, *, idempotency_key: str | None, headers: dict | None, timeout: float | None,
             session: requests.Session | None, **kwargs) -> requests.Response:
    all_headers = {"User-Agent": "hlj-govplatform/1.0", **(headers or {})}
    if idempotency_key:
        all_headers["Idempotency-Key"] = idempotency_key
    try:
        response = (session or requests).request(
            method, url, headers=all_headers, timeout=timeout or settings.PEER_TIMEOUT_SECONDS, **kwargs)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise PeerTemporaryError(f"{type(exc).__name__} calling {url}: {exc}") from exc
    except requests.RequestException as exc:
        raise PeerPermanentError(f"Bad request to {url}: {exc}") from exc
    return classify(response)


def post_json(url: str, payload: dict, *, idempotency_key: str, **kwargs) -> requests.Response:
    return request("POST", url, json=payload, idempotency_key=idempotency_key, **kwargs)
