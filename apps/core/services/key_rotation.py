"""Re-encrypt every sensitive field under the current SM4 key and refresh every lookup digest.

Rotation procedure (docs/decisions/0006-field-key-rotation.md):
1. put the old key into FIELD_ENCRYPTION_KEYS_PREVIOUS and the new one into FIELD_ENCRYPTION_KEY,
   restart — every row stays readable (decrypt tries the current key, then the retired ones);
2. run `manage.py rotate_field_keys` (a job with progress; resumable: rows already under the
   current key with a correct digest are skipped);
3. remove the retired key from FIELD_ENCRYPTION_KEYS_PREVIOUS.
A change of FIELD_DIGEST_KEY is handled by the same pass (digests are recomputed from the
plaintext); lookups by ID or mobile number miss rows not yet rewritten, so run it in a
maintenance window when the digest key changes.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from apps.core.crypto import EncryptedTextField, is_current_ciphertext, keyed_digest
from apps.core.jobs import JobRun, job_progress, job_start, job_succeed

BATCH_SIZE = 500


@dataclass
class RotationResult:
    scanned: int = 0
    rewritten: int = 0


def encrypted_models() -> list[tuple[type, list[EncryptedTextField]]]:
    """Every concrete model with encrypted columns, with those fields (stable order)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or model._meta.abstract:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields:
            found.append((model, fields))
    return sorted(found, key=lambda pair: pair[0]._meta.label)


def _raw_alias(field) -> str:
    return f"_raw_{field.attname}"


def _stale(row, fields) -> bool:
    for field in fields:
        raw, plain = getattr(row, _raw_alias(field)), getattr(row, field.attname)
        if raw and not is_current_ciphertext(raw):
            return True
        if field.digest_field and getattr(row, field.digest_field) != (keyed_digest(plain) if plain else ""):
            return True
    return False


def _rotate_batch(model, fields, after_pk) -> tuple[int, int, object]:
    """Rewrite the stale rows among the next BATCH_SIZE rows after `after_pk`."""
    digest_names = [f.digest_field for f in fields if f.digest_field]
    columns = [f.attname for f in fields] + digest_names
    with transaction.atomic():
        rows = list(model._base_manager.filter(pk__gt=after_pk).order_by("pk")
                    .only(*columns).select_for_update()
                    .annotate(**{_raw_alias(f): Cast(f.attname, output_field=TextField()) for f in fields})
                    [:BATCH_SIZE])
        stale = [row for row in rows if _stale(row, fields)]
        for row in stale:
            for field in fields:
                if field.digest_field:
                    plain = getattr(row, field.attname)
                    setattr(row, field.digest_field, keyed_digest(plain) if plain else "")
        if stale:
            model._base_manager.bulk_update(stale, columns)
    return len(rows), len(stale), rows[-1].pk if rows else None


def rotate_field_keys(job: JobRun | None = None) -> RotationResult:
    """One pass over every encrypted column of every model; progress goes to `job`."""
    result = RotationResult()
    targets = encrypted_models()
    if job is not None:
        job_start(job)
        job_progress(job, 0, total=sum(model._base_manager.count() for model, _ in targets))
    for model, fields in targets:
        after_pk = 0 if model._meta.pk.get_internal_type() in ("AutoField", "BigAutoField") else ""
        while True:
            scanned, rewritten, last_pk = _rotate_batch(model, fields, after_pk)
            if not scanned:
                break
            result.scanned += scanned
            result.rewritten += rewritten
            after_pk = last_pk
            if job is not None:
                job_progress(job, result.scanned)
    if job is not None:
        _finish(job, result)
    return result


def _finish(job: JobRun, result: RotationResult) -> None:
    summary = f"scanned={result.scanned}\nrewritten={result.rewritten}\n"
    job_succeed(job, filename="field-key-rotation.txt", content=summary.encode())
