"""Seal-making systems (制章系统, LIC-7.3, 7.5, 8.2) and the provincial e-seal platform.

* ``fetch_units(platform_url)`` — GET ``/units``: the seal-making units the provincial e-seal platform
  knows, each with its code, name, USCC, production endpoint and maker certificate (DER, base64).
* ``produce_remote(endpoint, application, idempotency_key)`` — POST ``<endpoint>/produce``: the maker
  system builds the GB/T 38540 SESeal with *its own* maker key and returns it (base64 DER). The
  national e-seal system (国家电子印章系统) speaks the same protocol and is registered as one more maker.

``SealPlatformSimulator`` plays the provincial platform and its makers over real HTTP in tests and
``manage.py``-free demos: each maker holds an SM2 key and a certificate issued by the simulator's own
CA (whose certificate the administrator imports, LIC-9.9, before the platform trusts the makers).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
from typing import Protocol

from django.conf import settings

from apps.core.adapters.http import post_json, request


class SealMakingSystem(Protocol):
    def fetch_units(self) -> list[dict]: ...

    def produce(self, endpoint: str, application: dict, idempotency_key: str) -> bytes: ...


def platform_url() -> str:
    return getattr(settings, "LICENCES_SEAL_PLATFORM_URL", "http://127.0.0.1:8062").rstrip("/")


class HttpSealMakingSystem:
    """The real adapter: JSON over HTTP with the kernel's timeout and error classes."""

    def __init__(self, base_url: str | None = None):
        self.base_url = (base_url or platform_url()).rstrip("/")

    def fetch_units(self) -> list[dict]:
        body = request("GET", f"{self.base_url}/units", interface="licences.seal_platform").json()
        units = body.get("units") if isinstance(body, dict) else None
        if not isinstance(units, list):
            raise ValueError("seal platform answered without a units list")
        return units

    def produce(self, endpoint: str, application: dict, idempotency_key: str) -> bytes:
        body = post_json(f"{endpoint.rstrip('/')}/produce", application, idempotency_key=idempotency_key).json()
        return base64.b64decode(body["seal"], validate=True)


class SealPlatformSimulator:
    """WSGI simulator of the provincial e-seal platform and its seal-making systems.

    ``makers``: {code: {"name", "credit_code", "key", "cert"}}. ``tamper`` (test control) makes the
    next production return a seal whose picture differs from the application's.
    """

    def __init__(self, makers: list[dict], *, ca_name: str = "省电子印章平台根证书"):
        from ..crypto.certs import build_certificate
        from ..crypto.sm import SM2PrivateKey

        self._lock = threading.Lock()
        self.ca = build_certificate(subject_cn=ca_name, organisation="省电子印章平台", key=SM2PrivateKey.generate(),
                                    ca=True, days=3650)
        self.makers: dict[str, dict] = {}
        for spec in makers:
            key = SM2PrivateKey.generate()
            cert = build_certificate(subject_cn=spec["name"], organisation=spec["name"], key=key, issuer=self.ca)
            self.makers[spec["code"]] = {**spec, "key": key, "cert": cert.der}
        self.base_url = ""
        self.produced: dict[str, bytes] = {}
        self.requests: list[tuple[str, str]] = []
        self.tamper = False

    def _units(self) -> dict:
        return {"units": [{"code": code, "name": m["name"], "credit_code": m["credit_code"],
                           "endpoint": f"{self.base_url}/makers/{code}",
                           "certificate": base64.b64encode(m["cert"]).decode()} for code, m in self.makers.items()]}

    def _produce(self, code: str, key: str, body: dict) -> tuple[int, dict]:
        from ..crypto.seal import make_seal_v4

        maker = self.makers.get(code)
        if maker is None:
            return 404, {"error": "unknown maker"}
        if not key:
            return 400, {"error": "Idempotency-Key header required"}
        if key in self.produced:
            return 200, {"seal": base64.b64encode(self.produced[key]).decode(), "duplicate": True}
        try:
            picture = base64.b64decode(body["picture"])
            if self.tamper:
                picture, self.tamper = picture + b"\0", False
            der = make_seal_v4(
                es_id=body["es_id"], name=body["name"], seal_type=int(body["seal_type"]),
                signer_certs=[base64.b64decode(c) for c in body["signer_certs"]], picture=picture,
                picture_type=body.get("picture_type", "PNG"), width_mm=int(body["width_mm"]),
                height_mm=int(body["height_mm"]), valid_start=dt.datetime.fromisoformat(body["valid_start"]),
                valid_end=dt.datetime.fromisoformat(body["valid_end"]), maker_cert=maker["cert"],
                maker_key=maker["key"])
        except (KeyError, ValueError, TypeError) as exc:
            return 400, {"error": f"bad application: {exc}"}
        self.produced[key] = der
        return 200, {"seal": base64.b64encode(der).decode()}

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/").rstrip("/")
        with self._lock:
            self.requests.append((method, path))
            if method == "GET" and path == "/units":
                status, body = 200, self._units()
            elif method == "GET" and path == "/root":
                status, body = 200, {"certificate": base64.b64encode(self.ca.der).decode()}
            elif method == "POST" and path.startswith("/makers/") and path.endswith("/produce"):
                try:
                    length = int(environ.get("CONTENT_LENGTH") or 0)
                    payload = json.loads(environ["wsgi.input"].read(length) or b"{}")
                except ValueError:
                    payload = None
                if not isinstance(payload, dict):
                    status, body = 400, {"error": "JSON object expected"}
                else:
                    status, body = self._produce(path.split("/")[2], environ.get("HTTP_IDEMPOTENCY_KEY", ""),
                                                 payload)
            else:
                status, body = 404, {"error": "not found"}
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(f"{status} {'OK' if status < 400 else 'ERROR'}",
                       [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))])
        return [data]
