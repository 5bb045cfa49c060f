"""HTTP client of a subscribing system's organisation-data endpoint.

    POST <endpoint_url>   JSON {"event": "add|modify|delete", "change_request_id": n,
                                "organisation": {...}}, header Idempotency-Key
    2xx → accepted (a repeat of the same key is accepted without being applied twice);
    5xx / timeouts → PeerTemporaryError (retried); other 4xx → PeerPermanentError.
"""
from __future__ import annotations

from apps.core.adapters.http import post_json


class OrgSubscriberClient:
    def __init__(self, endpoint_url: str, *, timeout: float | None = None):
        self.endpoint_url = endpoint_url
        self.timeout = timeout

    def push(self, payload: dict, *, idempotency_key: str) -> dict:
        response = post_json(self.endpoint_url, payload, idempotency_key=idempotency_key, timeout=self.timeout)
        try:
            return response.json()
        except ValueError:
            return {}
