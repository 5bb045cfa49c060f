"""The audit log and the transition history are append-only: the database refuses DELETE."""
from django.db import migrations

TABLES = ("core_auditlog", "core_statetransition")

FUNCTION = """
CREATE OR REPLACE FUNCTION core_refuse_delete() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: rows cannot be deleted', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def trigger_sql(table: str) -> str:
    return (f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION core_refuse_delete();")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS core_refuse_delete();"),
        *[migrations.RunSQL(trigger_sql(t), f"DROP TRIGGER IF EXISTS {t}_no_delete ON {t};") for t in TABLES],
    ]
