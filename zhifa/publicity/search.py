"""Full-text search of published decisions (PUB-3 search).

Chinese text is segmented with jieba (``tokens_for``) when a publication's public text is
made; the space-separated tokens are what the database indexes, followed by a few **filter
terms** (``index_terms``): ``zfa<agency id>``, ``zfk<kind>``, ``zfy<year decided>`` and
``zfm<digits of the fine>`` (a decade band: ``zfm4`` is 1,000–9,999 yuan). They let the
full-text index itself narrow a search by agency, kind, year and amount, so that a selective
filter does not make the database read hundreds of times more matches than it lists. Words
of the reserved form (``zf`` + a/b/c/d/k/y/m + …) are removed from the indexed text and from every
query, so a user can neither type nor accidentally hit a filter term.

- **SQLite**: the FTS5 external-content table ``publicity_publication_fts`` over
  ``publicity_publication(search_tokens)``, kept in sync by triggers (migration 0002). The
  default unicode61 tokenizer splits on the spaces, so one FTS term is one jieba word;
- **PostgreSQL**: the column ``search_vector`` (``to_tsvector('simple', search_tokens)`` and
  the terms of the row's slices of ids ``zfb…``, ``zfc…``, ``zfd…``; kept by a trigger, not a
  model field) with a GIN index (migrations 0003, 0006).

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
import math
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
PG_WORDS_QUERY = "plainto_tsquery('simple'::regconfig, %s)"
# On PostgreSQL a row's vector also holds the terms of the slices of ids it belongs to, at
# three sizes (trigger, migration 0006): ``zfb<id >> 14>`` (16,384 ids), ``zfc<id >> 17>``
# (131,072) and ``zfd<id >> 20>`` (1,048,576). The newest matches are looked for in the newest
# slices first (``_newest_pg_matches``).
SLICE_LEVELS = ((14, "zfb"), (17, "zfc"), (20, "zfd"))
FIRST_PROBE_ROWS = 32_768
# A probe ORs its slices' terms, and GIN evaluates such a query per candidate row: a long OR
# costs more than it saves (58 slices: 543 ms for 7,677 candidates). A probe takes at most
# this many slices, of the smallest size that covers the ids it wants.
MAX_PROBE_SLICES = 8
MAX_PROBES = 3
# A word (or filter term) in this share of the rows or more is checked on the rows the index
# yields rather than looked up in it (``pg_plan_words``, ``sqlite_plan_words``); on SQLite the
# share is counted among the newest ``SHARE_SAMPLE_ROWS`` decisions.
COMMON_SHARE = 0.2
SHARE_SAMPLE_ROWS = 20_000
# Words (and filter terms) whose shares multiply to this or more are looked for by reading the
# newest rows in turn (``_walk_newest``).
WALK_DENSITY = 0.1
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

# Filter terms: "zf" + a (agency) / k (kind) / y (year) / m (amount band) + an ASCII value;
# on PostgreSQL also b, c, d (the id's slices).
# unicode61 (FTS5) and PostgreSQL's parser keep such a word whole.
_RESERVED = re.compile(r"zf[abcdkmy]")
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
        quoted = ['"' + term + '"' for term in group if re.fullmatch(r"zf[abcdkmy][a-z0-9]+", term)]
        if quoted:
            parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    return " AND ".join(parts)


def pg_terms_query(terms) -> str:
    """The filter term groups as a ``to_tsquery`` text (terms are ours: letters and digits)."""
    parts = []
    for group in terms:
        safe = [term for term in group if re.fullmatch(r"zf[abcdkmy][a-z0-9]+", term)]
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
    older ones are not listed (``window=0``: rank all). On SQLite the window is a subquery of
    the one statement the page runs: newest matches first, stopping at the ``window``-th; on
    PostgreSQL it is found first, newest slices of ids first (``_newest_pg_matches``), and the
    page reads its rows by primary key.

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


def _remembered(cache: dict, key, compute):
    """``compute()``, remembered in ``cache`` under ``key`` for ``FREQUENCY_SECONDS`` (per
    process; the cache is emptied past 10,000 entries)."""
    now = time.monotonic()
    known = cache.get(key)
    if known is not None and now - known[0] < FREQUENCY_SECONDS:
        return known[1]
    value = compute()
    if len(cache) > 10_000:
        cache.clear()
    cache[key] = (now, value)
    return value


def _document_frequency(connection, word: str) -> int:
    """How many decisions hold ``word`` (up to ``FREQUENCY_CAP``), remembered for an hour: a
    common word's count reads its first 20,000 index entries (a few milliseconds), once."""

    def count():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT {FREQUENCY_CAP})",
                [fts5_match([word])])
            return cursor.fetchone()[0]

    return _remembered(_frequencies, (str(connection.settings_dict.get("NAME")), word), count)


