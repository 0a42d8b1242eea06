"""Keeping a SQLite full-text index (FTS5) whole (全文索引), shared by the case search
(``zhifa.cases.search``) and the decision search (``zhifa.publicity.search``).

Django remakes a table on SQLite for many schema changes (copy, drop, rename), which drops the
triggers that keep its FTS5 table current. After every migrate of the owning app the triggers
are put back, and the index rebuilt if any was missing (the rows changed in between would
otherwise never be re-indexed). Only the upkeep lives here; each app keeps its own tokens,
triggers and ranking.
"""

from django.db import connection as default_connection
from django.db import connections
from django.db.models.signals import post_migrate


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

    def _after_migrate(sender, using="default", **kwargs):
        if getattr(sender, "label", None) == app_label:
            ensure_sqlite_index(fts_table, triggers, connections[using])

    post_migrate.connect(_after_migrate, dispatch_uid=f"zhifa_{app_label}_search_index", weak=False)
