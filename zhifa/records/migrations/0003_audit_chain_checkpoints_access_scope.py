"""Signed checkpoints, the access log's organisation scope, and the audit-trail hash chain.

Every audit row written before this migration (already redacted by ``core.0004``) is chained
in id order into the stream ``audit:changelog``; on PostgreSQL the append-only trigger is
disabled for those updates inside this migration's transaction and enabled again at once.
Checkpoints and their heads are append-only like the events (a trigger on PostgreSQL).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

APPEND_ONLY = ["records_checkpoint", "records_checkpointhead"]


def chain_audit_trail(apps, schema_editor):
    from zhifa.records.audit_chain import chain_existing_rows

    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE core_changelog DISABLE TRIGGER core_changelog_append_only;", params=None)
    try:
        algorithm = str(getattr(settings, "ZHIFA_HASH_ALGORITHM", "sm3")).lower().replace("-", "")
        chain_existing_rows(apps.get_model("core", "ChangeLog"), apps.get_model("records", "Stream"), algorithm,
                            using=schema_editor.connection.alias)
    finally:
        if postgres:
            schema_editor.execute("ALTER TABLE core_changelog ENABLE TRIGGER core_changelog_append_only;", params=None)


def append_only_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in APPEND_ONLY:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION zhifa_refuse_change();",
                params=None,
            )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in APPEND_ONLY:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0002_append_only_triggers'),
        ('core', '0004_changelog_hash_chain'),
    ]

    operations = [
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveIntegerField(unique=True, verbose_name='编号')),
                ('created', models.DateTimeField(verbose_name='生成时间')),
                ('issuer', models.CharField(max_length=100, verbose_name='签发方')),
                ('hash_algorithm', models.CharField(choices=[('sm3', 'SM3'), ('sha256', 'SHA-256')], max_length=10, verbose_name='哈希算法')),
                ('stream_count', models.PositiveIntegerField(verbose_name='记录流数')),
                ('root', models.CharField(max_length=128, verbose_name='默克尔根')),
                ('previous_root', models.CharField(blank=True, max_length=128, verbose_name='上一检查点根')),
                ('signature_algorithm', models.CharField(max_length=20, verbose_name='签名算法')),
                ('public_key', models.CharField(max_length=200, verbose_name='公钥')),
                ('signature', models.CharField(max_length=200, verbose_name='签名')),
            ],
            options={
                'verbose_name': '签名检查点',
                'verbose_name_plural': '签名检查点',
                'ordering': ['-number'],
            },
        ),
        migrations.AddField(
            model_name='accesslog',
            name='scope_path',
            field=models.CharField(blank=True, db_index=True, max_length=255, verbose_name='所属组织路径'),
        ),
        migrations.CreateModel(
            name='CheckpointHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stream_key', models.CharField(max_length=100, verbose_name='记录流')),
                ('seq', models.PositiveBigIntegerField(verbose_name='序号')),
                ('hash', models.CharField(max_length=128, verbose_name='哈希')),
                ('checkpoint', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='heads', to='records.checkpoint', verbose_name='检查点')),
            ],
            options={
                'verbose_name': '检查点记录流头部',
                'verbose_name_plural': '检查点记录流头部',
                'indexes': [models.Index(fields=['stream_key', 'checkpoint'], name='records_che_stream__0a0e50_idx')],
                'constraints': [models.UniqueConstraint(fields=('checkpoint', 'stream_key'), name='records_checkpointhead_once')],
            },
        ),
        migrations.CreateModel(
            name='CheckpointPush',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('url', models.CharField(max_length=500, verbose_name='报送地址')),
                ('status', models.CharField(choices=[('pending', '待报送'), ('sent', '已报送'), ('failed', '报送失败')], default='pending', max_length=10, verbose_name='状态')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='尝试次数')),
                ('last_attempt', models.DateTimeField(blank=True, null=True, verbose_name='最近尝试')),
                ('response_status', models.PositiveIntegerField(blank=True, null=True, verbose_name='响应状态码')),
                ('error', models.CharField(blank=True, max_length=500, verbose_name='错误')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='报送时间')),
                ('checkpoint', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pushes', to='records.checkpoint', verbose_name='检查点')),
            ],
            options={
                'verbose_name': '检查点报送',
                'verbose_name_plural': '检查点报送',
                'ordering': ['-checkpoint__number', 'url'],
                'constraints': [models.UniqueConstraint(fields=('checkpoint', 'url'), name='records_checkpointpush_once')],
            },
        ),
        migrations.RunPython(append_only_triggers, drop_triggers),
        migrations.RunPython(chain_audit_trail, migrations.RunPython.noop),
    ]
