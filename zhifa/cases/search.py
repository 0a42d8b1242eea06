"""``?q=`` on the case list: one condition on ``Case.search_text``, served by an index (issue #14).

- **PostgreSQL**: ``search_text LIKE '%q%'``, answered by the pg_trgm GIN index
  ``cases_case_search_trgm`` (migration 0007) for queries of three characters or more. The index
  is asked only for the runs of the query whose trigrams are not common (``uncommon_runs``: a
  trigram in 10 % or more of the sampled cases is left out — "合成罚" of every case number, "有限公"
  of most party names — whose list of cases GIN would otherwise read), and the whole text is then
  checked on the rows (``strpos``, the same match as ``LIKE``). A text with no common trigram, or
  only common ones, stays one ``LIKE`` whose estimate decides index or list order.
- **SQLite** (3.34 or newer, with FTS5): the FTS5 table ``cases_case_fts`` with the ``trigram``
  tokenizer mirrors ``search_text`` (external content, kept by triggers, migration 0010); a query
  of three characters or more is looked up there instead of by walking every case in scope:
  through its rarest trigrams (``rare_trigrams``: ``MATCH '"t1" AND "t2" AND "t3"'``), at most
  5,001 ids, then the whole text checked on those rows (so the result is exactly ``LIKE``'s). A
  text in more than 5,000 cases is common: it is walked in list order like a short query, which
  finds a page of it at once. Which trigrams are rarest is read from a sample of the cases
  (``TrigramSample``, 1,000 texts, taken again every hour): FTS5 reads the whole list of cases of
  every trigram it is asked for, and a party's name is mostly common trigrams ("有限公", "限公司").
- Shorter queries (one or two characters, which no trigram index can narrow) are the plain
  ``LIKE`` on every database: they walk the list order and find a page of a common word at once.

Django remakes a table on SQLite for many schema changes (copy, drop, rename), which drops its
triggers: after every ``migrate`` the triggers are put back and the index rebuilt if one was
missing (``ensure_sqlite_index``), as ``zhifa.publicity.search`` does for decisions.
"""

import time
from collections import Counter

from django.db import connection as default_connection
from django.db.models import F, Q, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from zhifa.core import fts

FTS_TABLE = "cases_case_fts"
MIN_INDEXED_LENGTH = 3  # trigrams: shorter queries cannot be looked up
MATCHED_TRIGRAMS = 3  # the rarest this many are looked up (AND), the row then checked whole
MATCH_CAP = 5000  # more matches than this: a common text, walked in list order instead
COMMON_SHARE = 0.1  # PostgreSQL: a trigram in this share of the sampled cases is not looked up

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


def trigrams_of(text: str) -> list[str]:
    """The distinct trigrams of ``text``, in order."""
    return list(dict.fromkeys(text[i:i + 3] for i in range(len(text) - 2)))


