"""Write-back of item satisfaction to the matter library (事项库, REV-21.1).

`aggregate_pending` (and the appeal adjustment) mark the items whose counts changed
(`MatterSatisfactionPush.dirty`); `matter_satisfaction_push()` — beat, every 10 minutes — claims the
dirty items with SELECT … FOR UPDATE SKIP LOCKED, reads their all-time counts from the
pre-aggregated table in one grouped query, bumps each item's version and writes one outbox message
per chunk in the same transaction. The outbox delivers it over HTTP; a peer that is down gets it
later, and the library keeps the highest version of each item, so order does not matter.
"""
from __future__ import annotations

import hashlib

from django.db import connection, transaction
from django.utils import timezone

from apps.core.outbox import enqueue
from apps.reviews.models import EvaluationAggregate, MatterSatisfactionPush
from apps.reviews.rankings import SUMS, derive

PEER = "reviews_matter_library"
CHUNK = 500


def matters_mark_dirty(matter_ids) -> None:
    """Flag items whose aggregate counts changed (one statement for any number of items)."""
    ids = sorted({int(m) for m in matter_ids if m})
    if not ids:
        return
    table = MatterSatisfactionPush._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (matter_id, total, score, good_rate, version, dirty, pushed_at) "
            f"SELECT m, 0, 0, 0, 0, TRUE, now() FROM unnest(%s::bigint[]) AS m "
            f"WHERE EXISTS (SELECT 1 FROM matters_implementationitem i WHERE i.id = m) "
            f"ON CONFLICT (matter_id) DO UPDATE SET dirty = TRUE", [ids])


def _record(snapshot: MatterSatisfactionPush, counts: dict, item: dict) -> dict:
    stats = derive(dict(counts))
    return {"taskCode": item["implementation_code"], "taskName": item["name"], "total": stats["total"],
            "score": stats["score"], "goodRate": stats["good_rate"], "badCount": stats["bad"],
            "levels": {str(i): stats[f"level{i}"] for i in range(1, 6)}, "version": snapshot.version,
            "asOf": timezone.now().isoformat(timespec="seconds")}


def matter_satisfaction_push(*, chunk: int = CHUNK) -> int:
    """Push every dirty item's satisfaction; returns the number of items written to the outbox."""
    from apps.matters.models import ImplementationItem

    pushed = 0
    while True:
        with transaction.atomic():
            snapshots = list(MatterSatisfactionPush.objects.select_for_update(skip_locked=True)
                             .filter(dirty=True).order_by("matter_id")[:chunk])
            if not snapshots:
                return pushed
            ids = [s.matter_id for s in snapshots]
            counts = {g["matter_id"]: g for g in EvaluationAggregate.objects.filter(matter_id__in=ids)
                      .values("matter_id").annotate(**SUMS)}
            items = {i["pk"]: i for i in ImplementationItem.objects.filter(pk__in=ids).values(
                "pk", "implementation_code", "name")}
            records = []
            for snapshot in snapshots:
                stats = derive(dict(counts.get(snapshot.matter_id) or {}))
                snapshot.version += 1
                snapshot.total, snapshot.score, snapshot.good_rate = stats["total"], stats["score"], stats["good_rate"]
                snapshot.dirty = False
                records.append(_record(snapshot, stats, items[snapshot.matter_id]))
            MatterSatisfactionPush.objects.bulk_update(snapshots, ["version", "total", "score", "good_rate", "dirty"])
            digest = hashlib.sha256(",".join(f"{s.matter_id}:{s.version}" for s in snapshots).encode()).hexdigest()
            enqueue(peer=PEER, kind="satisfaction", payload={"items": records},
                    idempotency_key=f"matter-satisfaction:{digest[:40]}")
            pushed += len(snapshots)
