"""Full-text search of published decisions (PUB-3 search).

Chinese text is segmented with jieba (``tokens_for``) when a publication's public text is
made; the space-separated tokens are what the database indexes:

- **SQLite**: the FTS5 external-content table ``publicity_publication_fts`` over
  ``publicity_publication(search_tokens)``, kept in sync by triggers (migration 0002). The
  default unicode61 tokenizer splits on the spaces, so one FTS term is one jieba word;
- **PostgreSQL**: a GIN index on ``to_tsvector('simple'::regconfig, search_tokens)``
  (migration 0002); the filter below uses exactly that expression so the index is used.

Views and the API call one function, ``search(queryset, text)``; filters (agency, kind,
dates, amounts, status) stay ordinary ORM filters on the same queryset::

    qs = Publication.objects.public().filter(status=choices.PUBLISHED)
    qs = qs.filter(agency=..., kind=..., decided_on__gte=..., fine_amount__lte=...)
    qs = search.search(qs, request.GET.get("q", ""))   # relevance, then newest

(``zhifa.publicity.filters.public_search`` does exactly this for the portal and the API.)

Matching is by words, not substrings: the query is segmented the same way (search mode)
and every word must occur (AND). "食品安全" finds "销售不符合食品安全标准的食品"; "品安",
which jieba never yields as a word of that text, finds nothing (a deliberate choice: a
substring scan cannot use an index and would not stay fast on a million rows).

Relevance (bm25 / ts_rank) is ranked among the newest ``SEARCH_WINDOW`` matches within the
caller's filters, so that a common word does not rank half a million rows per page; see
``search`` and benchmarks/README.md (``python -m benchmarks.portal``) for the numbers.
"""

import re

import jieba
from django.db import connection as default_connection
from django.db import connections
from django.db.models import BooleanField, F, FloatField, Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate

jieba.setLogLevel(60)

FTS_TABLE = "publicity_publication_fts"
# The indexed expression on PostgreSQL (identical to the index of migration 0002).
PG_VECTOR = "to_tsvector('simple'::regconfig, {column})"
# Particles dropped from a query of several words (they occur in nearly every decision and
# would only make the index read long lists); a query of particles alone is kept.
STOP_WORDS = frozenset("的 了 和 与 及 或 等 之 其 并".split())
# Newest first among equally relevant rows (as the portal lists them without a query).
NEWEST = ("-published_on", "-id")
# Relevance is ranked among at most this many newest matches (see ``search``).
SEARCH_WINDOW = 1000


def segment(text: str) -> list[str]:
    """Search-mode segmentation: words and their meaningful sub-words (食品安全 → 食品 安全 食品安全)."""
    return [token.strip() for token in jieba.cut_for_search(text or "") if token.strip()]


def tokens_for(publication) -> str:
    """The indexed text of a publication: only its public fields, segmented."""
    parts = [
        publication.decision_number, publication.title, publication.public_party_name, publication.public_facts,
        publication.public_legal_basis, publication.public_result, getattr(publication.agency, "name", ""),
    ]
    return " ".join(segment(" ".join(p for p in parts if p)))


