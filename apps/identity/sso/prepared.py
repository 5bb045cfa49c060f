"""The lean token statements as server-side prepared statements (decision 0213).

The code exchange and the ticket exchange each send one large data-modifying `WITH` per request;
PostgreSQL parsed and planned it every time, and psycopg2 interpolated a ~3 KB text. Here each is
prepared once per database session (`PREPARE name AS …` with `$n` parameters, their types inferred
from the statement: every value is compared with a column or cast) and sent as `EXECUTE name(…)`.
As in decision 0106 (the matters public search, whose approach this repeats — identity cannot import
matters): the names prepared are kept on the connection wrapper with the driver connection they
belong to, a statement is prepared in the same round trip as its first EXECUTE, and one the session
lost behind our back (`DEALLOCATE`, `DISCARD ALL` from a pooler) is prepared again.

`original(sql)` gives a captured `[SET …;] [PREPARE …;] EXECUTE name(…)` back as the statement text
(tests and the profilers read statements).
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from django.db import DatabaseError, connection
from psycopg2 import errors as pg_errors

from apps.identity.sso.commit import relaxed

PREPARED_ATTR = "_identity_sso_prepared"      # on the DatabaseWrapper: (driver connection, {names})
_BY_NAME: dict[str, str] = {}                 # name → statement text, for `original`


@dataclass(frozen=True)
class Prepared:
    name: str
    prepare: str          # PREPARE text ('%' doubled: it is sent with client-side parameters)
    execute: str          # EXECUTE name(%s, …)


@functools.lru_cache(maxsize=8)
def prepared(sql: str) -> Prepared | None:
    """`sql` (client-side `%s` parameters) as a prepared statement; None if it has a literal `%`."""
    if "%%" in sql:
        return None
    parts = sql.split("%s")
    text = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
    name = "identity_sso_" + hashlib.sha1(text.encode()).hexdigest()[:16]
    _BY_NAME[name] = sql
    return Prepared(name=name, prepare=f"PREPARE {name} AS {text}".replace("%", "%%"),
                    execute=f"EXECUTE {name}({', '.join(['%s'] * (len(parts) - 1))})")


def _names() -> set:
    connection.ensure_connection()
    raw = connection.connection
    state = getattr(connection, PREPARED_ATTR, None)
    if state is None or state[0] is not raw:
        state = (raw, set())
        setattr(connection, PREPARED_ATTR, state)
    return state[1]


def fetch_one(sql: str, params: list):
    """The first row of `sql` run as its own asynchronously committed transaction (`commit.relaxed`),
    prepared on this session; None when it returns no row."""
    statement = prepared(sql)
    with connection.cursor() as cursor:
        if statement is None:
            cursor.execute(relaxed(sql), params)
            return cursor.fetchone()
        names = _names()
        if statement.name in names:
            try:
                cursor.execute(relaxed(statement.execute), params)
                return cursor.fetchone()
            except DatabaseError as error:
                if not isinstance(error.__cause__, pg_errors.InvalidSqlStatementName):
                    raise
                # lost by the session: outside a transaction the statement failed alone (nothing
                # written), so prepare again; inside one, the transaction is aborted anyway
                names.discard(statement.name)
                if connection.in_atomic_block:
                    raise
        try:
            cursor.execute(relaxed(f"{statement.prepare}; {statement.execute}"), params)
        except DatabaseError as error:
            names.add(statement.name)        # PREPARE outlives a failed EXECUTE and any rollback
            if not isinstance(error.__cause__, pg_errors.DuplicatePreparedStatement):
                raise
            if connection.in_atomic_block:
                raise
            cursor.execute(relaxed(statement.execute), params)
            return cursor.fetchone()
        names.add(statement.name)
        return cursor.fetchone()


_EXECUTE = re.compile(r"EXECUTE (identity_sso_[0-9a-f]{16})\(")


def original(sql: str) -> str:
    """A captured statement with its `EXECUTE name(…)` (and any PREPARE) replaced by the statement
    text it runs (the SET LOCAL prefix kept); other statements unchanged."""
    found = _EXECUTE.search(sql)
    if found is None or found.group(1) not in _BY_NAME:
        return sql
    prefix = sql[:sql.index("PREPARE ")] if "PREPARE " in sql else sql[:found.start()]
    return prefix + _BY_NAME[found.group(1)]
