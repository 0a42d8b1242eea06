"""The audit trail becomes a hash chain; secrets written by earlier versions are redacted first.

Rows written before this migration may hold full password hashes (``pbkdf2_sha256$…``) and
unmasked identity and phone numbers in their before/after snapshots. The trail is
append-only, but a secret must not stay in it: this migration — the one that introduces the
chain, so before any row is hashed — rewrites those values once with the same rules
``zhifa.core.audit.snapshot`` applies to new rows (secret keys → "（已隐去）", identity and
phone numbers masked). On PostgreSQL the append-only trigger is disabled for that statement
inside the migration's transaction and enabled again at once. The records migration that
follows (``records.0003``) then chains every existing row in id order.
"""

import django.utils.timezone
from django.db import migrations, models

TRIGGER = "core_changelog_append_only"


def redact_legacy_rows(apps, schema_editor):
    from zhifa.core.audit import protect_snapshot

    ChangeLog = apps.get_model("core", "ChangeLog")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE core_changelog DISABLE TRIGGER {TRIGGER};", params=None)
    try:
        manager = ChangeLog._base_manager.db_manager(schema_editor.connection.alias)
        rows = manager.exclude(before__isnull=True, after__isnull=True).only("id", "before", "after")
        for row in rows.iterator(chunk_size=2000):
            before, after = protect_snapshot(row.before), protect_snapshot(row.after)
            if before != row.before or after != row.after:
                manager.filter(pk=row.pk).update(before=before, after=after)
    finally:
        if postgres:
            schema_editor.execute(f"ALTER TABLE core_changelog ENABLE TRIGGER {TRIGGER};", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_changelog_security_events'),
    ]

    operations = [
        migrations.AddField(
            model_name='changelog',
            name='algorithm',
            field=models.CharField(blank=True, editable=False, max_length=10, verbose_name='算法'),
        ),
        migrations.AddField(
            model_name='changelog',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=128, verbose_name='哈希'),
        ),
        migrations.AddField(
            model_name='changelog',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=128, verbose_name='前序哈希'),
        ),
        migrations.AddField(
            model_name='changelog',
            name='seq',
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, unique=True, verbose_name='链序号'),
        ),
        migrations.AlterField(
            model_name='changelog',
            name='time',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间'),
        ),
        migrations.RunPython(redact_legacy_rows, migrations.RunPython.noop),
    ]
