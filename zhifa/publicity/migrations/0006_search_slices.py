# PostgreSQL only: every publication's search_vector also holds the terms of the "slices" of
# consecutive ids the row belongs to, at three sizes: zfb<id >> 14> (16,384 ids), zfc<id >> 17>
# (131,072) and zfd<id >> 20> (1,048,576) (see zhifa.publicity.search, SLICE_LEVELS). The search
# probes the newest slices first through the GIN index itself, so a word in a few percent of a
# million decisions no longer costs one heap row per match.
#
# The vector is also kept in the row (STORAGE MAIN: compressed, moved out of line only if
# nothing else can be), not in the TOAST table: checking a row's vector, or ranking the
# window's 500 rows, then costs no TOAST index lookup (2-3x less per row, measured).
#
# The trigger of 0003 now adds the terms; existing rows get it in one UPDATE, which also stores
# their vectors in the row. On a million rows it rewrites the table once (about 7 minutes on
# the benchmark machine); VACUUM FULL ANALYZE publicity_publication afterwards gives the
# space back and rebuilds the GIN index compactly (see docs/deployment.md).

from django.db import migrations

from zhifa.core.migration_sql import on_postgresql

SLICE_TERMS = "'zfb' || (NEW.id >> 14) || ' zfc' || (NEW.id >> 17) || ' zfd' || (NEW.id >> 20)"

PG_FORWARD = [
    "ALTER TABLE publicity_publication ALTER COLUMN search_vector SET STORAGE MAIN",
    "CREATE OR REPLACE FUNCTION publicity_publication_search_vector() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"NEW.search_vector := to_tsvector('simple'::regconfig, coalesce(NEW.search_tokens, '') || ' ' || {SLICE_TERMS}); "
    "RETURN NEW; END $$",
    "UPDATE publicity_publication SET search_vector = to_tsvector('simple'::regconfig, "
    "coalesce(search_tokens, '') || ' zfb' || (id >> 14) || ' zfc' || (id >> 17) || ' zfd' || (id >> 20))",
    "ANALYZE publicity_publication",
]
PG_REVERSE = [
    "ALTER TABLE publicity_publication ALTER COLUMN search_vector SET STORAGE EXTENDED",
    "CREATE OR REPLACE FUNCTION publicity_publication_search_vector() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "NEW.search_vector := to_tsvector('simple'::regconfig, coalesce(NEW.search_tokens, '')); "
    "RETURN NEW; END $$",
    "UPDATE publicity_publication SET search_vector = to_tsvector('simple'::regconfig, coalesce(search_tokens, ''))",
]


class Migration(migrations.Migration):

    dependencies = [
        ("publicity", "0005_public_title_masked"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(PG_FORWARD), on_postgresql(PG_REVERSE), elidable=False),
    ]
