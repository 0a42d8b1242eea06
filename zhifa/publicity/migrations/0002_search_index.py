# Full-text index of published decisions (PUB-3 search), see zhifa.publicity.search.
#
# SQLite: an FTS5 external-content table over publicity_publication(search_tokens), kept in
# sync by triggers (the tokens are jieba words separated by spaces, so the default unicode61
# tokenizer indexes them as they are). PostgreSQL: a GIN index on the very expression the
# search filter uses. Other databases: nothing (search falls back to a token match).

from django.db import migrations

from zhifa.core.migration_sql import run_sql

FTS = "publicity_publication_fts"

# Kept identical to zhifa.publicity.search.SQLITE_TRIGGERS (which re-creates them after a
# later migration remakes the table on SQLite and drops its triggers).
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    "search_tokens, content='publicity_publication', content_rowid='id')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON publicity_publication BEGIN "
    f"INSERT INTO {FTS}(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON publicity_publication BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF search_tokens ON publicity_publication "
    "WHEN old.search_tokens IS NOT new.search_tokens BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens); "
    f"INSERT INTO {FTS}(rowid, search_tokens) VALUES (new.id, new.search_tokens); END",
    # Index the rows that exist already.
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]

# Must match zhifa.publicity.search.PG_VECTOR exactly, or the planner will not use the index.
PG_CREATE = [
    "CREATE INDEX IF NOT EXISTS publicity_publication_search_gin ON publicity_publication "
    "USING gin (to_tsvector('simple'::regconfig, search_tokens))",
]
PG_DROP = ["DROP INDEX IF EXISTS publicity_publication_search_gin"]


class Migration(migrations.Migration):

    dependencies = [
        ("publicity", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            run_sql({"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}),
            run_sql({"sqlite": SQLITE_DROP, "postgresql": PG_DROP}),
            elidable=False,
        ),
    ]
