"""The history library is append-only: a row in a history state (superseded, cancelled, abolished,
reported lost) can be neither updated nor deleted, except inside licence_purge, which sets
``licences.purge = 'on'`` for its own transaction only (SET LOCAL)."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION licences_history_guard() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN ('superseded', 'cancelled', 'abolished', 'reported_lost')
       AND coalesce(current_setting('licences.purge', true), '') <> 'on' THEN
        RAISE EXCEPTION 'licences history library is append-only (licence % version %)',
            OLD.licence_code, OLD.version USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER licences_history_guard BEFORE UPDATE OR DELETE ON licences_licence
    FOR EACH ROW EXECUTE FUNCTION licences_history_guard();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS licences_history_guard ON licences_licence;
DROP FUNCTION IF EXISTS licences_history_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("licences", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
