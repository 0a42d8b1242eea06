"""``?q=`` on the case list: one condition on ``Case.search_text``, served by an index (issue #14).

- **PostgreSQL**: ``search_text LIKE '%q%'``, answered by the pg_trgm GIN index
  ``cases_case_search_trgm`` (migration 0007) for queries of three characters or more.
- **SQLite** (3.34 or newer, with FTS5): the FTS5 table ``cases_case_fts`` with the ``trigram``
  tokenizer mirrors ``search_text`` (external content, kept by triggers, migration 0010); a query
  of three characters or more becomes ``id IN (SELECT rowid FROM cases_case_fts WHERE … MATCH
  '"q"')`` — the same substring match (a quoted trigram phrase matches exactly the texts that
  contain it; both sides are lower-cased), found through the index instead of by walking every
  case in scope.
- Shorter queries (one or two characters, which no trigram index can narrow) are the plain
  ``LIKE`` on every database: they walk the list order and find a page of a common word at once.

Django remakes a table on SQLite for many schema changes (copy, drop, rename), which drops its
triggers: after every ``migrate`` the triggers are put back and the index rebuilt if one was
missing (``ensure_sqlite_index``), as ``zhifa.publicity.search`` does for decisions.
"""

from django.db import connection as default_connection
from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate

FTS_TABLE = "cases_case_fts"
MIN_INDEXED_LENGTH = 3  # trigrams: shorter queries cannot be looked up

SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON cases_case BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    f"{FTS_TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON cases_case BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
    ),
    f"{FTS_TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON cases_case "
        "WHEN old.search_text IS NOT new.search_text BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}
SQLITE_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='cases_case', content_rowid='id', tokenize='trigram')"
)


def has_fts(connection=None) -> bool:
    """The SQLite FTS5 trigram index exists on this connection's database."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return False
    cached = getattr(connection, "_zhifa_case_fts", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
            cached = cursor.fetchone() is not None
        if cached:  # only a present table is remembered (a test database may get it later)
            connection._zhifa_case_fts = True
    return cached


def search_q(value: str, connection=None) -> Q:
    """The condition ``?q=value`` puts on cases (``value`` lower-cased and stripped)."""
    if len(value) >= MIN_INDEXED_LENGTH and has_fts(connection):
        phrase = '"' + value.replace('"', '""') + '"'
        return Q(id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [phrase]))
    return Q(search_text__contains=value)


def ensure_sqlite_index(connection=None) -> bool:
    """Re-create missing FTS triggers (and rebuild the index then). True if it repaired anything."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s OR name LIKE %s",
                       [FTS_TABLE, f"{FTS_TABLE}_a_"])
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present:  # migration 0010 not applied (yet)
            return False
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return bool(missing)


def _after_migrate(sender, using="default", **kwargs):
    if getattr(sender, "label", None) != "cases":
        return
    ensure_sqlite_index(connections[using])


post_migrate.connect(_after_migrate, dispatch_uid="zhifa_cases_search_index")
