"""Public audit API for every app (implementation in apps.core.services.audit).

    from apps.core.audit import AuditAction, audit_record, diff_instance, snapshot
"""
from apps.core.models.audit import AuditAction, AuditLog  # noqa: F401
from apps.core.services.audit import (  # noqa: F401
    audit_deletion, audit_record, diff_instance, mask_changes, snapshot,
)