def rarest_words(connection, words: list[str], count: int = RANK_WORDS) -> list[str]:
    """The ``count`` rarest of ``words`` by document frequency (all of them when there are no
    more than ``count``), in the query's order."""
    if len(words) <= count:
        return words
    ranked = sorted(range(len(words)), key=lambda i: (_document_frequency(connection, words[i]), i))
    return [words[i] for i in sorted(ranked[:count])]


_shares: dict[tuple[str, str], tuple[float, float]] = {}
_HAN_WORD = re.compile(r"[\u4e00-\u9fd5]+")  # jieba's Han characters: such a token is never glued to others


def _recent_share(connection, word: str) -> float:
    """The share of the newest ``SHARE_SAMPLE_ROWS`` decisions holding ``word`` (FTS5 reads
    only that range of the word's list: well under 2 ms for 经营, in 93 % of them), remembered
    per process for ``FREQUENCY_SECONDS``."""

    def share():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(rowid) FROM {FTS_TABLE}")
            newest = cursor.fetchone()[0] or 0
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid > %s",
                           [fts5_match([word]), newest - SHARE_SAMPLE_ROWS])
            return cursor.fetchone()[0] / max(1, min(newest, SHARE_SAMPLE_ROWS))

    return _remembered(_shares, (str(connection.settings_dict.get("NAME")), word), share)


def sqlite_plan_words(connection, words: list[str]) -> tuple[list[str], list[str]]:
    """(words given to FTS5, words checked on each row it yields).

    FTS5 answers an AND by walking every word's list: 未取得 食品经营许可 猪肉 is six words,
    four of them in a fifth or more of the decisions (未, 食品, 经营, 许可), and the newest 500
    of its matches took 32 ms at a million decisions, the two rarer words alone 8 ms. So a word
    in ``COMMON_SHARE`` of the newest decisions or more is checked on the rows FTS5 yields:
    `` word `` in the token text, which is exactly FTS5's match for a word of Han characters
    (jieba never glues one to other characters, and the tokens are separated by one space).
    Other words, and every word when all are that common, stay in the MATCH."""
    if len(words) < 2:
        return words, []
    shares = {word: _recent_share(connection, word) for word in words}
    checked = [w for w in words if shares[w] >= COMMON_SHARE and _HAN_WORD.fullmatch(w)]
    indexed = [w for w in words if w not in checked]
    if not indexed:
        rarest = min(words, key=lambda w: shares[w])
        indexed, checked = [rarest], [w for w in words if w != rarest]
    return indexed, checked


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
    indexed, checked = sqlite_plan_words(connection, words)
    where = [f'"{FTS_TABLE}" MATCH %s', f'{fts_rowid} = "{table}"."id"']
    params = [fts5_match(indexed, selective_terms(connection, indexed, terms))]
    for word in checked:
        where.append(f"""instr(' ' || "{table}"."search_tokens" || ' ', %s) > 0""")
        params.append(f" {word} ")
    matches = queryset.extra(tables=[FTS_TABLE], where=where, params=params)
    ranked = _newest_in_window(queryset, matches, RawSQL(fts_rowid, []).desc(), window)
    rank, params = _occurrences_per_char(table, rarest_words(connection, words))
    return ranked.annotate(search_rank=RawSQL(rank, params, output_field=FloatField())).order_by(
        F("search_rank").desc(), *NEWEST)


