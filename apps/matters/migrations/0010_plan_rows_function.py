"""matters_plan_rows(query): PostgreSQL's row estimate for a query text, so that the public search can
fold its "about N" total into the same prepared statement as the page (decision 0106)."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION matters_plan_rows(query text) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    plan json;
BEGIN
    EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
    RETURN round((plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric)::bigint;
END
$$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("matters", "0009_public_search_indexes"),
    ]

    operations = [
        migrations.RunSQL(CREATE, reverse_sql="DROP FUNCTION IF EXISTS matters_plan_rows(text);"),
    ]
