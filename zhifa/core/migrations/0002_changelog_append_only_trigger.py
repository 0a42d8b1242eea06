"""On PostgreSQL, refuse UPDATE and DELETE of audit-trail rows in the database itself.

(TRUNCATE, which test databases use to reset, is not a row operation and stays possible for
the table owner.) On SQLite the application refuses them (``ChangeLog.save/delete``).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION zhifa_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'zhifa: % on % is not allowed (append-only table)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE TRIGGER core_changelog_append_only BEFORE UPDATE OR DELETE ON core_changelog
FOR EACH ROW EXECUTE FUNCTION zhifa_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_changelog_append_only ON core_changelog;")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
