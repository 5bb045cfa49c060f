"""Server-side prepared statements for the few hot reads whose planning costs more than their execution
(decisions 0106, 0108): the public guide search and the guide detail.

A `Prepared` statement is PREPAREd on a database session the first time it runs there, in the same
round trip as its first EXECUTE; later runs send the EXECUTE alone. The names prepared on a session
are kept on the connection wrapper together with the driver connection they were prepared on, so a
reconnect starts an empty set. A session that lost a statement behind our back (DISCARD, DEALLOCATE)
costs one retry outside a transaction; inside one the error stands (the transaction is aborted anyway).

Statements are written either with `$n` parameters and their types (`prepared`) or as client-side SQL
with `%s` placeholders whose types PostgreSQL infers (`from_client_sql`). `fetch_one(…, before=…)` sends
per-call SQL ahead of the EXECUTE in the same round trip (identity's `SET LOCAL synchronous_commit`), and
`original(sql)` turns a captured EXECUTE back into the statement it runs (tests and profilers read it).

`plan_mode`, when set, is the `plan_cache_mode` the EXECUTE runs under, set first in the same round
trip: "force_generic_plan" for a statement whose best plan does not depend on its values (planned once
per session), "DEFAULT" for one that needs PostgreSQL to see the values (a LIKE prefix that becomes an
index range). The project's other SQL is never prepared (psycopg2 binds on the client), so the setting
only reaches these statements and plpgsql trigger bodies, which are key lookups either way.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.db import DatabaseError, connection
from psycopg2 import errors as pg_errors

PREPARED_ATTR = "_core_prepared"   # on the DatabaseWrapper: (driver connection, {statement names})
_TEXTS: dict[str, str] = {}        # statement name → the SQL it was made from, for `original`
_EXECUTE = re.compile(r"EXECUTE (\w+)\(")


@dataclass(frozen=True)
class Prepared:
    name: str
    prepare: str            # PREPARE text, '%' doubled (it is sent with client-side parameters)
    execute: str            # EXECUTE name(%s, …)
    plan_mode: str = ""     # plan_cache_mode for the EXECUTE; "" = the session's

    @property
    def run(self) -> str:
        """The EXECUTE, with its plan mode set first in the same round trip."""
        return f"SET plan_cache_mode TO {self.plan_mode}; {self.execute}" if self.plan_mode else self.execute


def prepared(prefix: str, sql: str, types: list[str], *, plan_mode: str = "") -> Prepared:
    """The statement `sql` with parameters $1…$n of `types`, named by `prefix` and a digest of its text
    (two texts never share a name)."""
    name = _name(prefix, sql, sql)
    return Prepared(name=name, prepare=f"PREPARE {name} ({', '.join(types)}) AS {sql}".replace("%", "%%"),
                    execute=f"EXECUTE {name}({', '.join(['%s'] * len(types))})", plan_mode=plan_mode)


def from_client_sql(prefix: str, sql: str) -> Prepared | None:
    """`sql` written for client-side parameters (`%s`) as a prepared statement whose parameter types
    PostgreSQL infers (every value must be compared with a column or cast); None if it holds a literal
    `%` (it could not be told from a placeholder)."""
    if "%%" in sql:
        return None
    parts = sql.split("%s")
    text = parts[0] + "".join(f"${i}{part}" for i, part in enumerate(parts[1:], start=1))
    name = _name(prefix, text, sql)
    return Prepared(name=name, prepare=f"PREPARE {name} AS {text}".replace("%", "%%"),
                    execute=f"EXECUTE {name}({', '.join(['%s'] * (len(parts) - 1))})")


def _name(prefix: str, text: str, source: str) -> str:
    name = f"{prefix}_{hashlib.sha1(text.encode()).hexdigest()[:16]}"
    _TEXTS[name] = source
    return name


def original(sql: str) -> str:
    """A captured round trip with its `[PREPARE …;] [SET plan_cache_mode …;] EXECUTE name(…)` replaced
    by the statement text it runs (anything sent before, e.g. a SET LOCAL, kept); others unchanged."""
    found = _EXECUTE.search(sql)
    if found is None or found.group(1) not in _TEXTS:
        return sql
    start = sql.index("PREPARE ") if "PREPARE " in sql else sql.find("SET plan_cache_mode")
    return sql[:start if start >= 0 else found.start()] + _TEXTS[found.group(1)]


def prepared_names() -> set:
    """The statements prepared on the current database session."""
    connection.ensure_connection()
    raw = connection.connection
    state = getattr(connection, PREPARED_ATTR, None)
    if state is None or state[0] is not raw:
        state = (raw, set())
        setattr(connection, PREPARED_ATTR, state)
    return state[1]


def fetch_one(statement: Prepared, args: list, *, before: str = "") -> tuple | None:
    """EXECUTE the statement and return its first row (None without rows), preparing it first when this
    session lacks it. `before`: SQL sent ahead of it in the same round trip ("SET LOCAL …; ")."""
    names = prepared_names()
    run = before + statement.run
    with connection.cursor() as cursor:
        if statement.name in names:
            try:
                cursor.execute(run, args)
                return cursor.fetchone()
            except DatabaseError as error:
                if not isinstance(error.__cause__, pg_errors.InvalidSqlStatementName):
                    raise
                names.discard(statement.name)      # lost behind our back: prepare again
                if connection.in_atomic_block:
                    raise
        try:
            cursor.execute(f"{before}{statement.prepare}; {statement.run}", args)
        except DatabaseError as error:
            names.add(statement.name)              # PREPARE outlives a failed EXECUTE and any rollback
            if not isinstance(error.__cause__, pg_errors.DuplicatePreparedStatement):
                raise
            # Prepared by an earlier round trip whose EXECUTE failed: outside a transaction run it alone.
            if connection.in_atomic_block:
                raise
            cursor.execute(run, args)
            return cursor.fetchone()
        names.add(statement.name)
        return cursor.fetchone()
