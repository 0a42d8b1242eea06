"""Full-text search of published decisions (PUB-3 search).

Chinese text is segmented with jieba (``tokens_for``) when a publication's public text is
made; the space-separated tokens are what the database indexes, followed by a few **filter
terms** (``index_terms``): ``zfa<agency id>``, ``zfk<kind>``, ``zfy<year decided>`` and
``zfm<digits of the fine>`` (a decade band: ``zfm4`` is 1,000–9,999 yuan). They let the
full-text index itself narrow a search by agency, kind, year and amount, so that a selective
filter does not make the database read hundreds of times more matches than it lists. Words
of the reserved form (``zf`` + a/k/y/m + …) are removed from the indexed text and from every
query, so a user can neither type nor accidentally hit a filter term.

- **SQLite**: the FTS5 external-content table ``publicity_publication_fts`` over
  ``publicity_publication(search_tokens)``, kept in sync by triggers (migration 0002). The
  default unicode61 tokenizer splits on the spaces, so one FTS term is one jieba word;
- **PostgreSQL**: the column ``search_vector`` (``to_tsvector('simple', search_tokens)``,
  kept by a trigger, not a model field) with a GIN index (migration 0003).

Views and the API call ``filters.public_search``, which applies the filters as ORM filters
(exact) *and* passes them to ``search`` as terms (fast)::

    qs = Publication.objects.public().filter(status=choices.PUBLISHED, agency=a, kind=k, ...)
    qs = search.search(qs, text, terms=search.filter_terms(agency=a, kind=k, since=d1, until=d2,
                                                           min_amount=x, max_amount=y))

Terms only ever narrow what the ORM filters select anyway; a caller may pass none.

Matching is by words, not substrings: the query is segmented the same way (search mode)
and every word must occur (AND). "食品安全" finds "销售不符合食品安全标准的食品"; "品安",
which jieba never yields as a word of that text, finds nothing (a deliberate choice: a
substring scan cannot use an index and would not stay fast on a million rows).

Relevance is ranked among the newest ``SEARCH_WINDOW`` (500) matches within the caller's filters,
so that a common word does not rank half a million rows per page; see ``search`` and
benchmarks/README.md (``python -m benchmarks.portal``) for the numbers.
"""

import datetime
import re
import time
import unicodedata

import jieba
from django.db import connections
from django.db.models import BooleanField, F, FloatField, Q
from django.db.models.expressions import RawSQL

from zhifa.core import fts

jieba.setLogLevel(60)

FTS_TABLE = "publicity_publication_fts"
# The stored tsvector column on PostgreSQL (migration 0003), GIN-indexed.
PG_VECTOR_COLUMN = "search_vector"
PG_VECTOR_INDEX = "publicity_publication_search_vector_gin"
# Particles dropped from a query of several words (they occur in nearly every decision and
# would only make the index read long lists); a query of particles alone is kept.
STOP_WORDS = frozenset("的 了 和 与 及 或 等 之 其 并".split())
# Newest first among equally relevant rows (as the portal lists them without a query).
NEWEST = ("-published_on", "-id")
# Relevance is ranked among at most this many newest matches (see ``search``): 25 pages of
# the portal's 20. A search that fills it tells the user to narrow it by agency, kind or date.
SEARCH_WINDOW = 500
# On SQLite the relevance counts the occurrences of at most this many of the query's words,
# the rarest (a word in most decisions — 经营, 食品 — says little about which is more
# relevant, as in BM25's inverse document frequency, and each counted word costs a pass over
# every ranked row's text).
RANK_WORDS = 2
# A word's document frequency is counted up to this cap (more is "common") and remembered
# per process for ``FREQUENCY_SECONDS``.
FREQUENCY_CAP = 20_000
FREQUENCY_SECONDS = 3600
# A filter term held by fewer decisions than this is always given to FTS5 (its list is short).
SHORT_TERM_ROWS = 1000
# A date range is passed as an OR of year terms only up to this many years (a longer range
# hardly narrows; the ORM filter does it), an amount range up to this many decade bands.
MAX_YEAR_TERMS = 3
MAX_AMOUNT_BANDS = 2

# Filter terms: "zf" + a (agency) / k (kind) / y (year) / m (amount band) + an ASCII value.
# unicode61 (FTS5) and PostgreSQL's parser keep such a word whole.
_RESERVED = re.compile(r"zf[akym]")
_PIECES = re.compile(r"[^\W_]+")  # how unicode61 splits a token: runs of letters and digits


