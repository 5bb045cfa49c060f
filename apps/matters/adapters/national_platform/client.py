"""HTTP client of the national platform's matter-report interface (or the local simulator).

POST {base}/reports  JSON {kind, code, version, name, elements}  header Idempotency-Key
     → 200 {"id": "..."}; a repeated key → 200 with the same id; 5xx/network → retry; 4xx → permanent.
GET  {base}/reports  → {"items": [{"code", "kind", "version", "name"}...]}  (latest version per code)
GET  {base}/catalogue?department=<credit code> → {"items": [{"basic_code", "name", "matter_type",
     "legal_basis", "exercise_levels", "department"}...]}  (the upper-level catalogue, MAT-2.1.2)
"""
from __future__ import annotations

from django.conf import settings

from apps.core.adapters.http import post_json, request
from apps.core.outbox import PeerPermanentError

DEFAULT_LOCAL_URL = "http://127.0.0.1:8026"


class HttpNationalPlatform:
    def __init__(self, base_url: str, *, timeout: float | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def report(self, *, kind: str, code: str, version: int, elements: dict, idempotency_key: str) -> str:
        payload = {"kind": kind, "code": code, "version": version, "name": elements.get("name", ""),
                   "elements": elements}
        response = post_json(f"{self.base_url}/reports", payload, idempotency_key=idempotency_key,
                             timeout=self.timeout)
        return str(self._json(response).get("id", ""))

    def holdings(self) -> dict[str, dict]:
        response = request("GET", f"{self.base_url}/reports", timeout=self.timeout)
        return {row["code"]: row for row in self._json(response).get("items", [])}

    def catalogue(self, *, department_credit_code: str) -> list[dict]:
        from urllib.parse import quote

        response = request("GET", f"{self.base_url}/catalogue?department={quote(department_credit_code)}",
                           timeout=self.timeout)
        return list(self._json(response).get("items", []))

    @staticmethod
    def _json(response) -> dict:
        try:
            return response.json()
        except ValueError as exc:
            raise PeerPermanentError(f"National platform answered non-JSON: {response.text[:200]}") from exc


def get_platform() -> HttpNationalPlatform:
    """The peer named by settings.MATTERS_NATIONAL_PLATFORM_URL (empty: the local simulator on 8026)."""
    url = getattr(settings, "MATTERS_NATIONAL_PLATFORM_URL", "") or DEFAULT_LOCAL_URL
    return HttpNationalPlatform(url, timeout=settings.PEER_TIMEOUT_SECONDS)