def pg_matches(queryset, words, terms=(), slices=(), checked=()):
    """The rows of ``queryset`` whose stored vector holds every word and every filter term
    group, and (with ``slices``, terms such as ``zfb61``) whose id lies in one of those slices
    (``SLICE_LEVELS``, terms of the vector too): one condition the GIN index answers whole.
    ``checked`` words must occur too, but are checked on each row the index yields."""
    vector = f'"{queryset.model._meta.db_table}"."{PG_VECTOR_COLUMN}"'
    # plainto_tsquery parses the words with the same parser as to_tsvector and ANDs them;
    # the words travel as a parameter, never as query syntax. The filter terms (ours, letters
    # and digits only) are ANDed as a to_tsquery.
    groups = tuple(terms) + ((tuple(slices),) if slices else ())
    terms_text = pg_terms_query(groups)
    if terms_text:
        condition = f"{vector} @@ ({PG_WORDS_QUERY} && to_tsquery('simple'::regconfig, %s))"
        params = [" ".join(words), terms_text]
    else:
        condition, params = f"{vector} @@ {PG_WORDS_QUERY}", [" ".join(words)]
    if checked:
        # ts_match_vq is what @@ calls, but a function call is no index condition: a filter.
        condition += f" AND ts_match_vq({vector}, {PG_WORDS_QUERY})"
        params.append(" ".join(checked))
    return queryset.filter(RawSQL(condition, params, output_field=BooleanField()))


_pg_frequencies: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}


def pg_word_frequencies(connection, table: str) -> dict[str, float]:
    """The share of rows holding each of the vector's most common lexemes (words and filter
    terms), from the planner's statistics (``pg_stats.most_common_elems``, kept by ANALYZE),
    remembered per process for ``FREQUENCY_SECONDS``. A word not listed is rarer than any
    listed one."""

    def frequencies():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE schemaname = current_schema() AND tablename = %s AND attname = %s", [table, PG_VECTOR_COLUMN])
            row = cursor.fetchone()
        return dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}

    return _remembered(_pg_frequencies, (str(connection.settings_dict.get("NAME")), table), frequencies)


def pg_plan_words(frequencies: dict, words: list[str], terms) -> tuple[list[str], list[str], tuple]:
    """(words looked up in the GIN index, words checked on each row it yields, filter term
    groups looked up in it).

    A GIN lookup reads the whole list of each word: 经营 is in 93 % of decisions, 食品 in 30 %;
    with 取得 and 猪肉 beside them the lookup took 29 ms, without them 12 ms, and checking
    the two on the 946 rows the index yielded costs a few milliseconds more. So a word in
    ``COMMON_SHARE`` or more of the rows is checked on the rows, unless every word is that
    common (the rarest is then looked up). A filter term group as common is left out: the
    caller's ORM filters are the exact condition anyway."""
    indexed = [word for word in words if frequencies.get(word, 0) < COMMON_SHARE]
    if not indexed:
        indexed = [min(words, key=lambda word: frequencies.get(word, 0))]
    checked = [word for word in words if word not in indexed]
    kept = tuple(group for group in terms if sum(frequencies.get(term, 0) for term in group) < COMMON_SHARE)
    return indexed, checked, kept