def _folded(token: str) -> str:
    """The token as the indexes compare it: compatibility forms and diacritics gone, lower case."""
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _without_reserved(token: str) -> str:
    """``token``, or what is left of it once any part of the reserved form is removed."""
    folded = _folded(token)
    if "zf" not in folded:
        return token
    pieces = _PIECES.findall(folded)
    if not any(_RESERVED.match(piece) for piece in pieces):
        return token
    return " ".join(piece for piece in pieces if not _RESERVED.match(piece))


def segment(text: str) -> list[str]:
    """Search-mode segmentation: words and their meaningful sub-words (食品安全 → 食品 安全 食品安全)."""
    return [token.strip() for token in jieba.cut_for_search(text or "") if token.strip()]


def text_tokens(text: str) -> list[str]:
    """The indexed words of a text: its segmentation, less anything of the filter terms' form."""
    tokens = []
    for token in segment(text):
        token = _without_reserved(token)
        if token:
            tokens.append(token)
    return tokens


def _amount_band(amount) -> int:
    return len(str(abs(int(amount))))


def index_terms(*, agency_id, kind, decided_on, fine_amount) -> list[str]:
    """The filter terms indexed with a publication (see the module's docstring)."""
    terms = []
    if agency_id is not None:
        terms.append(f"zfa{int(agency_id)}")
    value = re.sub(r"[^a-z0-9]", "", (kind or "").lower())
    if value:
        terms.append(f"zfk{value}")
    if decided_on is not None:
        terms.append(f"zfy{decided_on.year}")
    if fine_amount is not None:
        terms.append(f"zfm{_amount_band(fine_amount)}")
    return terms


def tokens_for(publication) -> str:
    """The indexed text of a publication: only its public fields, segmented; then its filter terms."""
    parts = [
        publication.decision_number, publication.public_title, publication.public_party_name, publication.public_facts,
        publication.public_legal_basis, publication.public_result, getattr(publication.agency, "name", ""),
    ]
    terms = index_terms(agency_id=publication.agency_id, kind=publication.kind, decided_on=publication.decided_on,
                        fine_amount=publication.fine_amount)
    return " ".join(text_tokens(" ".join(p for p in parts if p)) + terms)


def filter_terms(*, agency=None, kind=None, since=None, until=None, min_amount=None, max_amount=None):
    """The term groups for ``search(terms=…)`` matching these filters: a tuple of groups,
    every group must match, a group is a tuple of alternatives (OR).

    ``agency`` is an Agency or its pk; dates and amounts are inclusive bounds. A filter that
    would hardly narrow is left out (a range of more than ``MAX_YEAR_TERMS`` years or
    ``MAX_AMOUNT_BANDS`` bands, an open amount range); the caller's ORM filters stay the
    exact condition. Without ``until``, the years run to this year (decisions are not dated
    in the future: ``services.register_decision`` refuses it)."""
    from zhifa.core import clock

    groups = []
    if agency is not None and agency != "":
        groups.append((f"zfa{int(getattr(agency, 'pk', agency))}",))
    if kind:
        groups.append(tuple(index_terms(agency_id=None, kind=kind, decided_on=None, fine_amount=None)))
    if since is not None:
        if isinstance(since, datetime.datetime):
            since = since.date()
        last = until.year if until is not None else max(clock.today().year, since.year)
        if since.year <= last and last - since.year < MAX_YEAR_TERMS:
            groups.append(tuple(f"zfy{year}" for year in range(since.year, last + 1)))
    if max_amount is not None:
        low = _amount_band(min_amount) if min_amount is not None else 1
        high = _amount_band(max_amount)
        if low <= high and high - low < MAX_AMOUNT_BANDS:
            groups.append(tuple(f"zfm{band}" for band in range(low, high + 1)))
    return tuple(g for g in groups if g)


