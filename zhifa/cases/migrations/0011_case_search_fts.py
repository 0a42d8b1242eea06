# Issue #14: on SQLite, ``?q=`` of three characters or more on the case list is found through an
# FTS5 table with the trigram tokenizer mirroring ``cases_case.search_text`` (external content,
# kept by triggers; zhifa.cases.search). SQLite older than 3.34 has no trigram tokenizer: the table
# is then not created and the search stays the plain LIKE. Other databases: nothing here.

from django.db import OperationalError, migrations, transaction

FTS = "cases_case_fts"

# Kept identical to zhifa.cases.search (which re-creates the triggers after a later migration
# remakes the table on SQLite and drops them).
SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5("
    "search_text, content='cases_case', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON cases_case BEGIN "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON cases_case BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF search_text ON cases_case "
    "WHEN old.search_text IS NOT new.search_text BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    # Index the cases that exist already.
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            for statement in SQLITE_CREATE:
                schema_editor.execute(statement, params=None)
    except OperationalError:  # no FTS5 or no trigram tokenizer (SQLite < 3.34): LIKE stays
        pass


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0010_cases_decided_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