_WORD_CHARS = re.compile(r"\w", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The words every match must contain, from what a user typed.

    The query is segmented like the documents (search mode); punctuation goes; a word that
    is part of a longer query word is dropped, since a document segmented in search mode that
    has the longer word always has its parts too (食品安全 → 食品安全 alone: fewer, rarer
    terms make a faster index lookup with the same result). Lower-cased: both indexes
    compare case-insensitively.
    """
    words = []
    for token in segment((text or "")[:200]):
        token = token.lower()
        if _WORD_CHARS.search(token) and token not in words:
            words.append(token)
    content = [w for w in words if w not in STOP_WORDS] or words
    return [w for w in content if not any(w != other and w in other for other in content)]


def fts5_match(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word quoted as a string (so no word is read as an
    operator or column filter), double quotes doubled, joined by AND."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def search(queryset, text: str, *, window: int | None = None):
    """The rows of ``queryset`` whose public text contains every word of ``text``, most
    relevant first, then newest (``-published_on``, ``-id``).

    ``queryset`` is any queryset of ``Publication`` (e.g. ``Publication.objects.public()``
    filtered by status, agency, kind, dates, amounts): apply the filters *before* calling
    this. It is returned unchanged (in its own order) when ``text`` has no word.

    Relevance is ranked among the newest ``window`` (``SEARCH_WINDOW``, 1,000) matches of
    the filtered queryset: ranking every match of a common word ("罚款" is in most of a
    million decisions) costs time proportional to the matches; ranking a bounded window keeps
    a page flat as publications grow. When a query has more matches than the window, the
    older ones are not listed (``window=0``: rank all). To find the window one query runs
    here: newest matches first, stopping at the ``window``-th.

    Rows get a ``search_rank`` annotation (smaller is more relevant on SQLite, larger on
    PostgreSQL — for display or debugging only).
    """
    words = query_words(text)
    if not words:
        return queryset
    window = SEARCH_WINDOW if window is None else window
    vendor = connections[queryset.db].vendor
    table = queryset.model._meta.db_table
    if vendor == "sqlite":
        return _search_sqlite(queryset, words, table, window)
    if vendor == "postgresql":
        return _search_postgresql(queryset, words, table, window)
    # Any other database: a (slow, unindexed) match on the token text.
    condition = Q()
    for word in words:
        condition &= Q(search_tokens__icontains=word)
    return queryset.filter(condition).order_by(*NEWEST)


def _oldest_in_window(matches, newest_first, window: int):
    """The id of the ``window``-th newest match, or None when there are fewer matches."""
    if not window:
        return None
    ids = list(matches.order_by(newest_first).values_list("id", flat=True)[window - 1:window])
    return ids[0] if ids else None


def _search_sqlite(queryset, words, table, window):
    # The FTS table drives the join (MATCH is its cheapest access path; FTS5 also yields the
    # matches in rowid order, newest first on request, and honours a rowid range); each match
    # reaches its publication by primary key, where the caller's filters are checked. bm25 is
    # only available in this form (a correlated subquery would re-run the MATCH per row).
    # extra() is the only way to join a table without a model; everything is parameterised.
    fts_rowid = f'"{FTS_TABLE}".rowid'
    matches = queryset.extra(
        tables=[FTS_TABLE], where=[f'"{FTS_TABLE}" MATCH %s', f'{fts_rowid} = "{table}"."id"'],
        params=[fts5_match(words)],
    )
    oldest = _oldest_in_window(matches, RawSQL(fts_rowid, []).desc(), window)
    if oldest is not None:
        matches = matches.extra(where=[f"{fts_rowid} >= %s"], params=[oldest])
    return matches.extra(select={"search_rank": f'"{FTS_TABLE}".rank'}, order_by=["search_rank", *NEWEST])


def _search_postgresql(queryset, words, table, window):
    vector = PG_VECTOR.format(column=f'"{table}"."search_tokens"')
    # plainto_tsquery parses the words with the same parser as to_tsvector and ANDs them;
    # the words travel as a parameter, never as query syntax.
    query = "plainto_tsquery('simple'::regconfig, %s)"
    joined = " ".join(words)
    matches = queryset.filter(RawSQL(f"{vector} @@ {query}", [joined], output_field=BooleanField()))
    oldest = _oldest_in_window(matches, F("id").desc(), window)
    if oldest is not None:
        matches = matches.filter(id__gte=oldest)
    return matches.annotate(
        search_rank=RawSQL(f"ts_rank({vector}, {query})", [joined], output_field=FloatField()),
    ).order_by(F("search_rank").desc(), *NEWEST)


# --- keeping the SQLite index whole -------------------------------------------------------
# Django remakes a table on SQLite for many schema changes (copy, drop, rename), which drops
# its triggers. After every migrate the triggers are put back, and the index rebuilt if any
# was missing (the rows changed in between would otherwise never be re-indexed).

SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON publicity_publication BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_tokens) VALUES (new.id, new.search_tokens); END"
    ),
    f"{FTS_TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON publicity_publication BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens); END"
    ),
    f"{FTS_TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_tokens ON publicity_publication "
        "WHEN old.search_tokens IS NOT new.search_tokens BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_tokens) VALUES ('delete', old.id, old.search_tokens); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_tokens) VALUES (new.id, new.search_tokens); END"
    ),
}


def ensure_sqlite_index(connection=None) -> bool:
    """Re-create missing FTS triggers (and rebuild the index then). True if it repaired anything."""
    connection = connection or default_connection
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name = %s OR name LIKE %s",
                       [FTS_TABLE, f"{FTS_TABLE}_a_"])
        present = {name for _, name in cursor.fetchall()}
        if FTS_TABLE not in present:  # migration 0002 not applied (yet)
            return False
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return bool(missing)


def _after_migrate(sender, using="default", **kwargs):
    if getattr(sender, "label", None) != "publicity":
        return
    ensure_sqlite_index(connections[using])


post_migrate.connect(_after_migrate, dispatch_uid="zhifa_publicity_search_index")
