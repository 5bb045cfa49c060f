"""Re-encrypt every sensitive field under FIELD_ENCRYPTION_KEY and refresh lookup digests.

    manage.py rotate_field_keys            # run here, printing a summary
    manage.py rotate_field_keys --queue    # run on a Celery worker; progress on /portal/core/jobs/<id>/

See docs/decisions/0006-field-key-rotation.md for the whole procedure.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand

from apps.core.audit import audit_record
from apps.core.jobs import job_create, job_url
from apps.core.services.key_rotation import rotate_field_keys


class Command(BaseCommand):
    help = "Re-encrypt sensitive fields under the current SM4 key (after a key rotation)."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Run as a Celery job with progress.")

    def handle(self, *args, queue: bool = False, **options):
        job = job_create(kind="core.rotate_field_keys", title="敏感字段密钥轮换", user=None)
        audit_record(actor=None, action="other", obj=job, detail="rotate_field_keys")
        if queue:
            from apps.core.tasks import rotate_field_keys as task

            task.delay(job.pk)
            self.stdout.write(f"Queued job {job.pk}: {job_url(job)}")
            return
        result = rotate_field_keys(job)
        self.stdout.write(f"Scanned {result.scanned} rows, re-encrypted {result.rewritten}.")
