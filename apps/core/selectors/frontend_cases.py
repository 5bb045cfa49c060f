"""前置机办件统计 (PORTAL-7.3): query, count and export the case records business systems push to their
front-end processor databases, read live from each processor (decision 0018).

Every processor holds the exchange table `settings.FRONTEND_CASE_TABLE` (default gov_exchange.case_record):

    case_number text, matter_code text, matter_name text, department_name text, region_code text,
    channel text ('online' | 'window'), status text ('accepted' | 'handling' | 'concluded' | 'rejected'),
    accepted_at timestamptz, due_at timestamptz, concluded_at timestamptz, pushed_at timestamptz

One aggregate statement per processor, bounded by a statement timeout; a processor that cannot be reached
or lacks the table is reported with its error and the others are still counted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import psycopg2
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from psycopg2 import sql

from apps.core.models import FrontEndProcessor
from apps.core.services.monitoring_checks import processor_connect

STATEMENT_TIMEOUT_MS = 15_000
SEARCH_LIMIT = 50
GROUPS = {
    "department": (_("办理部门"), sql.SQL("coalesce(department_name, '')")),
    "matter": (_("事项"), sql.SQL("coalesce(matter_name, '')")),
    "status": (_("办件状态"), sql.SQL("coalesce(status, '')")),
    "channel": (_("办理渠道"), sql.SQL("coalesce(channel, '')")),
    "day": (_("受理日期"), sql.SQL("to_char(accepted_at AT TIME ZONE %s, 'YYYY-MM-DD')")),
}
STATUS_LABELS = {"accepted": "已受理", "handling": "办理中", "concluded": "已办结", "rejected": "不予受理"}
CHANNEL_LABELS = {"online": "网上办理", "window": "窗口办理"}
_TABLE_RE = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$")


@dataclass
class CaseCountRow:
    key: str
    total: int
    concluded: int
    overdue: int
    online: int


@dataclass
class ProcessorCounts:
    processor: FrontEndProcessor
    rows: list[CaseCountRow] = field(default_factory=list)
    error: str = ""

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def exchange_table() -> sql.Composable:
    name = settings.FRONTEND_CASE_TABLE
    if not _TABLE_RE.match(name):
        raise ValueError(f"FRONTEND_CASE_TABLE must be [schema.]table in lower case, got {name!r}")
    return sql.SQL(".").join(sql.Identifier(part) for part in name.split("."))


def _label(group: str, key: str) -> str:
    return {"status": STATUS_LABELS, "channel": CHANNEL_LABELS}.get(group, {}).get(key, key) or "（未填写）"


def _count(processor: FrontEndProcessor, *, start: datetime, end: datetime, group: str) -> ProcessorCounts:
    expression = GROUPS[group][1]
    statement = sql.SQL(
        "SELECT {key} AS key, count(*), count(*) FILTER (WHERE status = 'concluded'),"
        " count(*) FILTER (WHERE due_at IS NOT NULL AND coalesce(concluded_at, now()) > due_at),"
        " count(*) FILTER (WHERE channel = 'online')"
        " FROM {table} WHERE accepted_at >= %s AND accepted_at < %s GROUP BY 1 ORDER BY 1"
    ).format(key=expression, table=exchange_table())
    params = ([settings.TIME_ZONE] if group == "day" else []) + [start, end]
    result = ProcessorCounts(processor)
    try:
        _names, rows = _fetch(processor, statement, params)
    except psycopg2.Error as exc:
        result.error = _first_line(exc)
    else:
        result.rows = [CaseCountRow(_label(group, key), *counts) for key, *counts in rows]
    return result


def _fetch(processor: FrontEndProcessor, statement: sql.Composable, params: list) -> tuple[list[str], list[tuple]]:
    """Run one read statement on the processor's database: (column names, rows); psycopg2.Error on failure."""
    connection = processor_connect(processor, application_name="hlj-case-statistics",
                                   statement_timeout_ms=STATEMENT_TIMEOUT_MS)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return [column.name for column in cursor.description], cursor.fetchall()
    finally:
        connection.close()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]


def case_counts(processors, *, start: datetime, end: datetime, group: str) -> list[ProcessorCounts]:
    """Counts per `group` key of the cases accepted in [start, end) on each processor."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    return [_count(processor, start=start, end=end, group=group) for processor in processors]


def case_search(processor: FrontEndProcessor, *, case_number: str = "", matter: str = "") -> tuple[list[dict], str]:
    """Up to SEARCH_LIMIT records by exact case number and/or matter-name fragment; (rows, error)."""
    conditions, params = [], []
    if case_number:
        conditions.append(sql.SQL("case_number = %s"))
        params.append(case_number)
    if matter:
        conditions.append(sql.SQL("matter_name LIKE %s"))
        params.append(f"%{matter.replace('%', '').replace('_', '')}%")
    if not conditions:
        return [], ""
    statement = sql.SQL(
        "SELECT case_number, matter_name, department_name, channel, status, accepted_at, due_at, concluded_at"
        " FROM {table} WHERE {where} ORDER BY accepted_at DESC LIMIT {limit}"
    ).format(table=exchange_table(), where=sql.SQL(" AND ").join(conditions), limit=sql.Literal(SEARCH_LIMIT))
    try:
        names, values = _fetch(processor, statement, params)
    except psycopg2.Error as exc:
        return [], _first_line(exc)
    rows = [dict(zip(names, row)) for row in values]
    for row in rows:
        row["status_label"] = _label("status", row["status"] or "")
        row["channel_label"] = _label("channel", row["channel"] or "")
    return rows, ""