_WORD_CHARS = re.compile(r"\w", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The words every match must contain, from what a user typed.

    The query is segmented like the documents (search mode); punctuation goes, and so does
    anything of the filter terms' form; a word that is part of a longer query word is
    dropped, since a document segmented in search mode that has the longer word always has
    its parts too (食品安全 → 食品安全 alone: fewer, rarer terms make a faster index lookup
    with the same result). Lower-cased: both indexes compare case-insensitively.
    """
    words = []
    for token in segment((text or "")[:200]):
        token = _without_reserved(token).lower()
        if _WORD_CHARS.search(token) and token not in words:
            words.append(token)
    content = [w for w in words if w not in STOP_WORDS] or words
    return [w for w in content if not any(w != other and w in other for other in content)]


def fts5_match(words: list[str], terms=()) -> str:
    """An FTS5 MATCH expression: every word quoted as a string (so no word is read as an
    operator or column filter), double quotes doubled, joined by AND; then the filter term
    groups (``(a OR b)``)."""
    parts = ['"' + word.replace('"', '""') + '"' for word in words]
    for group in terms:
        quoted = ['"' + term + '"' for term in group if re.fullmatch(r"zf[akym][a-z0-9]+", term)]
        if quoted:
            parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return " AND ".join(parts)


def pg_terms_query(terms) -> str:
    """The filter term groups as a ``to_tsquery`` text (terms are ours: letters and digits)."""
    parts = []
    for group in terms:
        safe = [term for term in group if re.fullmatch(r"zf[akym][a-z0-9]+", term)]
        if safe:
            parts.append(safe[0] if len(safe) == 1 else "(" + " | ".join(safe) + ")")
    return " & ".join(parts)


def search(queryset, text: str, *, terms=(), window: int | None = None):
    """The rows of ``queryset`` whose public text contains every word of ``text``, most
    relevant first, then newest (``-published_on``, ``-id``).

    ``queryset`` is any queryset of ``Publication`` (e.g. ``Publication.objects.public()``
    filtered by status, agency, kind, dates, amounts): apply the filters *before* calling
    this, and pass the same filters as ``terms`` (``filter_terms(…)``) so that the full-text
    index narrows by them too — without them a selective filter makes the database read
    many matches it then rejects. ``terms`` never widens the ORM filters. The queryset is
    returned unchanged (in its own order) when ``text`` has no word: terms are not used then.

    Relevance is ranked among the newest ``window`` (``SEARCH_WINDOW``, 500) matches of
    the filtered queryset: ranking every match of a common word ("罚款" is in most of a
    million decisions) costs time proportional to the matches; ranking a bounded window keeps
    a page flat as publications grow. When a query has more matches than the window, the
    older ones are not listed (``window=0``: rank all). The window is a subquery of the one
    statement the page runs: newest matches first, stopping at the ``window``-th.

    Rows get a ``search_rank`` annotation, larger is more relevant: on SQLite the
    occurrences of the query's ``RANK_WORDS`` rarest words per character of the indexed
    text (FTS5's bm25 would count every row holding each word and term to weigh it: 20–40 ms
    for a common one on a million rows); on PostgreSQL ``ts_rank`` over every word.
    """
    words = query_words(text)
    if not words:
        return queryset
    window = SEARCH_WINDOW if window is None else window
    vendor = connections[queryset.db].vendor
    table = queryset.model._meta.db_table
    if vendor == "sqlite":
        return _search_sqlite(queryset, words, tuple(terms), table, window)
    if vendor == "postgresql":
        return _search_postgresql(queryset, words, tuple(terms), table, window)
    # Any other database: a (slow, unindexed) match on the token text.
    condition = Q()
    for word in words:
        condition &= Q(search_tokens__icontains=word)
    return queryset.filter(condition).order_by(*NEWEST)


def _newest_in_window(queryset, matches, newest_first, window: int):
    """The rows of ``queryset`` among the ``window`` newest ``matches`` (all of them when
    ``window`` is 0), as one statement: the subquery walks the matches newest first (the
    full-text index yields them in that order) and stops at the ``window``-th; the outer
    query reaches those rows by primary key, where they are ranked."""
    if not window:
        return matches
    # Compiled on its own, not as a Django subquery: Django would alias the table inside it
    # (U0), while the full-text conditions name the table itself — they would then refer to
    # the outer query's row. Inside the parentheses the table's own name means the inner row.
    newest = matches.order_by(newest_first).values("id")[:window]
    sql, params = newest.query.get_compiler(using=newest.db).as_sql()
    return queryset.filter(id__in=RawSQL(sql, params))


_frequencies: dict[tuple[str, str], tuple[float, int]] = {}


def _document_frequency(connection, word: str) -> int:
    """How many decisions hold ``word`` (up to ``FREQUENCY_CAP``), remembered for an hour: a
    common word's count reads its first 20,000 index entries (a few milliseconds), once."""
    key = (str(connection.settings_dict.get("NAME")), word)
    now = time.monotonic()
    known = _frequencies.get(key)
    if known is not None and now - known[0] < FREQUENCY_SECONDS:
        return known[1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT {FREQUENCY_CAP})",
            [fts5_match([word])])
        count = cursor.fetchone()[0]
    if len(_frequencies) > 10_000:
        _frequencies.clear()
    _frequencies[key] = (now, count)
    return count


