"""National 好差评 system adapter (REV-22.0, 11.4.7, 9.6).

    POST {url}/evaluations        {"evaluations": [...]}            Idempotency-Key → {"ok": true}
    POST {url}/rectifications     full disposal record               Idempotency-Key → {"ok": true}
    GET  {url}/checks             → {"checks": [{"evaluation_number", "passed", "note"}]}
"""
from __future__ import annotations

from typing import Protocol

from django.conf import settings

from apps.core.adapters.http import post_json, request
from apps.core.outbox import PeerPermanentError

DEFAULT_URL = "http://127.0.0.1:8051"


class NationalReviewSystem(Protocol):
    def push_evaluations(self, payload: dict, *, idempotency_key: str) -> None: ...

    def push_rectification(self, payload: dict, *, idempotency_key: str) -> None: ...

    def fetch_checks(self) -> list[dict]: ...


class NationalReviewClient:
    def __init__(self, url: str | None = None):
        self.url = (url or getattr(settings, "REVIEWS_NATIONAL_URL", "") or DEFAULT_URL).rstrip("/")

    def push_evaluations(self, payload: dict, *, idempotency_key: str) -> None:
        post_json(f"{self.url}/evaluations", payload, idempotency_key=idempotency_key)

    def push_rectification(self, payload: dict, *, idempotency_key: str) -> None:
        post_json(f"{self.url}/rectifications", payload, idempotency_key=idempotency_key)

    def fetch_checks(self) -> list[dict]:
        checks = request("GET", f"{self.url}/checks").json().get("checks")
        if not isinstance(checks, list):
            raise PeerPermanentError("national 好差评: 'checks' list expected")
        return checks


def send_to_national(message) -> None:
    """Outbox sender of peer "reviews_national"."""
    client = NationalReviewClient()
    if message.kind == "rectification":
        client.push_rectification(message.payload, idempotency_key=message.idempotency_key)
        from apps.reviews.models import BadReviewDisposal
        from apps.reviews.services.disposals import disposal_mark_reported

        number = message.payload.get("evaluation_number")
        for pk in BadReviewDisposal.objects.filter(evaluation__evaluation_number=number).values_list("pk", flat=True):
            disposal_mark_reported(disposal_id=pk)
    else:
        client.push_evaluations(message.payload, idempotency_key=message.idempotency_key)
