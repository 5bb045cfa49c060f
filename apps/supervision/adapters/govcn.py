"""中国政府网督查平台 data-exchange adapter (PORTAL-13.3, 13.4). Message format:
docs/supervision-govcn-exchange.md.

    POST {url}/downstream/find     {"limit": n}            → {"messages": [{"message_id", "type",
                                                              "business_key", "data"}]}  (unread only)
    POST {url}/downstream/confirm  {"message_ids": [...]}  → {"confirmed": n}
    POST {url}/business-key        {"message_id"}          → {"business_key"}
    POST {url}/upstream            {"type", "business_key", "data", "sent_at"}, Idempotency-Key → {"ok": true}
"""
from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.utils import timezone

from apps.core.adapters.http import post_json
from apps.core.outbox import PeerPermanentError

DEFAULT_URL = "http://127.0.0.1:8031"


class GovcnInspectionPlatform(Protocol):
    def find_downstream(self, *, limit: int = 100) -> list[dict]: ...

    def confirm_read(self, message_ids: list[str]) -> int: ...

    def business_key(self, message_id: str) -> str: ...

    def send_upstream(self, *, message_type: str, business_key: str, data: dict, idempotency_key: str) -> None: ...


class GovcnInspectionClient:
    def __init__(self, url: str | None = None):
        self.url = (url or getattr(settings, "SUPERVISION_GOVCN_URL", "") or DEFAULT_URL).rstrip("/")

    def _post(self, path: str, body: dict, key: str) -> dict:
        result = post_json(f"{self.url}{path}", body, idempotency_key=key).json()
        if not isinstance(result, dict):
            raise PeerPermanentError(f"gov.cn {path}: JSON object expected")
        return result

    def find_downstream(self, *, limit: int = 100) -> list[dict]:
        messages = self._post("/downstream/find", {"limit": limit}, f"find:{timezone.now().timestamp()}").get("messages")
        if not isinstance(messages, list):
            raise PeerPermanentError("gov.cn find: 'messages' list expected")
        return messages

    def confirm_read(self, message_ids: list[str]) -> int:
        return int(self._post("/downstream/confirm", {"message_ids": message_ids},
                              "confirm:" + ",".join(message_ids)).get("confirmed", 0))

    def business_key(self, message_id: str) -> str:
        key = self._post("/business-key", {"message_id": message_id}, f"key:{message_id}").get("business_key")
        if not key:
            raise PeerPermanentError(f"gov.cn gave no business key for {message_id}")
        return str(key)

    def send_upstream(self, *, message_type: str, business_key: str, data: dict, idempotency_key: str) -> None:
        self._post("/upstream", {"type": message_type, "business_key": business_key, "data": data,
                                 "sent_at": timezone.now().isoformat()}, idempotency_key)


def get_govcn_platform() -> GovcnInspectionPlatform:
    return GovcnInspectionClient()


def send_to_govcn(message) -> None:
    """Outbox sender of peer "govcn_inspection": post the ExchangeMessage the payload names."""
    from apps.supervision.models import ExchangeMessage

    exchange = ExchangeMessage.objects.filter(pk=message.payload.get("exchange_message_id")).first()
    if exchange is None:
        raise PeerPermanentError(f"exchange message {message.payload} no longer exists")
    get_govcn_platform().send_upstream(message_type=exchange.message_type, business_key=exchange.business_key,
                                       data=exchange.payload, idempotency_key=message.idempotency_key)
