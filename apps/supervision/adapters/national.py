"""National interaction platform (互动交流平台) adapter: PORTAL-12.1 fetch cases, 12.2 process cases.

    GET  {url}/cases?status=todo      → {"cases": [{"case_id", "title", "content", "name", "mobile", "email",
                                          "kind", "region_code", "item_code", "item_name", "query_code"}]}
    POST {url}/results                {"case_id", "case_number", "result", "department", "handled_at"}
                                      header Idempotency-Key → {"ok": true}
"""
from __future__ import annotations

from typing import Protocol

from django.conf import settings

from apps.core.adapters.http import post_json, request
from apps.core.outbox import PeerPermanentError

DEFAULT_URL = "http://127.0.0.1:8032"


class NationalInteractionPlatform(Protocol):
    def fetch_cases(self) -> list[dict]: ...

    def process_case(self, payload: dict, *, idempotency_key: str) -> None: ...


class NationalInteractionClient:
    def __init__(self, url: str | None = None):
        self.url = (url or getattr(settings, "SUPERVISION_NATIONAL_URL", "") or DEFAULT_URL).rstrip("/")

    def fetch_cases(self) -> list[dict]:
        body = request("GET", f"{self.url}/cases", params={"status": "todo"}, interface="supervision.national").json()
        cases = body.get("cases")
        if not isinstance(cases, list):
            raise PeerPermanentError("national platform: 'cases' list expected")
        return cases

    def process_case(self, payload: dict, *, idempotency_key: str) -> None:
        post_json(f"{self.url}/results", payload, idempotency_key=idempotency_key)


def get_national_platform() -> NationalInteractionPlatform:
    return NationalInteractionClient()


def send_to_national(message) -> None:
    """Outbox sender of peer "national_interaction"."""
    get_national_platform().process_case(message.payload, idempotency_key=message.idempotency_key)
