"""Higher-authentication verification peer (STORE-2.1.3): 全省事 face recognition, the electronic business
licence and the electronic social-security card. The user's client completes the check with the peer
and hands us an evidence token; we ask the peer whether the token is genuine, unused and belongs to the
user's ID number.

    POST {url}/verifications {"method", "evidence", "id_number"}  Idempotency-Key
        → 200 {"ok": true, "reference": "..."} | 422 {"error": "..."}

The simulator (VerificationSimulator) issues tokens with `issue(method, id_number)`, as the peer's own
app would after a successful face scan or card read. Settings: STORES_VERIFICATION_URL."""
from __future__ import annotations

import hashlib
import secrets
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.adapters.http import post_json
from apps.core.outbox import PeerPermanentError, PeerTemporaryError
from apps.core.adapters.simulators import JsonPeerSimulator

DEFAULT_URL = "http://127.0.0.1:8081"
METHODS = ("face", "business_licence", "social_security_card")


class VerificationClient(Protocol):
    def verify(self, *, method: str, evidence: str, id_number: str) -> str: ...


class HttpVerificationClient:
    def __init__(self, url: str):
        self.url = url.rstrip("/")

    def verify(self, *, method: str, evidence: str, id_number: str) -> str:
        key = "stores:verify:" + hashlib.sha256(f"{method}:{evidence}".encode()).hexdigest()[:32]
        try:
            response = post_json(f"{self.url}/verifications",
                                 {"method": method, "evidence": evidence, "id_number": id_number},
                                 idempotency_key=key, interface="stores_verification")
        except PeerPermanentError:
            raise ValidationError({"evidence": _("认证未通过，请重新认证。")}) from None
        except PeerTemporaryError:
            raise ValidationError({"evidence": _("认证服务暂时不可用，请稍后再试或选择其他认证方式。")}) from None
        return str(response.json().get("reference", ""))


def verification_client() -> VerificationClient:
    return HttpVerificationClient(getattr(settings, "STORES_VERIFICATION_URL", "") or DEFAULT_URL)


class VerificationSimulator(JsonPeerSimulator):
    """Issues one-time evidence tokens and verifies them against method and ID number."""

    resource = "/verifications"

    def reset_state(self) -> None:
        self.tokens: dict[str, tuple[str, str]] = {}
        self.used: dict[str, str] = {}         # idempotency key → reference (a retried call answers the same)

    def issue(self, method: str, id_number: str) -> str:
        token = f"{method[:4].upper()}-{secrets.token_hex(8)}"
        with self._lock:
            self.tokens[token] = (method, id_number)
        return token

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if key in self.used:
            return 200, {"ok": True, "reference": self.used[key]}
        token = str(body.get("evidence", ""))
        expected = self.tokens.pop(token, None)
        if expected is None or expected != (body.get("method"), body.get("id_number")):
            return 422, {"error": "evidence not valid for this method and person"}
        reference = f"VR{secrets.token_hex(6).upper()}"
        self.used[key] = reference
        return 200, {"ok": True, "reference": reference}

    def listing(self) -> dict:
        return {"outstanding": len(self.tokens), "verified": len(self.used)}
