"""Stored public guide documents (decision 0104): the detail API answers one indexed lookup.

`guide_document_refresh(item)` (re)writes the document of one implementation item inside the caller's
transaction — the JSON bytes built by `selectors_public.guide_detail_row` and rendered by DRF's
JSONRenderer, so the stored answer is byte-for-byte what the API rendered before — or deletes it when
the item is not published. The matters services call it wherever the public guide can change: every
state transition of an implementation item (the matters `record_transition` wrapper), every published
version, and the proxy-handling switch.

A document is valid while its source stamps match (see PublicGuide). A reader that finds no valid one
builds it (`guide_document_for_read`, stamps read in the same statement as the content) and stores it
with an upsert. Whichever of two concurrent writes lands last, a document built from a snapshot older
than a change carries the older stamps, so it is never served: the next read rebuilds it."""
from __future__ import annotations

from django.db import connection, transaction
from rest_framework.renderers import JSONRenderer

from apps.core.models import Organisation
from apps.core.prepared import fetch_one, prepared
from apps.matters.models import ImplementationItem, MatterStatus, PublicGuide
from apps.matters.selectors_public import STAMPS, guide_detail_row, guide_detail_rows

_RENDERER = JSONRenderer()
_BIGINT_MAX = 2**63 - 1
_ORG = Organisation._meta.db_table
# Prepared (decision 0108): planning this four-table join took ~6x its execution. Key lookups only, so
# one generic plan serves every item.
_READ = prepared("matters_guide_read", (
    f"SELECT g.body FROM {PublicGuide._meta.db_table} g "
    f"JOIN {ImplementationItem._meta.db_table} i ON i.id = g.item_id "
    f"JOIN {_ORG} d ON d.id = i.handling_department_id JOIN {_ORG} b ON b.id = i.implementing_body_id "
    f"WHERE g.item_id = $1 AND i.status = '{MatterStatus.PUBLISHED}' AND i.updated_at = g.item_updated_at "
    "AND d.updated_at = g.department_updated_at AND b.updated_at = g.body_updated_at"), ["bigint"],
    plan_mode="force_generic_plan")
_UPSERT_SQL = (
    f"INSERT INTO {PublicGuide._meta.db_table} "
    "(item_id, item_updated_at, department_updated_at, body_updated_at, body, built_at) "
    "VALUES (%s, %s, %s, %s, %s, now()) ON CONFLICT (item_id) DO UPDATE SET "
    "item_updated_at = EXCLUDED.item_updated_at, department_updated_at = EXCLUDED.department_updated_at, "
    "body_updated_at = EXCLUDED.body_updated_at, body = EXCLUDED.body, built_at = EXCLUDED.built_at")


def render_guide(row: dict) -> str:
    """The JSON text the detail API answers for a guide row (DRF's renderer and settings)."""
    return _RENDERER.render(row).decode()


def stored_guide_body(pk: int) -> str | None:
    """The stored, still valid document of a published item, or None (one indexed join)."""
    found = fetch_one(_READ, [pk])
    return found[0] if found else None


def _store(row: dict) -> str:
    """Render `row` (its stamps popped first) and upsert it; the rendered text is returned."""
    stamps = [row.pop(name) for name in STAMPS]
    body = render_guide(row)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT_SQL, [row["id"], *stamps, body])
    return body


def guide_document_refresh(item_or_pk) -> str | None:
    """Rewrite (or delete, when not published) the stored guide of one implementation item, inside
    the current transaction. Returns the stored body or None."""
    pk = getattr(item_or_pk, "pk", item_or_pk)
    row = guide_detail_row(pk)
    if row is None:
        PublicGuide.objects.filter(item_id=pk).delete()
        return None
    return _store(row)


def guide_documents_refresh(pks) -> int:
    """Batch variant for the rebuild command and the nightly task: published items get their
    document rewritten (one build query per 500 items), the others lose theirs. Returns rows written."""
    pks = list(pks)
    written = 0
    for start in range(0, len(pks), 500):
        chunk = pks[start:start + 500]
        rows = guide_detail_rows(chunk)
        with transaction.atomic():
            PublicGuide.objects.filter(item_id__in=chunk).exclude(item_id__in=[r["id"] for r in rows]).delete()
            for row in rows:
                _store(row)
                written += 1
    return written


def guide_document_for_read(pk: int) -> str | None:
    """The document the detail API serves: the stored one, else built now and stored (first read after
    a change no service refreshed); None when the item is not published (or `pk` is no bigint: the URL
    takes any integer)."""
    if not 0 < pk <= _BIGINT_MAX:
        return None
    body = stored_guide_body(pk)
    if body is not None:
        return body
    row = guide_detail_row(pk)
    if row is None:
        return None
    return _store(row)
