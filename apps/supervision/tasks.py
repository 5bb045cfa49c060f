"""Celery tasks of supervision: thin wrappers around services (scheduled by beat, see migration 0002)."""
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from apps.core.outbox import PeerTemporaryError


@shared_task(name="supervision.national_fetch", autoretry_for=(PeerTemporaryError,), max_retries=3,
             retry_backoff=True)
def national_fetch_task() -> int:
    from apps.supervision.services.sync import national_fetch

    return national_fetch()


@shared_task(name="supervision.govcn_fetch", autoretry_for=(PeerTemporaryError,), max_retries=3, retry_backoff=True)
def govcn_fetch_task() -> int:
    from apps.supervision.services.sync import govcn_fetch

    return len(govcn_fetch())


@shared_task(name="supervision.govcn_reconcile")
def govcn_reconcile_task(day: str | None = None) -> str:
    """Daily: ask gov.cn for yesterday's reconciliation data (the answer arrives downstream)."""
    from datetime import date

    from apps.supervision.services.exchange import reconciliation_request

    target = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    return str(reconciliation_request(day=target).day)


@shared_task(name="supervision.deadline_scan")
def deadline_scan_task() -> int:
    from apps.supervision.services.warnings import deadline_scan

    return deadline_scan()


@shared_task(name="supervision.case_deadline_scan")
def case_deadline_scan_task() -> int:
    """Hourly electronic supervision of accepted cases: time limits, then case codes (ACC-17.8)."""
    from apps.supervision.services.case_codes import case_code_scan
    from apps.supervision.services.case_warnings import case_deadline_scan

    return case_deadline_scan() + case_code_scan()


@shared_task(name="supervision.govcn_own_data")
def govcn_own_data_task(day: str | None = None) -> int:
    """Daily: send yesterday's own supervision figures to gov.cn (部门或地方自有数据信息)."""
    from datetime import date

    from apps.supervision.services.own_data import own_data_send

    target = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    return own_data_send(day=target).pk


@shared_task(name="supervision.statistics_refresh")
def statistics_refresh_task() -> int:
    """Rebuild the complaint statistics rollup the dashboard reads (beat: every 5 minutes), then the
    dashboard figures of the scopes in use."""
    from apps.supervision.services.statistics import (
        complaint_statistics_refresh,
        dashboard_figures_warm,
    )

    refresh = complaint_statistics_refresh()
    dashboard_figures_warm(generation=refresh.pk)
    return refresh.cells
