"""Data log writes (数据日志, ANA-1.3). Append-only: nothing here updates or deletes a log."""
from __future__ import annotations

from apps.analytics.models import DataLog


def data_log_write(*, kind: str, summary: str, dataset=None, job=None, operator=None, records_in: int = 0,
                   records_affected: int = 0, detail: dict | None = None) -> DataLog:
    return DataLog.objects.create(kind=kind, summary=str(summary)[:255], dataset=dataset, job=job,
                                  operator=operator if getattr(operator, "pk", None) else None,
                                  records_in=max(0, int(records_in)), records_affected=max(0, int(records_affected)),
                                  detail=detail or {})
