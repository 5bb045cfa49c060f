"""Incremental refresh of the pre-aggregated table (EvaluationAggregate) and its adjustments.

`aggregate_pending()` claims unaggregated evaluations with SELECT … FOR UPDATE SKIP LOCKED,
adds them to their aggregate rows with INSERT … ON CONFLICT DO UPDATE (increments) — the counts
in `EvaluationAggregate`, the impression ratings in `ImpressionAggregate` — flags them, and flags
the public overview's snapshots of the touched regions (services/overview.py), all in one
transaction: a row is counted exactly once even with two workers. Run after
every intake commit (Celery) and by a beat sweep (so a Redis outage only delays statistics).
"""
from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from apps.reviews.models import Evaluation, EvaluationAggregate, ImpressionAggregate
from apps.reviews.services.matter_library import matters_mark_dirty
from apps.reviews.services.overview import overview_mark_dirty

BATCH = 5000
KEY_FIELDS = ("day", "region_code", "city_code", "organisation_id", "hall_id", "window_id", "staff_id",
              "matter_id", "object_kind", "channel", "client_id")
COUNT_FIELDS = ("total", "level1", "level2", "level3", "level4", "level5", "invalid", "rectified")
IMPRESSION_KEY = ("day", "region_code", "city_code", "organisation_id", "object_kind", "channel", "target_id",
                  "dimension", "value")
#: Object kind → the evaluation column that names its target in the impression roll-up.
IMPRESSION_TARGET = {"window": "window_id", "staff": "staff_id", "hall": "hall_id"}
VALUES = ("evaluated_at", "region_id", "organisation_id", "hall_id", "window_id", "staff_id", "matter_id",
          "object_kind", "channel", "client_id")


def city_code_of(region_code: str) -> str:
    """The city a region belongs to; provincial-level records (省直) keep the province code."""
    if region_code[2:4] == "00":
        return region_code
    return region_code[:4] + "0" * 8


def _key(e: dict) -> tuple:
    return (timezone.localtime(e["evaluated_at"]).date(), e["region_id"], city_code_of(e["region_id"]),
            e["organisation_id"], e["hall_id"] or 0, e["window_id"] or 0, e["staff_id"] or 0, e["matter_id"] or 0,
            e["object_kind"], e["channel"], e["client_id"] or 0)


def impressions_of(e: dict) -> list[tuple[str, str]]:
    """(dimension, value) of the "维度:值" impression ratings among an evaluation's indicators."""
    return [tuple(i.split(":", 1)) for i in e.get("indicators") or () if isinstance(i, str) and ":" in i]


def _impression_key(e: dict, dimension: str, value: str) -> tuple:
    target = e[IMPRESSION_TARGET.get(e["object_kind"], "matter_id")] or 0
    return (timezone.localtime(e["evaluated_at"]).date(), e["region_id"], city_code_of(e["region_id"]),
            e["organisation_id"], e["object_kind"], e["channel"], target, dimension[:32], value[:4])


def _upsert(model, key_fields: tuple, count_fields: tuple, rows: dict[tuple, list[int]]) -> None:
    if not rows:
        return
    table = model._meta.db_table
    cols = ", ".join(key_fields + count_fields)
    marks = ", ".join(["%s"] * (len(key_fields) + len(count_fields)))
    conflict = ", ".join(f for f in key_fields if f != "city_code")
    updates = ", ".join(f"{f} = {table}.{f} + EXCLUDED.{f}" for f in count_fields)
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [list(k) + counts for k, counts in rows.items()])


def upsert(rows: dict[tuple, list[int]]) -> None:
    _upsert(EvaluationAggregate, KEY_FIELDS, COUNT_FIELDS, rows)


def upsert_impressions(rows: dict[tuple, int]) -> None:
    _upsert(ImpressionAggregate, IMPRESSION_KEY, ("count",), {k: [n] for k, n in rows.items() if n})


def aggregate_pending(*, batch: int = BATCH, after=None) -> int:
    """Count every unaggregated evaluation (chunks of `batch`); `after(ids)` runs once each chunk is
    committed (the Celery task passes the on-event quality rules). Returns how many were counted."""
    done = 0
    while True:
        if ids := _aggregate_chunk(batch):
            done += len(ids)
            if after is not None:
                after(ids)
        else:
            return done


def _aggregate_chunk(batch: int) -> list[int]:
    with transaction.atomic():
        ids = list(Evaluation.objects.select_for_update(skip_locked=True).filter(aggregated=False)
                   .order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return ids
        rows: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(COUNT_FIELDS))
        impressions: dict[tuple, int] = defaultdict(int)
        values = Evaluation.objects.filter(pk__in=ids).values(
            *VALUES, "level", "is_valid", "disposal__status", "indicators")
        for e in values:
            counts = rows[_key(e)]
            if e["is_valid"]:
                counts[0] += 1
                counts[e["level"]] += 1
                for dimension, value in impressions_of(e):
                    impressions[_impression_key(e, dimension, value)] += 1
            else:
                counts[6] += 1
            if e["disposal__status"] in ("completed", "reported"):
                counts[7] += 1
        upsert(rows)
        upsert_impressions(impressions)
        matters_mark_dirty(key[KEY_FIELDS.index("matter_id")] for key in rows)
        overview_mark_dirty({key[KEY_FIELDS.index("region_code")] for key in rows})
        Evaluation.objects.filter(pk__in=ids).update(aggregated=True)
        return ids


def _adjust(evaluation: Evaluation, deltas: dict[str, int], *, drop_impressions: bool = False) -> None:
    from django.db.models import F

    e = Evaluation.objects.select_for_update().filter(pk=evaluation.pk).values(
        "aggregated", *VALUES, "indicators").first()
    if not e or not e["aggregated"]:
        return  # not counted yet: aggregate_pending will count it in its current state
    key = dict(zip(KEY_FIELDS, _key(e), strict=True))
    key.pop("city_code")
    EvaluationAggregate.objects.filter(**key).update(**{f: F(f) + n for f, n in deltas.items()})
    if drop_impressions:  # an invalid evaluation's impressions leave the analysis with it
        for dimension, value in impressions_of(e):
            row = dict(zip(IMPRESSION_KEY, _impression_key(e, dimension, value), strict=True))
            row.pop("city_code")
            ImpressionAggregate.objects.filter(**row).update(count=F("count") - 1)
    matters_mark_dirty([e["matter_id"]])
    overview_mark_dirty([e["region_id"]])


def aggregate_adjust_invalid(*, evaluation: Evaluation) -> None:
    """An upheld appeal: the bad review leaves the level counts and joins the invalid count."""
    _adjust(evaluation, {"total": -1, f"level{evaluation.level}": -1, "invalid": 1}, drop_impressions=True)


def aggregate_adjust_rectified(*, evaluation: Evaluation) -> None:
    _adjust(evaluation, {"rectified": 1})
