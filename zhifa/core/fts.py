"""Keeping a SQLite full-text index (FTS5) whole (全文索引), shared by the case search
(``zhifa.cases.search``) and the decision search (``zhifa.publicity.search``).

Django remakes a table on SQLite for many schema changes (copy, drop, rename), which drops the
triggers that keep its FTS5 table current. After every migrate of the owning app the triggers
are put back, and the index rebuilt if any was missing (the rows changed in between would
otherwise never be re-indexed). Only the upkeep lives here; each app keeps its own tokens,
triggers and ranking.

FTS5 adds a segment to its index for every batch of writes and merges them only now and then
(automerge); a term's matches are then read from up to a dozen segments. ``merge_segments``
(run nightly by ``analyze_db``) merges each index into one segment, in steps that each hold the
write lock for a moment only. On a million decisions it halved the search's index reads
(benchmarks/README.md).
"""

from django.db import connection as default_connection
from django.db import connections
from django.db.models.signals import post_migrate

# Every FTS table kept by ``repair_after_migrate``: table name → app label.
TABLES: dict[str, str] = {}
# Pages written per merge step: one step is one short write transaction.
MERGE_STEP_PAGES = 500


def merge_segments(fts_table: str, connection=None) -> int:
    """Merge the segments of ``fts_table`` into one (FTS5's incremental ``merge``, as
    ``optimize`` does at once but without holding the write lock throughout). Returns the
    number of steps that did work; 0 on other databases or when the table does not exist."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [fts_table])
        if cursor.fetchone() is None:
            return 0
        # A negative page count first puts every segment on one level, so that the steps
        # that follow merge them all (https://sqlite.org/fts5.html#the_merge_command).
        statement = f"INSERT INTO {fts_table}({fts_table}, rank) VALUES ('merge', %s)"
        steps, pages = 0, -MERGE_STEP_PAGES
        while True:
            before = connection.connection.total_changes
            cursor.execute(statement, [pages])
            if connection.connection.total_changes - before < 2:  # nothing was left to merge
                return steps
            steps, pages = steps + 1, MERGE_STEP_PAGES


def merge_all_segments(connection=None) -> dict[str, int]:
    """``merge_segments`` for every FTS table of the project: table → steps."""
    return {table: merge_segments(table, connection) for table in sorted(TABLES)}


def ensure_sqlite_index(fts_table: str, triggers: dict[str, str], connection=None) -> bool:
    """Re-create the missing ``triggers`` (name → CREATE TRIGGER statement) of ``fts_table`` and
    rebuild the index then. True if it repaired anything; False on other databases and before
    the migration that creates the table."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s OR name LIKE %s",
                       [fts_table, f"{fts_table}_a_"])
        present = {row[0] for row in cursor.fetchall()}
        if fts_table not in present:  # the migration creating it is not applied (yet)
            return False
        missing = [name for name in triggers if name not in present]
        for name in missing:
            cursor.execute(triggers[name])
        if missing:
            cursor.execute(f"INSERT INTO {fts_table}({fts_table}) VALUES ('rebuild')")
    return bool(missing)


def repair_after_migrate(app_label: str, fts_table: str, triggers: dict[str, str]) -> None:
    """Run ``ensure_sqlite_index`` after every migrate of ``app_label`` (on the migrated database)."""

    TABLES[fts_table] = app_label

    def _after_migrate(sender, using="default", **kwargs):
        if getattr(sender, "label", None) == app_label:
            ensure_sqlite_index(fts_table, triggers, connections[using])

    post_migrate.connect(_after_migrate, dispatch_uid=f"zhifa_{app_label}_search_index", weak=False)
