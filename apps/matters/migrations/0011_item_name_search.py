"""The distinct item names the public search matches first (decision 0107).

100,000 implementation items carry a few thousand distinct names (every implementer of a catalogue item
uses its name), so a substring search over the names' trigram index visits each common trigram's posting
list of ~100,000 rows. `matters_itemname` holds every upper-cased name ever given to an item (statement
triggers on INSERT and UPDATE, fed by the transition tables: bulk inserts pay one statement); the search
matches there, then reads the published items of the matching names by `matters_imp_pub_uname_idx`.
A name no item carries any more stays behind: it matches no item, so the answer is the same.
"""
import django.db.models.functions.text
from django.db import migrations, models

FORWARD = """
CREATE TABLE matters_itemname (upper_name text PRIMARY KEY);
CREATE INDEX matters_itemname_trgm_idx ON matters_itemname USING gin (upper_name gin_trgm_ops);
INSERT INTO matters_itemname (upper_name)
    SELECT DISTINCT UPPER(name::text) FROM matters_implementationitem ON CONFLICT DO NOTHING;

CREATE FUNCTION matters_itemname_remember() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO matters_itemname (upper_name)
        SELECT DISTINCT UPPER(name::text) FROM named_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER matters_itemname_on_insert AFTER INSERT ON matters_implementationitem
    REFERENCING NEW TABLE AS named_rows FOR EACH STATEMENT EXECUTE FUNCTION matters_itemname_remember();
CREATE TRIGGER matters_itemname_on_update AFTER UPDATE ON matters_implementationitem
    REFERENCING NEW TABLE AS named_rows FOR EACH STATEMENT EXECUTE FUNCTION matters_itemname_remember();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS matters_itemname_on_update ON matters_implementationitem;
DROP TRIGGER IF EXISTS matters_itemname_on_insert ON matters_implementationitem;
DROP FUNCTION IF EXISTS matters_itemname_remember();
DROP TABLE IF EXISTS matters_itemname;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("matters", "0010_plan_rows_function"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="implementationitem",
            index=models.Index(django.db.models.functions.text.Upper("name"), condition=models.Q(("status", "published")),
                               name="matters_imp_pub_uname_idx"),
        ),
        migrations.RunSQL(FORWARD, reverse_sql=BACKWARD),
    ]