class TrigramSample:
    """How common each trigram is: in how many of ``SAMPLE_SIZE`` cases' search texts, read at
    ids spread evenly over the table (one statement, by primary key) and kept ``SAMPLE_SECONDS``
    per database in this process.

    Only which trigrams are asked of the index depends on it — never the result, which is always
    checked against the whole text — so a sample an hour old costs at most some speed."""

    SAMPLE_SIZE = 1000
    SAMPLE_SECONDS = 3600
    _cache: dict[str, tuple[float, int, Counter]] = {}

    @classmethod
    def counts(cls, connection) -> tuple[int, Counter]:
        """(texts sampled, trigram → texts holding it)."""
        key = connection.settings_dict["NAME"]
        now = time.monotonic()
        cached = cls._cache.get(key)
        if cached is not None and now - cached[0] < cls.SAMPLE_SECONDS:
            return cached[1], cached[2]
        with connection.cursor() as cursor:
            cursor.execute("SELECT MIN(id), MAX(id) FROM cases_case")
            low, high = cursor.fetchone()
            texts = []
            if low is not None:
                step = max(1, (high - low) // cls.SAMPLE_SIZE)
                ids = list(range(low, high + 1, step))[: cls.SAMPLE_SIZE + 1]
                cursor.execute(f"SELECT search_text FROM cases_case WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
                texts = [row[0] or "" for row in cursor.fetchall()]
        counts = Counter(trigram for text in texts for trigram in trigrams_of(text))
        cls._cache[key] = (now, len(texts), counts)
        return len(texts), counts

    @classmethod
    def forget(cls) -> None:
        cls._cache.clear()


def rare_trigrams(value: str, connection=None) -> list[str]:
    """The ``MATCHED_TRIGRAMS`` trigrams of the query fewest sampled cases hold, rarest first
    (``TrigramSample``; of equally rare ones, those furthest apart in the query).

    FTS5 reads the whole list of cases of every trigram it is asked for: the phrase of a party's
    full name made it read "有限公司"'s (most cases) — 14 ms at a million cases for a name whose
    trigrams are all in thousands of cases; its three rarest trigrams alone take a fraction of that
    (benchmarks/README.md)."""
    connection = connection or default_connection
    trigrams = trigrams_of(value)
    if len(trigrams) <= MATCHED_TRIGRAMS:
        return trigrams
    _, counts = TrigramSample.counts(connection)
    middle = (len(trigrams) - 1) / 2
    ranked = sorted(range(len(trigrams)), key=lambda i: (counts[trigrams[i]], -abs(i - middle)))
    return [trigrams[i] for i in ranked[:MATCHED_TRIGRAMS]]


def uncommon_runs(value: str, connection=None) -> list[str]:
    """The longest pieces of ``value`` (three characters or more) none of whose trigrams is in
    ``COMMON_SHARE`` or more of the sampled cases (``TrigramSample``), in order."""
    connection = connection or default_connection
    sampled, counts = TrigramSample.counts(connection)
    limit = sampled * COMMON_SHARE
    runs, start = [], None
    for i in range(len(value) - 2):
        if sampled and counts[value[i:i + 3]] >= limit:
            if start is not None:
                runs.append(value[start:i + 2])
            start = None
        elif start is None:
            start = i
    if start is not None:
        runs.append(value[start:])
    return runs


def _postgresql_q(value: str, connection) -> Q:
    """``LIKE`` the runs of ``value`` without a common trigram (the index's part), ``strpos`` the
    whole; or the one ``LIKE`` when nothing would be left out or nothing would be left."""
    contains = Q(search_text__contains=value)
    if len(value) <= MIN_INDEXED_LENGTH:
        return contains
    runs = uncommon_runs(value, connection)
    if not runs or runs == [value]:
        return contains
    looked_up = Q()
    for run in runs:
        looked_up &= Q(search_text__contains=run)
    return looked_up & Q(GreaterThan(StrIndex(F("search_text"), Value(value)), 0))


def search_q(value: str, connection=None) -> Q:
    """The condition ``?q=value`` puts on cases (``value`` lower-cased and stripped).

    On SQLite with the FTS5 table and a query of three characters or more, the index is asked
    for the cases holding the query's rarest trigrams (``rare_trigrams``), at most
    ``MATCH_CAP + 1`` of them. Up to ``MATCH_CAP`` found: the condition is those ids *and* the
    whole text (``LIKE``, so the result is exactly ``LIKE``'s), read by primary key and sorted (a
    handful of rows). More: the text is common, and walking the list order finds a page of it at
    once. On PostgreSQL: ``_postgresql_q``. Shorter queries, and other databases: ``LIKE``."""
    contains = Q(search_text__contains=value)
    connection = connection or default_connection
    if len(value) < MIN_INDEXED_LENGTH:
        return contains
    if connection.vendor == "postgresql":
        return _postgresql_q(value, connection)
    if not has_fts(connection):
        return contains
    match = " AND ".join(_quoted(t) for t in rare_trigrams(value, connection))
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
