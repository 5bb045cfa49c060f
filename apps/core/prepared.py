"""Server-side prepared statements for the few hot reads whose planning costs more than their execution
(decisions 0106, 0108): the public guide search and the guide detail.

A `Prepared` statement is PREPAREd on a database session the first time it runs there, in the same
round trip as its first EXECUTE; later runs send the EXECUTE alone. The names prepared on a session
are kept on the connection wrapper together with the driver connection they were prepared on, so a
reconnect starts an empty set. A session that lost a statement behind our back (DISCARD, DEALLOCATE)
costs one retry outside a transaction; inside one the error stands (the transaction is aborted anyway).

`plan_mode`, when set, is the `plan_cache_mode` the EXECUTE runs under, set first in the same round
trip: "force_generic_plan" for a statement whose best plan does not depend on its values (planned once
per session), "DEFAULT" for one that needs PostgreSQL to see the values (a LIKE prefix that becomes an
index range). The project's other SQL is never prepared (psycopg2 binds on the client), so the setting
only reaches these statements and plpgsql trigger bodies, which are key lookups either way.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import DatabaseError, connection
from psycopg2 import errors as pg_errors

PREPARED_ATTR = "_core_prepared"   # on the DatabaseWrapper: (driver connection, {statement names})


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
    name = f"{prefix}_{hashlib.sha1(sql.encode()).hexdigest()[:16]}"
    prepare = f"PREPARE {name} ({', '.join(types)}) AS {sql}" if types else f"PREPARE {name} AS {sql}"
    arguments = f"({', '.join(['%s'] * len(types))})" if types else ""
    return Prepared(name=name, prepare=prepare.replace("%", "%%"), execute=f"EXECUTE {name}{arguments}",
                    plan_mode=plan_mode)


def prepared_names() -> set:
    """The statements prepared on the current database session."""
    connection.ensure_connection()
    raw = connection.connection
    state = getattr(connection, PREPARED_ATTR, None)
    if state is None or state[0] is not raw:
        state = (raw, set())
        setattr(connection, PREPARED_ATTR, state)
    return state[1]


def fetch_one(statement: Prepared, args: list) -> tuple | None:
    """EXECUTE the statement and return its first row, preparing it first when this session lacks it."""
    names = prepared_names()
    with connection.cursor() as cursor:
        if statement.name in names:
            try:
                cursor.execute(statement.run, args)
                return cursor.fetchone()
            except DatabaseError as error:
                if not isinstance(error.__cause__, pg_errors.InvalidSqlStatementName):
                    raise
                names.discard(statement.name)      # lost behind our back: prepare again
                if connection.in_atomic_block:
                    raise
        try:
            cursor.execute(f"{statement.prepare}; {statement.run}", args)
        except DatabaseError as error:
            names.add(statement.name)              # PREPARE outlives a failed EXECUTE and any rollback
            if not isinstance(error.__cause__, pg_errors.DuplicatePreparedStatement):
                raise
            # Prepared by an earlier round trip whose EXECUTE failed: outside a transaction run it alone.
            if connection.in_atomic_block:
                raise
            cursor.execute(statement.run, args)
            return cursor.fetchone()
        names.add(statement.name)
        return cursor.fetchone()
