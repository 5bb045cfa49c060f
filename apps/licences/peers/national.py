"""The national licence platform (国家证照平台, LIC-2.1 2, 5.3): aggregated catalogue rows are reported
through the outbox; a JSON simulator receives them over real HTTP."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from apps.core.adapters.http import post_json
from apps.core.adapters.simulators import JsonPeerSimulator

PEER = "licences.national"


def national_url() -> str:
    return getattr(settings, "LICENCES_NATIONAL_PLATFORM_URL", "http://127.0.0.1:8061").rstrip("/")


def send_catalogue(message) -> None:
    """Outbox sender: POST the rows; on success stamp them reported."""
    from ..models import CatalogueRecord

    post_json(f"{national_url()}/catalogue", message.payload, idempotency_key=message.idempotency_key)
    ids = [r["id"] for r in message.payload.get("rows", []) if r.get("id")]
    CatalogueRecord.objects.filter(pk__in=ids).update(reported_at=timezone.now())


class NationalLicencePlatformSimulator(JsonPeerSimulator):
    resource = "/catalogue"

    def reset_state(self) -> None:
        self.received: dict[str, dict] = {}
        self.rows: dict[str, dict] = {}

    def accept(self, key, body):
        if key in self.received:
            return 200, {"accepted": len(body.get("rows", [])), "duplicate": True}
        self.received[key] = body
        for row in body.get("rows", []):
            if row.get("operation") == "delete":
                self.rows.pop(row["licence_code"], None)
            else:
                self.rows[row["licence_code"]] = row
        return 200, {"accepted": len(body.get("rows", []))}

    def listing(self):
        return {"rows": list(self.rows.values())}
