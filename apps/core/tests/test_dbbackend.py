"""The health check of the platform's PostgreSQL backend: no round trip while the connection is fine,
and a connection the server ended is still found unusable and replaced."""

import time

import pytest
from django.db import connections


@pytest.fixture
def own_connection(django_db_blocker):
    """A connection of its own to the test database (not the test's transaction)."""
    with django_db_blocker.unblock():
        wrapper = connections.create_connection("default")
        wrapper.ensure_connection()
        yield wrapper
        wrapper.close()


def last_statement_of(pid: int, observer) -> str:
    with observer.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


def test_the_platform_runs_its_own_backend(own_connection):
    assert type(own_connection).__module__ == "apps.core.dbbackend.base"
    assert own_connection.vendor == "postgresql" and own_connection.settings_dict["CONN_HEALTH_CHECKS"]


def test_a_healthy_idle_connection_is_usable_without_sending_a_statement(own_connection, django_db_blocker):
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 'last before the health checks'")
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    assert all(own_connection.is_usable() for _ in range(3))
    with django_db_blocker.unblock():
        observer = connections.create_connection("default")
        try:
            assert last_statement_of(pid, observer) == "SELECT pg_backend_pid()"   # Django's check: "SELECT 1"
        finally:
            observer.close()


def test_a_connection_the_server_ended_is_replaced_before_the_next_query(own_connection, django_db_blocker):
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with django_db_blocker.unblock():
        killer = connections.create_connection("default")
        try:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            killer.close()
    deadline = time.monotonic() + 5
    while own_connection._looks_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not own_connection.is_usable()
    own_connection.health_check_done = False          # what the next request starts with
    with own_connection.cursor() as cursor:           # the check closes it; the cursor reconnects
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
