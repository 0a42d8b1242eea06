"""On PostgreSQL, refuse UPDATE and DELETE of recorded events and access-log rows in the
database itself (the function ``zhifa_refuse_change`` comes from core 0002).

On SQLite the application refuses them (``AppendOnlyModel``); tampering below the
application is then detected by ``verify_stream`` (the hash chain).
"""

from django.db import migrations

TABLES = ["records_event", "records_accesslog"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION zhifa_refuse_change();",
                params=None,
            )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial"), ("core", "0002_changelog_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