def rarest_words(connection, words: list[str], count: int = RANK_WORDS) -> list[str]:
    """The ``count`` rarest of ``words`` by document frequency (all of them when there are no
    more than ``count``), in the query's order."""
    if len(words) <= count:
        return words
    ranked = sorted(range(len(words)), key=lambda i: (_document_frequency(connection, words[i]), i))
    return [words[i] for i in sorted(ranked[:count])]


def selective_terms(connection, words: list[str], terms) -> tuple:
    """The filter term groups worth giving FTS5 with these words: those held by fewer decisions
    than the rarest word, or by fewer than ``SHORT_TERM_ROWS``. A term as common as the words —
    ``zfkpenalty`` (most decisions are penalties), a year, an amount band — made FTS5 walk its
    long list for nothing: 食品安全 within
    one agency took 1.4 ms, with kind, year and amount terms added 42 ms (benchmarks/README.md);
    the caller's ORM filters are exact either way. A selective term — the agency, a rare kind
    with a common word — keeps FTS5 from yielding matches the filters would reject."""
    if not terms:
        return ()
    rarest = min(_document_frequency(connection, word) for word in words)
    kept = []
    for group in terms:
        rows = sum(_document_frequency(connection, term) for term in group)
        if rows < rarest or rows < SHORT_TERM_ROWS:
            kept.append(group)
    return tuple(kept)


def _occurrences_per_char(table, words):
    """SQL (and params) of the relevance on SQLite: occurrences of the query words among
    the tokens, per character of the token text. Only computed for the window's rows.

    A word is counted as `` word `` in the token text with a space added at each end; two
    equal tokens side by side count once (the space between them is shared), which jieba's
    segmentation hardly ever yields. Doubling every space to count those too made the
    ranking of 1,000 rows cost twice as much (benchmarks/README.md). SQLite's ``lower``
    folds ASCII only, so the text keeps its length: ``length(tokens) + 2`` is the padded
    text's, computed once per row instead of once per word."""
    tokens = f'"{table}"."search_tokens"'
    padded = f"(' ' || lower({tokens}) || ' ')"
    counts, params = [], []
    for word in words:
        needle = f" {word} "
        counts.append(f"(length({tokens}) + 2 - length(replace({padded}, %s, ''))) / %s")
        params += [needle, float(len(needle))]
    return f"(({' + '.join(counts)}) / (length({tokens}) + 1.0))", params


def _search_sqlite(queryset, words, terms, table, window):
    # The FTS table drives the join (MATCH is its cheapest access path; FTS5 also yields the
    # matches in rowid order, newest first on request); each match reaches its publication by
    # primary key, where the caller's filters are checked. The filter terms in the MATCH make
    # FTS5 skip most rows those filters would reject.
    # extra() is the only way to join a table without a model; everything is parameterised.
    fts_rowid = f'"{FTS_TABLE}".rowid'
    connection = connections[queryset.db]
    matches = queryset.extra(
        tables=[FTS_TABLE], where=[f'"{FTS_TABLE}" MATCH %s', f'{fts_rowid} = "{table}"."id"'],
        params=[fts5_match(words, selective_terms(connection, words, terms))],
    )
    ranked = _newest_in_window(queryset, matches, RawSQL(fts_rowid, []).desc(), window)
    rank, params = _occurrences_per_char(table, rarest_words(connection, words))
    return ranked.annotate(search_rank=RawSQL(rank, params, output_field=FloatField())).order_by(
        F("search_rank").desc(), *NEWEST)


def _search_postgresql(queryset, words, terms, table, window):
    vector = f'"{table}"."{PG_VECTOR_COLUMN}"'
    # plainto_tsquery parses the words with the same parser as to_tsvector and ANDs them;
    # the words travel as a parameter, never as query syntax. The filter terms (ours, letters
    # and digits only) are ANDed as a to_tsquery.
    words_query = "plainto_tsquery('simple'::regconfig, %s)"
    joined = " ".join(words)
    terms_text = pg_terms_query(terms)
    if terms_text:
        condition, params = f"{vector} @@ ({words_query} && to_tsquery('simple'::regconfig, %s))", [joined, terms_text]
    else:
        condition, params = f"{vector} @@ {words_query}", [joined]
    matches = queryset.filter(RawSQL(condition, params, output_field=BooleanField()))
    ranked = _newest_in_window(queryset, matches, F("id").desc(), window)
    return ranked.annotate(
        search_rank=RawSQL(f"ts_rank({vector}, {words_query})", [joined], output_field=FloatField()),
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
    return fts.ensure_sqlite_index(FTS_TABLE, SQLITE_TRIGGERS, connection)


fts.repair_after_migrate("publicity", FTS_TABLE, SQLITE_TRIGGERS)
