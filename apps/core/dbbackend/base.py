"""Django's PostgreSQL backend with a health check that needs no round trip while the connection is fine.

With CONN_HEALTH_CHECKS Django runs `SELECT 1` before the first query of every request that reuses a
persistent connection: one more round trip to PostgreSQL per request — on a one-query API (a guide
detail, a token check) half of its database time. A connection the server has ended (restart,
`pg_terminate_backend`, idle timeout, failover) is readable while idle: the server's FATAL message or
the end of the stream is waiting on the socket. So the socket is polled first, without blocking; only
when something is waiting (or psycopg2 already knows the connection is closed or broken) does the
check fall back to Django's `SELECT 1`, which then decides. Decision 0014.
"""
from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg2 import extensions

_IDLE = extensions.TRANSACTION_STATUS_IDLE


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        if not self.errors_occurred and self._looks_alive():   # after an error: always the real check
            return True
        return super().is_usable()

    def _looks_alive(self) -> bool:
        """True when nothing says the connection is gone: open, idle, and no bytes waiting to be read."""
        raw = self.connection
        try:
            if raw.closed or raw.info.transaction_status != _IDLE:
                return False
            readable, _, _ = select.select([raw.fileno()], [], [], 0)
        except (OSError, ValueError, AttributeError):
            return False
        return not readable
