"""The lean token statements as server-side prepared statements (decision 0213), on the kernel's
`apps.core.prepared` (decision 0108).

The code exchange and the ticket exchange each send one large data-modifying `WITH` per request;
PostgreSQL parsed and planned it every time, and psycopg2 interpolated a ~3 KB text. Each is prepared
once per database session from its client-side SQL (`%s` placeholders, types inferred: every value is
compared with a column or cast) and run as its own asynchronously committed transaction
(`commit.relaxed`: the SET LOCAL is sent ahead of the EXECUTE in the same round trip).

`original(sql)` gives a captured `[SET …;] [PREPARE …;] EXECUTE name(…)` back as the statement text
(tests and the profilers read statements).
"""
from __future__ import annotations

import functools

from django.db import connection

from apps.core import prepared as kernel
from apps.identity.sso.commit import relaxed

original = kernel.original


@functools.lru_cache(maxsize=8)
def _statement(sql: str) -> kernel.Prepared | None:
    return kernel.from_client_sql("identity_sso", sql)


def fetch_one(sql: str, params: list):
    """The first row of `sql` run as its own asynchronously committed transaction (`commit.relaxed`),
    prepared on this session; None when it returns no row."""
    statement = _statement(sql)
    if statement is None:
        with connection.cursor() as cursor:
            cursor.execute(relaxed(sql), params)
            return cursor.fetchone()
    return kernel.fetch_one(statement, params, before=relaxed(""))
