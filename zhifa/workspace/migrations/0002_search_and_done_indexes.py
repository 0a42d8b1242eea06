# The desk's reads on other apps' tables, served by indexes (docs/workspace.md):
# - 已办: a person's own latest audit-trail rows — (actor_id, time DESC) on core_changelog;
# - global search by name prefix and certificate-number prefix on PostgreSQL, whose default
#   btree indexes cannot serve LIKE 'q%' under a non-C collation (varchar_pattern_ops can).
# Created here, not in those apps' migrations, because the desk is what needs them.

from django.db import migrations

ALL_FORWARD = ["CREATE INDEX IF NOT EXISTS workspace_changelog_actor_time ON core_changelog (actor_id, time DESC, id DESC)"]
ALL_REVERSE = ["DROP INDEX IF EXISTS workspace_changelog_actor_time"]
PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS workspace_party_name_prefix ON parties_party (name varchar_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS workspace_certificate_prefix ON people_certificate (number varchar_pattern_ops)",
]
PG_REVERSE = ["DROP INDEX IF EXISTS workspace_party_name_prefix", "DROP INDEX IF EXISTS workspace_certificate_prefix"]


def _run(common, postgres):
    def run(apps, schema_editor):
        statements = list(common) + (list(postgres) if schema_editor.connection.vendor == "postgresql" else [])
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("workspace", "0001_initial"),
        ("core", "0005_alter_changelog_action"),
        ("parties", "0001_initial"),
        ("people", "0001_initial"),
    ]

    operations = [migrations.RunPython(_run(ALL_FORWARD, PG_FORWARD), _run(ALL_REVERSE, PG_REVERSE))]
