"""``?q=`` on the case list: one condition on ``Case.search_text``, served by an index (issue #14).

- **PostgreSQL**: ``search_text LIKE '%q%'``, answered by the pg_trgm GIN index
  ``cases_case_search_trgm`` (migration 0007) for queries of three characters or more.
- **SQLite** (3.34 or newer, with FTS5): the FTS5 table ``cases_case_fts`` with the ``trigram``
  tokenizer mirrors ``search_text`` (external content, kept by triggers, migration 0010); a query
  of three characters or more is looked up there instead of by walking every case in scope:
  through its rarest trigrams (``rare_trigrams``: ``MATCH '"t1" AND "t2" AND "t3"'``) or its
  quoted phrase, at most 5,001 ids, then the whole text checked on those rows (so the result is
  exactly ``LIKE``'s). A text in more than 5,000 cases is common: it is walked in list order like
  a short query, which finds a page of it at once.
- Shorter queries (one or two characters, which no trigram index can narrow) are the plain
  ``LIKE`` on every database: they walk the list order and find a page of a common word at once.

Django remakes a table on SQLite for many schema changes (copy, drop, rename), which drops its
triggers: after every ``migrate`` the triggers are put back and the index rebuilt if one was
missing (``ensure_sqlite_index``), as ``zhifa.publicity.search`` does for decisions.
"""

from django.db import connection as default_connection
from django.db.models import Q

from zhifa.core import fts

FTS_TABLE = "cases_case_fts"
MIN_INDEXED_LENGTH = 3  # trigrams: shorter queries cannot be looked up
PROBED_TRIGRAMS = 6  # of a longer query, this many trigrams are probed for their rarity
RARE_ROWS = 5000  # a trigram in at most this many cases is rare enough to look up
MATCHED_TRIGRAMS = 3  # the rarest this many are looked up (AND), the row then checked whole
MATCH_CAP = 5000  # more matches than this: a common text, walked in list order instead

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


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def rare_trigrams(value: str, connection=None) -> list[str]:
    """Up to ``MATCHED_TRIGRAMS`` of the query's trigrams that occur in at most ``RARE_ROWS``
    cases, rarest first — probed in one statement, each count stopping at ``RARE_ROWS + 1``.

    A phrase query makes FTS5 read the whole posting list of every trigram in it: "有限公司" is
    in most cases, so a party's full name cost ~1 s at a million cases; the same name's rare
    trigrams alone (``"鑫达化" AND "1000号"``) are answered in a millisecond."""
    connection = connection or default_connection
    trigrams = list(dict.fromkeys(value[i:i + 3] for i in range(len(value) - 2)))
    if len(trigrams) > PROBED_TRIGRAMS:  # spread the probes over the whole query
        step = (len(trigrams) - 1) / (PROBED_TRIGRAMS - 1)
        trigrams = list(dict.fromkeys(trigrams[round(i * step)] for i in range(PROBED_TRIGRAMS)))
    probe = ", ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT {RARE_ROWS + 1}))"
        for _ in trigrams)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {probe}", [_quoted(t) for t in trigrams])
        counts = cursor.fetchone()
    ranked = sorted((count, i) for i, count in enumerate(counts) if count <= RARE_ROWS)
    return [trigrams[i] for _, i in ranked[:MATCHED_TRIGRAMS]]


def search_q(value: str, connection=None) -> Q:
    """The condition ``?q=value`` puts on cases (``value`` lower-cased and stripped).

    On SQLite with the FTS5 table and a query of three characters or more, the index is asked
    for the matching cases — by the query's rarest trigrams (``rare_trigrams``), else by the
    quoted phrase — at most ``MATCH_CAP + 1`` of them. Up to ``MATCH_CAP`` found: the condition is
    those ids *and* the whole text (``LIKE``, so the result is exactly ``LIKE``'s), read by
    primary key and sorted (a handful of rows). More: the text is common, and walking the list
    order finds a page of it at once. Shorter queries, and other databases: ``LIKE``."""
    contains = Q(search_text__contains=value)
    if len(value) < MIN_INDEXED_LENGTH or not has_fts(connection):
        return contains
    connection = connection or default_connection
    rare = rare_trigrams(value, connection) if len(value) > MIN_INDEXED_LENGTH else []
    match = " AND ".join(_quoted(t) for t in rare) if rare else _quoted(value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT {MATCH_CAP + 1}", [match])
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) > MATCH_CAP:
        return contains
    return Q(id__in=ids) & contains


def ensure_sqlite_index(connection=None) -> bool:
    """Re-create missing FTS triggers (and rebuild the index then). True if it repaired anything."""
    return fts.ensure_sqlite_index(FTS_TABLE, SQLITE_TRIGGERS, connection)


fts.repair_after_migrate("cases", FTS_TABLE, SQLITE_TRIGGERS)
