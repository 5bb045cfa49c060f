"""Server-side prepared statements (apps.core.prepared, decision 0108): prepared once per session in the
same round trip as the first EXECUTE, executed alone afterwards, prepared again on a new session, run
under the statement's plan mode, and readable back as the SQL they run."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core.prepared import PREPARED_ATTR, fetch_one, from_client_sql, original, prepared

pytestmark = pytest.mark.django_db(transaction=True)      # autocommit, as a request runs


def _plan_counts(name: str) -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s", [name])
        return tuple(cursor.fetchone())


def test_prepared_once_then_executed_alone_under_its_plan_mode():
    statement = prepared("core_test", "SELECT $1::int + $2::int, current_setting('plan_cache_mode')",
                         ["int", "int"], plan_mode="force_generic_plan")
    with CaptureQueriesContext(connection) as queries:
        assert fetch_one(statement, [2, 3]) == (5, "force_generic_plan")
        assert fetch_one(statement, [4, 5]) == (9, "force_generic_plan")
    first, second = (q["sql"] for q in queries.captured_queries)
    assert first.startswith(f"PREPARE {statement.name} (int, int) AS") and second.startswith("SET plan_cache_mode")
    assert "PREPARE" not in second and _plan_counts(statement.name) == (2, 0)
    assert original(second) == original(first) == "SELECT $1::int + $2::int, current_setting('plan_cache_mode')"


def test_a_new_session_prepares_again_and_a_lost_statement_costs_one_retry():
    statement = prepared("core_test", "SELECT $1::text || '!'", ["text"])
    assert fetch_one(statement, ["a"]) == ("a!",)
    connection.close()
    with CaptureQueriesContext(connection) as queries:
        assert fetch_one(statement, ["b"]) == ("b!",)
    assert queries.captured_queries[0]["sql"].startswith("PREPARE")
    assert getattr(connection, PREPARED_ATTR)[0] is connection.connection
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")                    # e.g. a pooler's DISCARD ALL
    assert fetch_one(statement, ["c"]) == ("c!",)


def test_client_side_sql_is_prepared_with_inferred_types_and_sent_after_per_call_sql():
    statement = from_client_sql("core_test", "SELECT %s::int * 2, current_setting('synchronous_commit')")
    assert from_client_sql("core_test", "SELECT 'a%%'") is None          # a literal % is no placeholder
    before = "SET LOCAL synchronous_commit TO OFF; "
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        session_value = cursor.fetchone()[0]
    with CaptureQueriesContext(connection) as queries:
        assert fetch_one(statement, [21], before=before) == (42, "off")
    sent = queries.captured_queries[0]["sql"]
    assert sent.startswith(before + "PREPARE ")
    assert original(sent) == before + "SELECT %s::int * 2, current_setting('synchronous_commit')"
    assert fetch_one(statement, [1]) == (2, session_value)   # SET LOCAL ended with its implicit transaction
    assert original("SELECT 1") == "SELECT 1"
