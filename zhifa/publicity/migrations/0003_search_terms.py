# Filter terms in the full-text index, and a stored tsvector on PostgreSQL (see
# zhifa.publicity.search).
#
# 1. PostgreSQL only: a column search_vector (tsvector) on publicity_publication, filled by a
#    BEFORE INSERT/UPDATE trigger from search_tokens, so Django's INSERTs and UPDATEs (which
#    never name it: it is not a model field) keep it right; a GIN index on it replaces the
#    expression index of 0002 (the search no longer recomputes to_tsvector per row).
# 2. Every vendor: search_tokens recomputed with the current tokens_for (it now ends with the
#    filter terms zfa…/zfk…/zfy…/zfm…), in batches; on SQLite the FTS5 index is rebuilt.
#    (jieba segments ~1,000 publications a second: a large table takes a while.)

from django.db import migrations

from zhifa.core.migration_sql import run_sql

FTS = "publicity_publication_fts"
BATCH = 2000

PG_COLUMN = [
    "ALTER TABLE publicity_publication ADD COLUMN IF NOT EXISTS search_vector tsvector",
    "CREATE OR REPLACE FUNCTION publicity_publication_search_vector() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.search_vector := to_tsvector('simple'::regconfig, coalesce(NEW.search_tokens, '')); "
    "RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS publicity_publication_search_vector ON publicity_publication",
    "CREATE TRIGGER publicity_publication_search_vector BEFORE INSERT OR UPDATE OF search_tokens "
    "ON publicity_publication FOR EACH ROW EXECUTE FUNCTION publicity_publication_search_vector()",
]
PG_INDEX = [
    # Rows whose tokens did not change were not touched by the recomputation.
    "UPDATE publicity_publication SET search_vector = to_tsvector('simple'::regconfig, "
    "coalesce(search_tokens, '')) WHERE search_vector IS NULL",
    "CREATE INDEX IF NOT EXISTS publicity_publication_search_vector_gin ON publicity_publication "
    "USING gin (search_vector)",
    "DROP INDEX IF EXISTS publicity_publication_search_gin",
    "ANALYZE publicity_publication",
]
PG_REVERSE = [
    "CREATE INDEX IF NOT EXISTS publicity_publication_search_gin ON publicity_publication "
    "USING gin (to_tsvector('simple'::regconfig, search_tokens))",
    "DROP INDEX IF EXISTS publicity_publication_search_vector_gin",
    "DROP TRIGGER IF EXISTS publicity_publication_search_vector ON publicity_publication",
    "DROP FUNCTION IF EXISTS publicity_publication_search_vector()",
    "ALTER TABLE publicity_publication DROP COLUMN IF EXISTS search_vector",
]
SQLITE_INDEX = [f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')"]


def recompute_tokens(apps, schema_editor):
    from zhifa.publicity.search import tokens_for

    Publication = apps.get_model("publicity", "Publication")
    rows = Publication.objects.using(schema_editor.connection.alias).select_related("agency").order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        changed = []
        for publication in batch:
            tokens = tokens_for(publication)
            if tokens != publication.search_tokens:
                publication.search_tokens = tokens
                changed.append(publication)
        if changed:
            Publication.objects.using(schema_editor.connection.alias).bulk_update(
                changed, ["search_tokens"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("publicity", "0002_search_index"),
    ]

    operations = [
        migrations.RunPython(run_sql({"postgresql": PG_COLUMN}), run_sql({"postgresql": PG_REVERSE}), elidable=False),
        migrations.RunPython(recompute_tokens, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(run_sql({"postgresql": PG_INDEX, "sqlite": SQLITE_INDEX}), migrations.RunPython.noop,
                             elidable=False),
    ]
