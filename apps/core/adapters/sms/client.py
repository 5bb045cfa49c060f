"""HTTP client of the SMS gateway (the province's SMS platform, or the local simulator).

POST {base}/messages  JSON {account, mobile, content, signature}  header Idempotency-Key
→ 200 {"id": "..."}; 5xx/network → retry; 4xx → permanent failure.
`signature` is HMAC-SHA256(secret, "account\\nmobile\\ncontent\\nidempotency_key"), hex.
"""
from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

from apps.core.adapters.http import post_json
from apps.core.outbox import PeerPermanentError

DEFAULT_LOCAL_URL = "http://127.0.0.1:8025"


def sign(secret: str, *parts: str) -> str:
    return hmac.new(secret.encode(), "\n".join(parts).encode(), hashlib.sha256).hexdigest()


class HttpSmsGateway:
    def __init__(self, base_url: str, *, account: str, secret: str, timeout: float | None = None):
        self.base_url = base_url.rstrip("/")
        self.account = account
        self.secret = secret
        self.timeout = timeout

    def send(self, *, mobile: str, content: str, idempotency_key: str) -> str:
        payload = {"account": self.account, "mobile": mobile, "content": content,
                   "signature": sign(self.secret, self.account, mobile, content, idempotency_key)}
        response = post_json(f"{self.base_url}/messages", payload, idempotency_key=idempotency_key,
                             timeout=self.timeout)
        try:
            return str(response.json().get("id", ""))
        except ValueError as exc:
            raise PeerPermanentError(f"SMS gateway answered non-JSON: {response.text[:200]}") from exc


def get_gateway() -> HttpSmsGateway:
    """The gateway named by settings.SMS_GATEWAY_URL (empty: the local simulator on port 8025)."""
    return HttpSmsGateway(settings.SMS_GATEWAY_URL or DEFAULT_LOCAL_URL, account=settings.SMS_GATEWAY_ACCOUNT,
                          secret=settings.SMS_GATEWAY_SECRET, timeout=settings.PEER_TIMEOUT_SECONDS)
