"""The unified attachment store (统一附件管理平台, ACC-18.0).

Every case and material file passes `attachment_prepare` before anything is written: the extension
must be on the whitelist, the bytes must really be of that type (magic numbers — an executable renamed
to .pdf is refused), the size within the limit and the virus-scan hook must pass. The SM3 digest names
the stored object: bytes already stored are not stored again (dedup). `attachment_register` then
records each use with its retention date; `attachment_purge_expired` deletes what is past retention
and blobs nothing uses any more.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.acceptance.models import Attachment, AttachmentBlob, Case, CaseMaterial

RETENTION_YEARS = 30          # case files are archived long-term; settings.ACCEPTANCE_ATTACHMENT_RETENTION_YEARS
ZIP, OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SIGNATURES = {"pdf": (b"%PDF",), "png": (b"\x89PNG\r\n\x1a\n",), "jpg": (b"\xff\xd8",),
              "jpeg": (b"\xff\xd8",), "docx": (ZIP,), "xlsx": (ZIP,), "ofd": (ZIP,), "doc": (OLE,),
              "xls": (OLE,)}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "ofd": "application/ofd", "doc": "application/msword", "xls": "application/vnd.ms-excel",
                 "txt": "text/plain"}
EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


@dataclass
class Prepared:
    """One checked upload, stored (or found stored) under its digest, not yet linked to a case."""

    blob: AttachmentBlob
    original_name: str
    content_type: str


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _sniff_ok(extension: str, head: bytes) -> bool:
    if any(head.startswith(sig) for sig in EXECUTABLE):
        return False
    if extension == "txt":
        return b"\x00" not in head
    return any(head.startswith(sig) for sig in SIGNATURES.get(extension, ()))


def attachment_check(upload, *, label: str) -> str:
    """Whitelist, size, virus hook and content sniffing; returns the content type. Raises in Chinese."""
    from apps.acceptance.services.onewindow import validate_upload

    validate_upload(upload, label=label)
    extension = _extension(upload.name)
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    if not _sniff_ok(extension, head):
        raise ValidationError(_("材料“%(label)s”的文件内容与扩展名 .%(ext)s 不符，不允许上传。")
                              % {"label": label, "ext": extension})
    return CONTENT_TYPES[extension]


def _digest(upload) -> str:
    digest = hashes.Hash(hashes.SM3())
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.finalize().hex()


def _blob_for(upload) -> AttachmentBlob:
    sm3 = _digest(upload)
    existing = AttachmentBlob.objects.filter(sm3=sm3).first()
    if existing is not None and default_storage.exists(existing.storage_name):
        return existing
    name = default_storage.save(f"acceptance/attachments/{sm3[:2]}/{sm3}/{PurePath(upload.name).name[-100:]}",
                                upload)
    if existing is not None:                       # the row survived but the bytes were lost: store again
        AttachmentBlob.objects.filter(pk=existing.pk).update(storage_name=name)
        existing.storage_name = name
        return existing
    try:
        with transaction.atomic():
            return AttachmentBlob.objects.create(sm3=sm3, size=upload.size, storage_name=name)
    except IntegrityError:                         # a concurrent upload of the same bytes won
        default_storage.delete(name)
        return AttachmentBlob.objects.get(sm3=sm3)


def attachment_prepare(upload, *, label: str, checked: bool = False) -> Prepared:
    """Check one upload (unless the caller already did) and store its bytes once; the caller links it
    with `attachment_register`."""
    content_type = CONTENT_TYPES[_extension(upload.name)] if checked else attachment_check(upload, label=label)
    return Prepared(blob=_blob_for(upload), original_name=PurePath(upload.name).name[:255],
                    content_type=content_type)


def retention_until(today: date | None = None) -> date:
    today = today or timezone.localdate()
    years = getattr(settings, "ACCEPTANCE_ATTACHMENT_RETENTION_YEARS", RETENTION_YEARS)
    try:
        return today.replace(year=today.year + years)
    except ValueError:                             # 29 February
        return today.replace(year=today.year + years, day=28)


def attachment_register(*, case: Case, links: list[tuple[CaseMaterial | None, Prepared]], actor,
                        source: str) -> list[Attachment]:
    """Record each use of a stored file for the case (one INSERT)."""
    until = retention_until()
    uploader = actor if getattr(actor, "is_authenticated", False) else None
    return Attachment.objects.bulk_create([
        Attachment(case=case, material=material, blob=prepared.blob, original_name=prepared.original_name,
                   content_type=prepared.content_type, size=prepared.blob.size, sm3=prepared.blob.sm3,
                   source=source, uploaded_by=uploader, retain_until=until)
        for material, prepared in links])


def attachment_purge_expired(*, today: date | None = None) -> int:
    """Retention: forget attachments past their date; delete blobs no live attachment uses any more."""
    today = today or timezone.localdate()
    with transaction.atomic():
        expired = list(Attachment.objects.select_for_update().filter(retain_until__lt=today,
                                                                     purged_at__isnull=True))
        blob_ids = {a.blob_id for a in expired if a.blob_id}
        Attachment.objects.filter(pk__in=[a.pk for a in expired]).update(purged_at=timezone.now(), blob=None)
        CaseMaterial.objects.filter(attachment__in=[a.pk for a in expired]).update(file="")
        candidates = AttachmentBlob.objects.filter(pk__in=blob_ids, attachments__isnull=True)
        still_used = set(CaseMaterial.objects.filter(file__in=[b.storage_name for b in candidates])
                         .values_list("file", flat=True))          # e.g. a history-reuse line
        orphans = [b for b in candidates if b.storage_name not in still_used]
        AttachmentBlob.objects.filter(pk__in=[b.pk for b in orphans]).delete()
        for blob in orphans:
            transaction.on_commit(lambda name=blob.storage_name: default_storage.delete(name))
    return len(expired)
