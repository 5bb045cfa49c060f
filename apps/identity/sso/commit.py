"""One transaction per token issuance, committed without waiting for the WAL flush (decision 0208).

A durable PostgreSQL commit waits for fdatasync of the write-ahead log: ~5–9 ms on the development
disk, more than all the CPU a token request needs. Token issuance used to commit up to three times
per request (ID token, access + refresh token, grant delete; or ticket, token, audit row).
`token_transaction()` makes it one transaction, and — unless settings say
`IDENTITY_TOKEN_SYNCHRONOUS_COMMIT = True` — an asynchronous one (`SET LOCAL synchronous_commit TO OFF`):
the commit returns at once and the WAL writer flushes it within ~3 × wal_writer_delay (≤ 0.6 s by
default). Only a crash of the database server itself in that window can lose the transaction, and then
all of it (never a part): the client's token is unknown and it logs in again. Nothing else in the
platform is committed this way.
"""
from __future__ import annotations

import contextlib

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction


def relax_commit(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Inside an atomic block: let this transaction commit asynchronously. True when it did."""
    if getattr(settings, "IDENTITY_TOKEN_SYNCHRONOUS_COMMIT", False):
        return False
    connection = connections[using]
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
    return True


@contextlib.contextmanager
def token_transaction(using: str = DEFAULT_DB_ALIAS):
    """One atomic block for a whole token issuance, committed asynchronously (see module doc)."""
    with transaction.atomic(using=using):
        relax_commit(using)
        yield
