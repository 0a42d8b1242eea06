"""Full-text search of published decisions: words (jieba), not substrings; AND; filters (also
as filter terms of the index, which users can neither type nor hit); only published rows; the
index follows updates and deletes; the database's full-text index is what answers (FTS5 MATCH
on SQLite, ``@@`` on a GIN-indexed tsvector column on PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.core import clock
from zhifa.publicity import choices, search
from zhifa.publicity.filters import public_search
from zhifa.publicity.models import Publication

_numbers = iter(range(1000, 10_000))  # four digits: equal texts stay equally long (and equally relevant)


def publish(agency, facts: str, *, kind=choices.PENALTY, status=choices.PUBLISHED, decided_on=None,
            fine_amount=None, title="行政处罚决定", party_name="某某商贸有限公司") -> Publication:
    """A publication row as the services leave it (public text made, tokens filled)."""
    decided_on = decided_on or clock.today() - datetime.timedelta(days=10)
    number = f"测试罚〔2026〕{next(_numbers)}号"
    publication = Publication(
        kind=kind, agency=agency, decision_number=number, title=title, party_kind="legal", party_name=party_name,
        facts=facts, result="罚款。", fine_amount=fine_amount, decided_on=decided_on,
        due_on=decided_on + datetime.timedelta(days=9), status=status,
        public_party_name=party_name, public_facts=facts, public_result="罚款。",
        published_on=decided_on if status != choices.PENDING else None,
        public_until=clock.today() + datetime.timedelta(days=365) if status != choices.PENDING else None,
    )
    publication.search_tokens = search.tokens_for(publication)
    publication.save()
    return publication


def published():
    return Publication.objects.public().filter(status=choices.PUBLISHED)


def found(text, queryset=None) -> list[int]:
    return list(search.search(published() if queryset is None else queryset, text).values_list("pk", flat=True))


FOOD = "当事人销售不符合食品安全标准的食品"
LICENCE = "当事人未取得营业执照无证经营"


def test_segmentation_finds_words_not_arbitrary_substrings():
    assert "食品安全" in search.segment("销售不符合食品安全标准的食品")
    # The query keeps the longest words: a document with 食品安全 (search mode) has 食品 and 安全 too.
    assert search.query_words("食品安全") == ["食品安全"]
    assert search.query_words("，。！ ") == []
    # 品安 straddles two words (食品|安全): jieba never yields it, so it is not searchable.
    assert "品安" not in search.segment("销售不符合食品安全标准的食品")


def test_fts5_match_quotes_every_word():
    assert search.fts5_match(["食品安全", 'a"b', "OR"]) == '"食品安全" AND "a""b" AND "OR"'


def test_finds_words_and_not_substrings(tree):
    food = publish(tree.market, FOOD)
    publish(tree.market, LICENCE)
    assert found("食品安全") == [food.pk]
    assert found("食品") == [food.pk]
    assert found("安全标准") == [food.pk]  # 安全 AND 标准
    assert found("品安") == []  # not a word boundary in jieba's segmentation: chosen, documented
    assert found("化妆品") == []


def test_every_word_must_occur(tree):
    both = publish(tree.market, FOOD + "，且" + LICENCE)
    food = publish(tree.market, FOOD)
    licence = publish(tree.market, LICENCE)
    assert set(found("食品安全")) == {both.pk, food.pk}
    assert set(found("无证经营")) == {both.pk, licence.pk}
    assert found("食品安全 无证经营") == [both.pk]
    assert found("食品安全 化妆品") == []


def test_empty_or_punctuation_query_is_no_filter(tree):
    first, second = publish(tree.market, FOOD), publish(tree.market, LICENCE)
    assert set(found("")) == set(found("，。！？ ")) == {first.pk, second.pk}


def test_query_syntax_is_not_interpreted(tree):
    food = publish(tree.market, FOOD)
    # Quotes, FTS5 operators and column filters are searched as words, never as syntax.
    assert found('"食品安全') == [food.pk]
    assert found("食品安全 OR 无证") == []
    assert found("search_tokens:食品 NEAR(a b) * ^ ' ) (") == []
    assert found("食品安全' & !") == [food.pk]


def test_filters_combine_with_search(tree):
    old = clock.today() - datetime.timedelta(days=200)
    match = publish(tree.market, FOOD, fine_amount=Decimal("5000"))
    other_agency = publish(tree.other_market, FOOD, fine_amount=Decimal("5000"))
    other_kind = publish(tree.market, FOOD, kind=choices.LICENSE)
    older = publish(tree.market, FOOD, decided_on=old, fine_amount=Decimal("5000"))
    larger = publish(tree.market, FOOD, fine_amount=Decimal("200000"))
    publish(tree.market, LICENCE, fine_amount=Decimal("5000"))
    qs = published()
    assert set(found("食品安全", qs)) == {match.pk, other_agency.pk, other_kind.pk, older.pk, larger.pk}
    assert set(found("食品安全", qs.filter(agency=tree.market))) == {match.pk, other_kind.pk, older.pk, larger.pk}
    assert set(found("食品安全", qs.filter(agency=tree.market, kind=choices.PENALTY))) == {
        match.pk, older.pk, larger.pk}
    recent = qs.filter(agency=tree.market, kind=choices.PENALTY, decided_on__gte=old + datetime.timedelta(days=1))
    assert set(found("食品安全", recent)) == {match.pk, larger.pk}
    assert found("食品安全", recent.filter(fine_amount__gte=1000, fine_amount__lte=10000)) == [match.pk]
    assert found("食品安全", recent.filter(decided_on__lte=old)) == []
    # Filters applied after the search work the same.
    assert list(search.search(qs, "食品安全").filter(fine_amount__gt=100000).values_list("pk", flat=True)) == [
        larger.pk]
    assert search.search(qs.filter(agency=tree.market), "食品安全").count() == 4


def test_only_published_rows_are_returned(tree):
    shown = publish(tree.market, FOOD)
    publish(tree.market, FOOD, status=choices.PENDING)
    publish(tree.market, FOOD, status=choices.WITHDRAWN)
    publish(tree.market, FOOD, status=choices.NOT_PUBLISHED)
    assert found("食品安全") == [shown.pk]


def test_ordered_by_relevance_then_newest(tree):
    # Same length: the one that says 食品安全 three times is more relevant, though older.
    relevant = publish(tree.market, "食品安全 食品安全 食品安全 罚款 经营 检查",
                       decided_on=clock.today() - datetime.timedelta(days=40))
    old = publish(tree.market, "食品安全 罚款 经营 检查 场所 仓库", decided_on=clock.today() - datetime.timedelta(days=30))
    new = publish(tree.market, "食品安全 罚款 经营 检查 场所 仓库", decided_on=clock.today() - datetime.timedelta(days=5))
    assert found("食品安全") == [relevant.pk, new.pk, old.pk]
    # Without a query the caller's order stands.
    assert found("", published().order_by("decided_on")) == [relevant.pk, old.pk, new.pk]


def test_index_follows_update_and_delete(tree):
    publication = publish(tree.market, FOOD)
    assert found("食品安全") == [publication.pk]
    publication.public_facts = LICENCE
    publication.search_tokens = search.tokens_for(publication)
    publication.save()
    assert found("食品安全") == []
    assert found("无证经营") == [publication.pk]
    # A save that leaves the tokens alone keeps the entry.
    Publication.objects.filter(pk=publication.pk).update(title="新的事项名称")
    assert found("无证经营") == [publication.pk]
    publication.delete()
    assert found("无证经营") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # raises if the index and the table disagree
            cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('integrity-check', 1)")


def test_services_fill_the_index(users, tree):
    from zhifa.publicity import services

    publication = services.register_decision(
        actor=users.head_a, agency=tree.market, kind=choices.LICENSE, decision_number="云市监许〔2026〕8号",
        title="食品经营许可", decided_on=clock.today() - datetime.timedelta(days=2), result="准予食品经营许可。",
        party_kind="legal", party_name="云岭县放心粮油店有限公司", facts="申请人申请从事预包装食品销售。",
    )
    assert found("预包装食品") == []  # pending: not public yet
    # As release() leaves it (release itself is tested in test_services).
    Publication.objects.filter(pk=publication.pk).update(status=choices.PUBLISHED, published_on=clock.today())
    assert found("预包装食品") == [publication.pk]
    assert found("粮油 经营许可") == [publication.pk]


def test_a_full_text_index_answers_not_a_like_scan(tree):
    publish(tree.market, FOOD)
    with CaptureQueriesContext(connection) as queries:  # PostgreSQL finds the window as it builds the search
        assert len(list(search.search(published().filter(agency=tree.market), "食品安全 标准"))) == 1
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert " LIKE " not in sql.upper()
    # The plan of the search alone (other filters may rightly be answered by their own indexes).
    if connection.vendor == "sqlite":
        compiled, params = search.search(Publication.objects.all(), "食品安全 标准").query.sql_with_params()
    else:  # the window's lookup; the page then reads its rows by primary key
        compiled, params = search.pg_matches(Publication.objects.all(), ["食品安全", "标准"]).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            assert f'"{search.FTS_TABLE}" MATCH' in sql
            cursor.execute("EXPLAIN QUERY PLAN " + compiled, params)
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            assert f"SCAN {search.FTS_TABLE} VIRTUAL TABLE" in plan, plan
            assert "USING INTEGER PRIMARY KEY" in plan, plan
        else:
            assert "@@ plainto_tsquery('simple'::regconfig" in sql
            # With sequential scans and the primary key's backward walk (the window's other way
            # to the newest matches) priced out, the planner must be able to use the GIN index,
            # i.e. the filter's expression is exactly the indexed one.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("EXPLAIN " + compiled, params)
            plan = " | ".join(row[0] for row in cursor.fetchall())
            assert search.PG_VECTOR_INDEX in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers")
def test_missing_triggers_are_recreated_and_the_index_rebuilt(tree):
    publication = publish(tree.market, FOOD)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {search.FTS_TABLE}_au")
    Publication.objects.filter(pk=publication.pk).update(search_tokens="无证 经营 无证经营")
    assert search.ensure_sqlite_index() is True
    assert found("无证经营") == [publication.pk]
    assert found("食品安全") == []
    assert search.ensure_sqlite_index() is False


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 segments")
def test_the_nightly_analyze_merges_the_index_into_one_segment(tree):
    from zhifa.core.management.commands.analyze_db import analyze

    def segments():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(DISTINCT segid) FROM {search.FTS_TABLE}_idx")
            return cursor.fetchone()[0]

    rows = [publish(tree.market, FOOD if i % 2 else LICENCE) for i in range(3)]  # a segment per write
    assert segments() >= 3
    analyze()
    assert segments() == 1
    assert found("食品安全") == [rows[1].pk]
    assert set(found("无证经营")) == {rows[0].pk, rows[2].pk}
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('integrity-check', 1)")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 (PostgreSQL ranks with ts_rank)")
def test_relevance_counts_the_rarest_words_of_a_long_query(tree, monkeypatch):
    monkeypatch.setattr(search, "_frequencies", {})
    # 罚款 and 经营 are in every decision here, 猪肉 and 冷库 in two: they decide the order.
    common = "罚款 经营 罚款 经营 罚款 经营 罚款 经营"
    many_common = publish(tree.market, f"猪肉 冷库 {common} {common}")
    many_rare = publish(tree.market, "猪肉 冷库 猪肉 冷库 猪肉 冷库 罚款 经营",
                        decided_on=clock.today() - datetime.timedelta(days=40))
    for _ in range(3):
        publish(tree.market, f"蔬菜 {common}")
    words = search.query_words("罚款 经营 猪肉 冷库")
    assert search.rarest_words(connection, words) == ["猪肉", "冷库"]
    assert search.rarest_words(connection, ["罚款", "猪肉"]) == ["罚款", "猪肉"]  # no more than two: all
    assert found("罚款 经营 猪肉 冷库") == [many_rare.pk, many_common.pk]


def test_relevance_is_ranked_within_the_newest_matches(tree):
    # The oldest match is the most relevant, but falls outside a window of the 2 newest.
    oldest = publish(tree.market, "食品安全 食品安全 食品安全 罚款 经营 检查")
    middle = publish(tree.market, "食品安全 罚款 经营 检查 场所 仓库", decided_on=clock.today() - datetime.timedelta(days=30))
    newest = publish(tree.market, "食品安全 罚款 经营 检查 场所 仓库", decided_on=clock.today() - datetime.timedelta(days=20))
    publish(tree.market, LICENCE)  # newer, but no match: does not take a place in the window
    assert found("食品安全") == [oldest.pk, newest.pk, middle.pk]
    ranked = search.search(published(), "食品安全", window=2)
    assert list(ranked.values_list("pk", flat=True)) == [newest.pk, middle.pk]
    # The window is counted within the caller's filters.
    other = publish(tree.other_market, FOOD)
    assert list(search.search(published().filter(agency=tree.market), "食品安全", window=2)
                .values_list("pk", flat=True)) == [newest.pk, middle.pk]
    assert set(search.search(published(), "食品安全", window=2).values_list("pk", flat=True)) == {
        other.pk, newest.pk}


# --- filter terms ---------------------------------------------------------------------------

def test_tokens_end_with_the_filter_terms(tree):
    publication = publish(tree.market, FOOD, fine_amount=Decimal("5000"), decided_on=datetime.date(2025, 3, 4))
    tokens = publication.search_tokens.split()
    assert tokens[-4:] == [f"zfa{tree.market.pk}", "zfkpenalty", "zfy2025", "zfm4"]
    assert search.index_terms(agency_id=3, kind="license", decided_on=datetime.date(2026, 1, 1),
                              fine_amount=None) == ["zfa3", "zfklicense", "zfy2026"]
    assert search.filter_terms(agency=tree.market, kind="penalty", since=datetime.date(2024, 5, 1),
                               until=datetime.date(2025, 4, 1), min_amount=Decimal("1000"),
                               max_amount=Decimal("10000")) == (
        (f"zfa{tree.market.pk}",), ("zfkpenalty",), ("zfy2024", "zfy2025"), ("zfm4", "zfm5"))
    # Long ranges and open amount ranges hardly narrow: left to the ORM filters.
    assert search.filter_terms(since=datetime.date(2015, 1, 1), until=datetime.date(2025, 1, 1)) == ()
    assert search.filter_terms(min_amount=Decimal("1000")) == ()
    assert search.fts5_match(["食品"], (("zfa1",), ("zfy2024", "zfy2025"), ('x" OR "y',))) == (
        '"食品" AND "zfa1" AND ("zfy2024" OR "zfy2025")')


def test_filter_terms_narrow_the_index_lookup(tree):
    mine = publish(tree.market, FOOD, decided_on=datetime.date(2025, 6, 1))
    other = publish(tree.other_market, FOOD, decided_on=datetime.date(2025, 6, 1))
    licence = publish(tree.market, FOOD, kind=choices.LICENSE, decided_on=datetime.date(2024, 6, 1))
    # Terms alone (no ORM filter) already select: the index itself narrows.
    assert set(found_with("食品安全", (f"zfa{tree.market.pk}",))) == {mine.pk, licence.pk}
    assert found_with("食品安全", (f"zfa{tree.other_market.pk}",)) == [other.pk]
    assert found_with("食品安全", (f"zfa{tree.market.pk}",), ("zfkpenalty",)) == [mine.pk]
    assert set(found_with("食品安全", ("zfy2024", "zfy2025"))) == {mine.pk, other.pk, licence.pk}
    assert found_with("食品安全", ("zfy2024",)) == [licence.pk]
    assert found_with("食品安全", ("zfy2023",)) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 MATCH composition")
def test_a_filter_term_as_common_as_the_words_is_left_to_the_orm_filter(tree, monkeypatch):
    monkeypatch.setattr(search, "_frequencies", {})
    monkeypatch.setattr(search, "SHORT_TERM_ROWS", 0)  # as on a large table: only the counts decide
    for _ in range(3):
        publish(tree.market, FOOD)
    publish(tree.other_market, "食品安全 抽检", kind=choices.LICENSE)
    market, penalty = (f"zfa{tree.market.pk}",), ("zfkpenalty",)
    # 食品安全 is in 4 decisions, the market's term in 3, the penalty term in 3: both narrow.
    assert search.selective_terms(connection, ["食品安全"], (market, penalty)) == (market, penalty)
    # With a word rarer than the terms, the terms are left out of the MATCH; the ORM filters stay exact.
    rare = publish(tree.market, "食品安全 冷库")
    monkeypatch.setattr(search, "_frequencies", {})
    assert search.selective_terms(connection, ["食品安全", "冷库"], (market, penalty)) == ()
    with CaptureQueriesContext(connection) as queries:
        listed = list(public_search(published(), {"q": "冷库", "agency": tree.market, "kind": choices.PENALTY})
                      .values_list("pk", flat=True))
    assert listed == [rare.pk]
    assert not any("zfa" in str(q["sql"]) and "MATCH" in q["sql"] and "冷库" in q["sql"]
                   for q in queries.captured_queries)


def found_with(text, *groups) -> list[int]:
    return list(search.search(published(), text, terms=groups).values_list("pk", flat=True))


def test_users_can_neither_type_nor_hit_filter_terms(tree):
    food = publish(tree.market, FOOD)
    # A query of filter terms has no word: no search (the caller's list stands)...
    assert search.query_words(f"zfa{tree.market.pk} ZFKPENALTY zfy2026 zfm4") == []
    # Full-width or accented look-alikes (which the indexes may fold to ASCII) never survive whole.
    for word in search.query_words("Ｚｆａ1 zfá1 ZFA1abc"):
        assert not search.fts5_match([word]).lower().startswith(('"zfa', '"zfk', '"zfy', '"zfm')), word
        assert not search._folded(word).startswith(("zfa", "zfk", "zfy", "zfm")), word
    # ...and beside a word they are ignored, never matched against the filter terms.
    assert found(f"食品安全 zfa{tree.market.pk}") == [food.pk]
    assert found(f"食品安全 zfa{tree.other_market.pk}") == [food.pk]
    assert found(f"食品安全 x.zfa{tree.other_market.pk}") == []  # x: a word no decision has
    # A decision whose text contains such a word does not get a second (false) filter term.
    tricky = publish(tree.other_market, f"{LICENCE}，备注zfa{tree.market.pk}及ZFY1999、x_zfk{choices.LICENSE}")
    assert f"zfa{tree.market.pk}" not in tricky.search_tokens.split()[:-4]
    assert found_with("无证经营", (f"zfa{tree.market.pk}",)) == []
    assert found_with("无证经营", ("zfy1999",)) == []
    assert found_with("无证经营", (f"zfk{choices.LICENSE}",)) == []
    assert found_with("无证经营", (f"zfa{tree.other_market.pk}",)) == [tricky.pk]


def test_public_search_is_exactly_the_orm_filters(tree):
    today = clock.today()
    rows = []
    for i, (agency, kind, days, amount) in enumerate([
        (tree.market, choices.PENALTY, 10, "5000"), (tree.market, choices.PENALTY, 400, "5000"),
        (tree.market, choices.PENALTY, 800, "5000"), (tree.market, choices.LICENSE, 10, None),
        (tree.other_market, choices.PENALTY, 10, "5000"), (tree.market, choices.PENALTY, 20, "50000"),
        (tree.market, choices.PENALTY, 30, "999.99"), (tree.market, choices.PENALTY, 40, "10000"),
        (tree.market, choices.PENALTY, 50, None),
    ]):
        rows.append(publish(agency, FOOD if i != 8 else FOOD + "，警告", kind=kind,
                            decided_on=today - datetime.timedelta(days=days),
                            fine_amount=None if amount is None else Decimal(amount)))
    publish(tree.market, LICENCE, fine_amount=Decimal("5000"))
    cases = [
        {"agency": tree.market}, {"agency": tree.market.pk, "kind": choices.PENALTY},
        {"kind": choices.PENALTY, "since": today - datetime.timedelta(days=500), "until": today},
        {"agency": tree.market, "kind": choices.PENALTY, "since": today - datetime.timedelta(days=500)},
        {"since": today - datetime.timedelta(days=900)}, {"until": today - datetime.timedelta(days=100)},
        {"min_amount": Decimal("1000"), "max_amount": Decimal("10000")}, {"max_amount": Decimal("5000")},
        {"min_amount": Decimal("10000")},
        {"agency": tree.market, "kind": choices.PENALTY, "since": today - datetime.timedelta(days=35),
         "until": today, "min_amount": Decimal("1000"), "max_amount": Decimal("10000")},
    ]
    for data in cases:
        exact = published()
        orm = {"agency": "agency", "kind": "kind", "since": "decided_on__gte", "until": "decided_on__lte",
               "min_amount": "fine_amount__gte", "max_amount": "fine_amount__lte"}
        exact = exact.filter(**{orm[key]: value for key, value in data.items()})
        expected = set(search.search(exact, "食品安全").values_list("pk", flat=True))
        got = list(public_search(Publication.objects.public(), {**data, "q": "食品安全"}).values_list("pk", flat=True))
        assert len(got) == len(set(got)) and set(got) == expected, data
        assert expected, data
        # Without a query: the ORM list, newest first.
        listed = list(public_search(Publication.objects.public(), data).values_list("pk", flat=True))
        assert listed == list(exact.order_by("-published_on", "-id").values_list("pk", flat=True)), data


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan")
def test_postgresql_searches_the_stored_vector_with_its_gin_index(tree):
    publication = publish(tree.market, FOOD)
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM publicity_publication WHERE id = %s", [publication.pk])
        vector = cursor.fetchone()[0]
        assert "'食品安全'" in vector and f"'zfa{tree.market.pk}'" in vector
        Publication.objects.filter(pk=publication.pk).update(search_tokens="无证 经营")  # the trigger follows
        cursor.execute("SELECT search_vector::text FROM publicity_publication WHERE id = %s", [publication.pk])
        pk = publication.pk  # and its slices of ids, at three sizes
        assert cursor.fetchone()[0] == f"'zfb{pk >> 14}':3 'zfc{pk >> 17}':4 'zfd{pk >> 20}':5 '无证':1 '经营':2"
        qs = search.pg_matches(Publication.objects.all(), ["无证", "经营"], ((f"zfa{tree.market.pk}",),), slices=["zfb0", "zfb1"])
        compiled, params = qs.query.sql_with_params()
        assert params[-1] == f"zfa{tree.market.pk} & (zfb0 | zfb1)"
        assert f'"{search.PG_VECTOR_COLUMN}" @@' in compiled and "to_tsvector" not in compiled
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # nor the window's walk of the primary key
        cursor.execute("EXPLAIN " + compiled, params)
        plan = " | ".join(row[0] for row in cursor.fetchall())
    assert search.PG_VECTOR_INDEX in plan, plan


# --- PostgreSQL: the newest slices of ids first -------------------------------------------------

def publish_as(pk, agency, facts):
    """A publication with this id (its smallest slice of ids is ``pk >> 14``)."""
    publication = publish(agency, facts)
    Publication.objects.filter(pk=publication.pk).update(id=pk)  # the trigger keeps the old id's slice...
    Publication.objects.filter(pk=pk).update(search_tokens=publication.search_tokens + " ")  # ...until it runs again
    return Publication.objects.get(pk=pk)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL slices of ids")
def test_the_newest_matches_come_from_the_newest_slices_first(tree):
    size = 1 << search.SLICE_LEVELS[0][0]
    old = [publish(tree.market, FOOD) for _ in range(3)]  # slice 0
    middle = [publish_as(4 * size + n, tree.market, FOOD) for n in (1, 2)]  # slice 4
    newer = [publish_as(10 * size + n, tree.market, FOOD) for n in (5, 6)]  # slice 10
    publish_as(10 * size + 7, tree.market, LICENCE)  # the newest row does not match
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM publicity_publication WHERE id = %s", [newer[0].pk])
        assert "'zfb10'" in cursor.fetchone()[0]
    every = sorted(search.search(published(), "食品安全", window=0).values_list("pk", flat=True), reverse=True)
    assert len(every) == 7

    def probes(window, queryset=None):
        with CaptureQueriesContext(connection) as queries:
            ids = set(search.search(queryset or published(), "食品安全", window=window).values_list("pk", flat=True))
        return ids, [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]

    # The first probe (slices 8–10: at least FIRST_PROBE_ROWS ids) holds the two newest: the
    # rest of the index is not read.
    ids, lookups = probes(2)
    assert ids == {p.pk for p in newer} and len(lookups) == 1
    # Three wanted, two found there: slices 5–7 next (sized by the density seen), none there;
    # the next would reach slice 0, so the rest of the index (below slice 5) at once.
    ids, lookups = probes(3)
    assert ids == set(every[:3]) and middle[1].pk in ids and len(lookups) == 3
    for window in (4, 5, 6, 7, 8):
        assert probes(window)[0] == set(every[:window]), window
    # The window is exact whatever the probes: the newest matches of the filtered rows.
    assert probes(2, published().exclude(pk=newer[1].pk))[0] == {newer[0].pk, middle[1].pk}
    assert old[0].pk not in every[:6]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL statistics")
def test_common_words_are_checked_on_the_rows_not_looked_up(tree, monkeypatch):
    food = publish(tree.market, FOOD + "，经营")
    licence = publish(tree.market, LICENCE)  # 经营 without 食品安全
    monkeypatch.setattr(search, "pg_word_frequencies", lambda connection, table: {"经营": 0.93, "zfkpenalty": 0.7})
    indexed, checked, kept = search.pg_plan_words({"经营": 0.93, "zfkpenalty": 0.7}, ["食品安全", "经营"],
                                                  (("zfkpenalty",), (f"zfa{tree.market.pk}",)))
    assert (indexed, checked, kept) == (["食品安全"], ["经营"], ((f"zfa{tree.market.pk}",),))
    assert search.pg_plan_words({"经营": 0.93, "罚款": 0.7}, ["经营", "罚款"], ()) == (["罚款"], ["经营"], ())
    with CaptureQueriesContext(connection) as queries:
        assert found("食品安全 经营") == [food.pk]
        assert found("无证 经营") == [licence.pk]
    lookup = next(q["sql"] for q in queries.captured_queries if "@@" in q["sql"])
    assert "ts_match_vq" in lookup
    # The real statistics: ANALYZE lists a word in every row among the most common.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publicity_publication")
    search._pg_frequencies.clear()
    monkeypatch.undo()
    assert search.pg_word_frequencies(connection, "publicity_publication").get("罚款", 0) > 0.5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL statistics")
def test_words_common_together_are_found_by_reading_the_newest_rows(tree, monkeypatch):
    old = [publish(tree.market, FOOD) for _ in range(3)]  # every decision here says 罚款
    newest = [publish_as((3 << 14) + n, tree.market, LICENCE) for n in (5, 6, 7)]
    monkeypatch.setattr(search, "pg_word_frequencies", lambda connection, table: {"罚款": 0.95})

    def lookups(queryset, window):
        with CaptureQueriesContext(connection) as queries:
            ids = set(search.search(queryset, "罚款", window=window).values_list("pk", flat=True))
        return ids, [q["sql"] for q in queries.captured_queries if "ts_match_vq" in q["sql"] or "@@" in q["sql"]]

    # The newest rows read in turn: no index lookup at all.
    ids, sql = lookups(published(), 2)
    assert ids == {newest[2].pk, newest[1].pk}
    assert len(sql) == 1 and "@@" not in sql[0] and "ts_match_vq" in sql[0]
    # None among the newest rows read (the filter rejects them): the index answers, exactly.
    ids, sql = lookups(published().filter(pk__lt=3 << 14), 2)
    assert ids == {old[2].pk, old[1].pk}
    assert any("@@" in s for s in sql)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5")
def test_common_han_words_are_checked_on_the_rows_fts5_yields(tree, monkeypatch):
    licence = publish(tree.market, LICENCE)  # 无证 经营
    publish(tree.market, "当事人无证从事经营者活动")  # 经营者, and 经营 only if jieba says so
    publish(tree.market, "当事人无证，经营食品")
    publish(tree.market, FOOD)  # neither
    publish(tree.market, "当事人无证ABC经营")
    exact = {text: set(search.search(published(), text, window=0).values_list("pk", flat=True))
             for text in ("无证 经营", "经营 无证 食品", "经营 食品")}
    assert licence.pk in exact["无证 经营"]
    shares = {"经营": 0.93, "食品": 0.3, "无证": 0.15}
    monkeypatch.setattr(search, "_recent_share", lambda connection, word: shares.get(word, 0.0))
    assert search.sqlite_plan_words(connection, ["无证", "经营"]) == (["无证"], ["经营"])
    assert search.sqlite_plan_words(connection, ["经营", "食品"]) == (["食品"], ["经营"])  # all common: the rarest stays
    assert search.sqlite_plan_words(connection, ["经营"]) == (["经营"], [])
    shares["abc"] = 0.9  # not Han: never checked by substring (FTS5 folds case, splits on punctuation)
    assert search.sqlite_plan_words(connection, ["无证", "abc"]) == (["无证", "abc"], [])
    for text, expected in exact.items():
        with CaptureQueriesContext(connection) as queries:
            got = set(search.search(published(), text, window=0).values_list("pk", flat=True))
        assert got == expected, text
        assert "instr(" in queries.captured_queries[-1]["sql"], text


def test_a_probe_takes_few_slices_of_the_smallest_size_that_covers_it():
    size = 1 << 14
    assert search._probe_slices(10 * size + 8, 2 * size) == (["zfb8", "zfb9", "zfb10"], 8 * size)
    assert search._probe_slices(1_000_001, 300_000) == (["zfc5", "zfc6", "zfc7"], 5 << 17)
    assert search._probe_slices(20_000_000, 6_000_000) == ([f"zfd{n}" for n in range(13, 20)], 13 << 20)
    assert search._probe_slices(40 * size, 39 * size) is None  # it would reach id 0: the rest at once
    assert search._probe_slices(200_000_000, 150_000_000) is None  # too many slices even of the largest
