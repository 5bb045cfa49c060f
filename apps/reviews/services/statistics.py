"""Incremental refresh of the pre-aggregated table (EvaluationAggregate) and its adjustments.

`aggregate_pending()` claims unaggregated evaluations with SELECT … FOR UPDATE SKIP LOCKED,
adds them to their aggregate rows with INSERT … ON CONFLICT DO UPDATE (increments), and flags
them, all in one transaction: a row is counted exactly once even with two workers. Run after
every intake commit (Celery) and by a beat sweep (so a Redis outage only delays statistics).
"""
from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from apps.reviews.models import Evaluation, EvaluationAggregate
from apps.reviews.services.matter_library import matters_mark_dirty

BATCH = 5000
KEY_FIELDS = ("day", "region_code", "city_code", "organisation_id", "hall_id", "window_id", "staff_id",
              "matter_id", "object_kind", "channel", "client_id")
COUNT_FIELDS = ("total", "level1", "level2", "level3", "level4", "level5", "invalid", "rectified")


def city_code_of(region_code: str) -> str:
    """The city a region belongs to; provincial-level records (省直) keep the province code."""
    if region_code[2:4] == "00":
        return region_code
    return region_code[:4] + "0" * 8


def _key(e: dict) -> tuple:
    return (timezone.localtime(e["evaluated_at"]).date(), e["region_id"], city_code_of(e["region_id"]),
            e["organisation_id"], e["hall_id"] or 0, e["window_id"] or 0, e["staff_id"] or 0, e["matter_id"] or 0,
            e["object_kind"], e["channel"], e["client_id"] or 0)


def upsert(rows: dict[tuple, list[int]]) -> None:
    if not rows:
        return
    table = EvaluationAggregate._meta.db_table
    cols = ", ".join(KEY_FIELDS + COUNT_FIELDS)
    marks = ", ".join(["%s"] * (len(KEY_FIELDS) + len(COUNT_FIELDS)))
    conflict = ", ".join(f for f in KEY_FIELDS if f != "city_code")
    updates = ", ".join(f"{f} = {table}.{f} + EXCLUDED.{f}" for f in COUNT_FIELDS)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [list(k) + counts for k, counts in rows.items()])


def aggregate_pending(*, batch: int = BATCH) -> int:
    done = 0
    while True:
        with transaction.atomic():
            ids = list(Evaluation.objects.select_for_update(skip_locked=True).filter(aggregated=False)
                       .order_by("pk").values_list("pk", flat=True)[:batch])
            if not ids:
                return done
            rows: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COUNT_FIELDS))
            values = Evaluation.objects.filter(pk__in=ids).values(
                "evaluated_at", "region_id", "organisation_id", "hall_id", "window_id", "staff_id", "matter_id",
                "object_kind", "channel", "client_id", "level", "is_valid", "disposal__status")
            for e in values:
                counts = rows[_key(e)]
                if e["is_valid"]:
                    counts[0] += 1
                    counts[e["level"]] += 1
                else:
                    counts[6] += 1
                if e["disposal__status"] in ("completed", "reported"):
                    counts[7] += 1
            upsert(rows)
            matters_mark_dirty(key[KEY_FIELDS.index("matter_id")] for key in rows)
            Evaluation.objects.filter(pk__in=ids).update(aggregated=True)
            done += len(ids)


def _adjust(evaluation: Evaluation, deltas: dict[str, int]) -> None:
    e = Evaluation.objects.select_for_update().filter(pk=evaluation.pk).values(
        "aggregated", "evaluated_at", "region_id", "organisation_id", "hall_id", "window_id", "staff_id",
        "matter_id", "object_kind", "channel", "client_id").first()
    if not e or not e["aggregated"]:
        return  # not counted yet: aggregate_pending will count it in its current state
    key = dict(zip(KEY_FIELDS, _key(e), strict=True))
    key.pop("city_code")
    from django.db.models import F

    EvaluationAggregate.objects.filter(**key).update(**{f: F(f) + n for f, n in deltas.items()})
    matters_mark_dirty([e["matter_id"]])


def aggregate_adjust_invalid(*, evaluation: Evaluation) -> None:
    """An upheld appeal: the bad review leaves the level counts and joins the invalid count."""
    _adjust(evaluation, {"total": -1, f"level{evaluation.level}": -1, "invalid": 1})


def aggregate_adjust_rectified(*, evaluation: Evaluation) -> None:
    _adjust(evaluation, {"rectified": 1})
