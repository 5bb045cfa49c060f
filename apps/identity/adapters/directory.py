"""Where processed city region and department data goes (IDN-11.1, 11.2): the national platform's
directory service (scheduled reports) and the matters system's organisation-change receiver (pushes).
Protocol + HTTP client + simulator for each; both are outbox peers, so a peer that is down gets the
batch on a later attempt.

    POST {IDENTITY_NATIONAL_DIRECTORY_URL}/directory-changes
         {"province": "230000000000", "batch": 12, "city": "230100000000", "kind": "organisations",
          "changes": [{"operation": "add|modify|delete", ...row}]}           → 200 {"accepted": n}
    POST {IDENTITY_MATTERS_ORG_SYNC_URL}   (matters' /api/v1/matters/org-changes/, token of a service
         account holding matters.add_organisationchange in IDENTITY_MATTERS_ORG_SYNC_TOKEN)
         {"changes": [{"external_id", "operation", "credit_code", "name", "short_name", "region",
                       "parent_credit_code", "kind"}]}                     → 200 {"received", "created"}
"""
from __future__ import annotations

from django.conf import settings

from apps.core.adapters.http import post_json
from apps.core.adapters.simulators import JsonPeerSimulator
from apps.core.models import OutboxMessage
from apps.core.outbox import PeerPermanentError, register_peer

NATIONAL_PEER = "identity.national_directory"
MATTERS_PEER = "identity.matters_org_sync"


def _setting(name: str) -> str:
    value = getattr(settings, name, "")
    if not value:
        raise PeerPermanentError(f"{name} is not configured")
    return value.rstrip("/")


def deliver_national_report(message: OutboxMessage) -> None:
    post_json(f"{_setting('IDENTITY_NATIONAL_DIRECTORY_URL')}/directory-changes", message.payload,
              idempotency_key=message.idempotency_key)


def deliver_matters_push(message: OutboxMessage) -> None:
    token = getattr(settings, "IDENTITY_MATTERS_ORG_SYNC_TOKEN", "")
    post_json(_setting("IDENTITY_MATTERS_ORG_SYNC_URL") + "/", message.payload,
              idempotency_key=message.idempotency_key,
              headers={"Authorization": f"Token {token}"} if token else None)


register_peer(NATIONAL_PEER, deliver_national_report)
register_peer(MATTERS_PEER, deliver_matters_push)


class _BatchReceiver(JsonPeerSimulator):
    """Keeps every accepted batch; refuses a body without a changes list."""

    def reset_state(self) -> None:
        self.batches: list[dict] = []
        self.keys: set[str] = set()

    def accept(self, key: str, body: dict) -> tuple[int, dict]:
        if not isinstance(body.get("changes"), list):
            return 400, {"error": "changes list required"}
        if key not in self.keys:                     # a repeated delivery is received once
            self.keys.add(key)
            self.batches.append(body)
        return 200, self.receipt(body)

    def receipt(self, body: dict) -> dict:
        return {"accepted": len(body["changes"])}

    def listing(self) -> dict:
        return {"batches": list(self.batches)}


class NationalDirectorySimulator(_BatchReceiver):
    resource = "/directory-changes"


class MattersOrgSyncSimulator(_BatchReceiver):
    """The matters receiver's contract (the real one is apps.matters.api.external)."""

    resource = "/"

    def receipt(self, body: dict) -> dict:
        return {"received": len(body["changes"]), "created": len(body["changes"])}
