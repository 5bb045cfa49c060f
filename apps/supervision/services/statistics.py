"""Rebuild the complaint statistics rollup (ComplaintStatistic) in one set-based statement.

Readers are never blocked: the rebuild deletes and re-inserts inside one transaction, so a dashboard
request sees either the old cells or the new ones. A table lock in EXCLUSIVE mode (which still lets
SELECTs through) keeps two rebuilds from interleaving.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.db import connection, transaction

from apps.supervision.models import Complaint, ComplaintStatistic, StatisticsRefresh

KEEP_REFRESH_RECORDS = 50


def complaint_statistics_refresh() -> StatisticsRefresh:
    """Recount every complaint by (submitted day, region, department, channel, status)."""
    started = time.monotonic()
    table, source = ComplaintStatistic._meta.db_table, Complaint._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} (day, region_id, department_id, source, status, count) "
            f"SELECT (submitted_at AT TIME ZONE %s)::date, region_id, department_id, source, status, count(*) "
            f"FROM {source} GROUP BY 1, 2, 3, 4, 5", [settings.TIME_ZONE])
        cells = cursor.rowcount
        cursor.execute(f"SELECT coalesce(sum(count), 0) FROM {table}")
        complaints = cursor.fetchone()[0]
        record = StatisticsRefresh.objects.create(cells=cells, complaints=complaints,
                                                  duration_ms=int((time.monotonic() - started) * 1000))
        stale = StatisticsRefresh.objects.order_by("-refreshed_at").values_list("pk", flat=True)[KEEP_REFRESH_RECORDS:]
        StatisticsRefresh.objects.filter(pk__in=list(stale)).delete()
    return record


def dashboard_figures_warm(*, generation) -> int:
    """Right after a rebuild: compute the dashboard figures of every scope looked at lately, so the
    first visitor after the rebuild does not wait for them. Returns how many scopes were warmed."""
    from apps.identity.models import User
    from apps.supervision.selectors_dashboard import (
        dashboard_active_scopes,
        dashboard_figures_compute,
        dashboard_scope_key,
    )

    scopes = dashboard_active_scopes()
    users = User.objects.select_related("organisation__region").filter(pk__in=scopes.values(), is_active=True)
    warmed = 0
    for user in users:
        if scopes.get(dashboard_scope_key(user)) == user.pk:       # still in the scope they were seen in
            dashboard_figures_compute(user=user, generation=generation)
            warmed += 1
    return warmed
