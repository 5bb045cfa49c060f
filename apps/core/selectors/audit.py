"""Audit reads, scoped: system admins see every record, a region-wide bureau the records of
actors in its region, a department those of its own organisation subtree."""
from __future__ import annotations

from django.http import Http404

from apps.core.models.audit import AuditLog
from apps.core.scope import restrict


def audit_list(*, user):
    return restrict(AuditLog.objects.select_related("actor_organisation", "content_type"), user)


def audit_get(*, user, pk) -> AuditLog:
    record = audit_list(user=user).filter(pk=pk).first()
    if record is None:
        raise Http404("audit record not found")
    return record