def _newest_pg_matches(queryset, words, terms, window: int) -> list[int]:
    """The ids of the ``window`` newest matches (``pg_matches``) of ``queryset``, newest first.

    A GIN index yields its matches in no order: the newest ``window`` of a word held by 3 % of
    a million decisions cost one heap row per match (37,952 rows, 100–240 ms), or, walking the
    primary key backwards, one vector per row walked. So the newest slices of ids are probed
    first, the slice terms inside the index condition: a probe reads only the matches in its
    slices. The matches a probe finds are the newest (every match below the ids probed so far is
    older); when the window is not full yet, the next probe takes enough older ids to hold twice
    the rest at the density seen so far, in slices of a size that keeps the OR short
    (``_probe_slices``); after ``MAX_PROBES``, or when the first probe found nothing, or a probe
    would reach the oldest ids, the rest of the index answers.

    Words (and filter terms) common enough together (``WALK_DENSITY``, by the planner's
    statistics) are first looked for by reading the newest rows one by one
    (``_walk_newest``), which stops at the window's last match."""
    frequencies = pg_word_frequencies(connections[queryset.db], queryset.model._meta.db_table)
    indexed, checked, kept = pg_plan_words(frequencies, words, terms)

    def newest(limit, slices=(), below=None):
        matches = pg_matches(queryset, indexed, kept, slices=slices, checked=checked)
        if below is not None:
            matches = matches.filter(id__lt=below)
        return list(matches.order_by("-id").values_list("id", flat=True)[:limit])

    newest_id = (queryset.model._base_manager.using(queryset.db).order_by("-id")
                 .values_list("id", flat=True).first())
    if newest_id is None:
        return []
    density = math.prod(frequencies.get(word, 0) for word in words) * math.prod(
        sum(frequencies.get(term, 0) for term in group) for group in terms)
    if density >= WALK_DENSITY:
        ids = _walk_newest(queryset, words, window, newest_id, density)
        if ids is not None:
            return ids
    ids: list[int] = []
    upper = newest_id + 1  # the ids below it are not probed yet
    wanted = FIRST_PROBE_ROWS
    for _ in range(MAX_PROBES):
        probe = _probe_slices(upper, wanted)
        if probe is None:  # down to the oldest ids, or too many slices: the rest at once, below
            break
        slices, lower = probe
        ids += newest(window - len(ids), slices=slices, below=upper)
        if len(ids) == window:
            return ids
        if not ids:
            break
        seen = len(ids) / (newest_id + 1 - lower)
        upper, wanted = lower, 2 * (window - len(ids)) / seen
    return ids + newest(window - len(ids), below=upper)


def _probe_slices(upper: int, wanted: float):
    """(slice terms, lowest id) of a probe of at least ``wanted`` ids below ``upper``: the
    fewest slices of one size (the smallest that needs no more than ``MAX_PROBE_SLICES``); None
    when the probe would reach id 0 or need more slices than that even of the largest size."""
    for bits, prefix in SLICE_LEVELS:
        high = (upper - 1) >> bits
        low = max(0, math.floor(upper - wanted)) >> bits
        if high - low < MAX_PROBE_SLICES:
            if low == 0:
                return None
            return [f"{prefix}{number}" for number in range(low, high + 1)], low << bits
    return None


def _walk_newest(queryset, words, window: int, newest_id: int, density: float) -> list[int] | None:
    """The ids of the ``window`` newest matches found by reading the rows newest first (the
    primary key backwards, each row's vector checked: it is stored in the row, migration
    0006), in ranges of ids sized by the density expected, then by the density seen; None
    when the matches turn out too sparse for that (the slices then answer)."""
    vector = f'"{queryset.model._meta.db_table}"."{PG_VECTOR_COLUMN}"'
    matches = queryset.filter(RawSQL(f"ts_match_vq({vector}, {PG_WORDS_QUERY})", [" ".join(words)],
                                     output_field=BooleanField()))
    ids: list[int] = []
    upper = newest_id + 1  # the ids below it, down to ``lower``, are read next
    rows = math.ceil(4 * window / density)
    for _ in range(MAX_PROBES):
        lower = max(upper - rows, 0)
        found = matches.filter(id__gte=lower, id__lt=upper).order_by("-id").values_list("id", flat=True)
        ids += found[:window - len(ids)]
        if len(ids) == window or lower == 0:
            return ids
        seen = len(ids) / (newest_id + 1 - lower)
        if seen < WALK_DENSITY / 4:
            return None
        upper, rows = lower, math.ceil(2 * (window - len(ids)) / seen)
    return None


def _search_postgresql(queryset, words, terms, table, window):
    if window:
        # One array parameter, not 500 (Django's id__in): 4 ms less per page at 500 ids.
        ids = _newest_pg_matches(queryset, words, terms, window)
        ranked = queryset.filter(RawSQL(f'"{table}"."id" = ANY(%s)', [ids], output_field=BooleanField()))
    else:
        ranked = pg_matches(queryset, words, terms)
    return ranked.annotate(
        search_rank=RawSQL(f'ts_rank("{table}"."{PG_VECTOR_COLUMN}", {PG_WORDS_QUERY})', [" ".join(words)],
                           output_field=FloatField()),
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
