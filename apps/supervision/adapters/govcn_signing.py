"""Signatures of gov.cn downstream messages (docs/supervision-govcn-exchange.md, "Signature").

Each downstream message carries `signature` = hex HMAC-SHA256, keyed with the secret agreed with
the platform (setting SUPERVISION_GOVCN_SECRET), over the canonical JSON of its message_id, type,
business_key and data (keys sorted, no spaces, UTF-8). A message whose signature is missing or
wrong is refused: nothing is applied, the exchange log keeps it with the error.
"""
from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings

DEFAULT_SECRET = "govcn-simulator-secret"


class BadSignature(ValueError):
    """The downstream message's signature does not match its content."""


def secret() -> bytes:
    return (getattr(settings, "SUPERVISION_GOVCN_SECRET", "") or DEFAULT_SECRET).encode()


def canonical(message: dict) -> bytes:
    body = {k: message.get(k, "") for k in ("message_id", "type", "business_key")}
    body["data"] = message.get("data") or {}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(message: dict, key: bytes | None = None) -> str:
    return hmac.new(key or secret(), canonical(message), hashlib.sha256).hexdigest()


def verify(message: dict) -> None:
    given = str(message.get("signature") or "")
    if not given or not hmac.compare_digest(given, sign(message)):
        raise BadSignature(f"签名校验失败：消息 {message.get('message_id', '')} 的签名与内容不符")
