"""One transaction per token issuance, committed without waiting for the WAL flush (decisions 0208, 0212).

A durable PostgreSQL commit waits for fdatasync of the write-ahead log: ~5–9 ms on the development
disk, more than all the CPU a token request needs. Token issuance used to commit up to three times
per request (ID token, access + refresh token, grant delete; or ticket, token, audit row).
`token_transaction()` makes it one transaction, and — unless settings say
`IDENTITY_TOKEN_SYNCHRONOUS_COMMIT = True` — an asynchronous one (`SET LOCAL synchronous_commit TO OFF`):
the commit returns at once and the WAL writer flushes it within ~3 × wal_writer_delay (≤ 0.6 s by
default). Only a crash of the database server itself in that window can lose the transaction, and then
all of it (never a part): the client's token is unknown and it logs in again. Nothing else in the
platform is committed this way.

The lean exchanges (a code or a ticket → tokens) write with ONE statement; `relaxed(sql)` makes that
statement its own asynchronously committed transaction in one round trip (decision 0212): outside an
atomic block it is sent as `SET LOCAL synchronous_commit TO OFF; <statement>` — PostgreSQL runs a query
string of several statements as one implicit transaction, so the setting covers the statement and its
commit — instead of BEGIN, SET LOCAL, the statement and COMMIT (four round trips).
"""
from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction


def relax_commit(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Inside an atomic block: let this transaction commit asynchronously. True when it did."""
    connection = connections[using]
    if not _relaxing(connection) or not connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
    return True


def _relaxing(connection) -> bool:
    return (not getattr(settings, "IDENTITY_TOKEN_SYNCHRONOUS_COMMIT", False)
            and connection.vendor == "postgresql")


def relaxed(sql: str, using: str = DEFAULT_DB_ALIAS) -> str:
    """`sql` (one statement) to run as its own asynchronously committed transaction (module doc). Inside
    an atomic block it is returned unchanged: the caller's transaction and its commit decide."""
    connection = connections[using]
    if not _relaxing(connection) or connection.in_atomic_block or not connection.get_autocommit():
        return sql
    return "SET LOCAL synchronous_commit TO OFF; " + sql


@contextlib.contextmanager
def token_transaction(using: str = DEFAULT_DB_ALIAS):
    """One atomic block for a whole token issuance, committed asynchronously (see module doc)."""
    with transaction.atomic(using=using):
        relax_commit(using)
        yield
