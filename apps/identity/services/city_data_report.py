"""Reporting processed city data onwards (IDN-11.1, 11.2).

Each confirmed import batch is, at the next schedule point (the beat task `identity.city_data_report`,
daily at 02:00), reported to the national platform's directory service, and an organisation batch is
also pushed to the matters system as organisation changes. Both go through the outbox in the
transaction that marks the batch reported, so a peer that is down gets it on a later attempt and a
batch is never reported twice. Only rows that changed something are sent (new and changed; a
department the city marks as cancelled is sent as a deletion)."""
from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.core.outbox import enqueue
from apps.identity.adapters.directory import MATTERS_PEER, NATIONAL_PEER
from apps.identity.models import (
    CityDataImport,
    CityDataImportKind,
    CityDataImportStatus,
)
from apps.identity.services import city_data_rows as checks

ORG_FIELDS = ("credit_code", "name", "short_name", "region", "kind")


def _changed_rows(batch: CityDataImport) -> list[dict]:
    return [row for row in batch.rows if row["action"] in (checks.NEW, checks.CHANGED)]


def _operation(row: dict) -> str:
    if row["action"] == checks.NEW:
        return "add"
    return "modify" if checks._enabled(row["data"].get("status", "")) else "delete"


def national_changes(batch: CityDataImport) -> list[dict]:
    return [{"operation": _operation(row), **row["data"], "changed_fields": sorted(row["changes"])}
            for row in _changed_rows(batch)]


def matters_changes(batch: CityDataImport) -> list[dict]:
    """The rows in the matters receiver's format (apps.matters.services.org_sync), keyed per batch row."""
    changes = []
    for row in _changed_rows(batch):
        data = row["data"]
        change = {"external_id": f"idn-{batch.pk}-{row['line']}", "operation": _operation(row),
                  **{field: data.get(field, "") for field in ORG_FIELDS},
                  "parent_credit_code": data.get("parent", "")}
        changes.append({key: value for key, value in change.items() if value not in (None, "")})
    return changes


def city_data_report_due(*, now=None) -> dict:
    """Report every confirmed batch not reported yet (oldest first); returns the counts."""
    now = now or timezone.now()
    province = getattr(settings, "PROVINCE_REGION_CODE", "230000000000")
    due = (CityDataImport.objects.filter(status=CityDataImportStatus.CONFIRMED, reported_at__isnull=True)
           .order_by("decided_at", "pk").values_list("pk", flat=True))
    reported = pushed = 0
    for pk in list(due):
        with transaction.atomic():
            batch = CityDataImport.objects.select_for_update().filter(pk=pk, reported_at__isnull=True).first()
            if batch is None:                       # another worker took it
                continue
            national = national_changes(batch)
            if national:
                enqueue(peer=NATIONAL_PEER, kind="city_data_report", idempotency_key=f"city-data-report:{pk}",
                        region=batch.city, payload={"province": province, "batch": pk, "city": batch.city_id,
                                                    "kind": batch.kind, "changes": national})
                reported += 1
            fields = ["reported_at"]
            batch.reported_at = now
            if batch.kind == CityDataImportKind.ORGANISATIONS:
                pushes = matters_changes(batch)
                if pushes:
                    enqueue(peer=MATTERS_PEER, kind="organisation_changes", idempotency_key=f"city-org-push:{pk}",
                            region=batch.city, payload={"changes": pushes})
                    pushed += 1
                batch.pushed_at = now
                fields.append("pushed_at")
            batch.save(update_fields=fields)
    return {"reported": reported, "pushed": pushed}
