"""Lists stay flat as data grows (issue #14): cases, officers, parties and items.

- Every list (HTML and API), for an officer of one agency, a county supervisor and a city
  supervisor, with and without ``?q=``, runs the same number of SQL statements at two data
  sizes (and at most 15).
- Counts are capped: beyond ``COUNT_CAP`` the API says ``count_capped`` and the page says
  "1,000+"; ``next`` still leads through every row.
- On PostgreSQL, each list's page query is planned on its index (``EXPLAIN`` with sequential
  scans and sorts priced out, so a dropped or mismatched index fails the test, whatever the
  table's size).
"""

import datetime
import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from zhifa.accounts import roles
from zhifa.cases.models import Case, search_text_for
from zhifa.core.pagination import CappedPaginator
from zhifa.core.testing import fields, make_user

pytestmark = pytest.mark.django_db

LISTS = [
    ("/cases/", Case), ("/api/cases/cases/", Case),
    ("/people/officers/", "people.Officer"), ("/api/people/officers/", "people.Officer"),
    ("/parties/", "parties.Party"), ("/api/parties/parties/", "parties.Party"),
    ("/catalog/items/", "catalog.Item"), ("/api/catalog/items/", "catalog.Item"),
]
WHO = ("officer", "county", "city")
# a search matching rows of every scope in each list (synthetic numbers, posts, names)
SEARCH = {Case: "合成", "people.Officer": "执法队员", "parties.Party": "第", "catalog.Item": "（"}
MAX_QUERIES = 15


@pytest.fixture
def world(tree, users):
    w = SimpleNamespace(tree=tree, fields=fields())
    w.agencies = [tree.market, tree.comprehensive, tree.township_office, tree.other_market]
    w.users = {
        "officer": users.officer_a,
        "county": users.supervisor_a,
        "city": make_user("supervisor_city", roles.SUPERVISOR, region=tree.city),
    }
    w.ctx = SimpleNamespace(rng=random.Random(7), today=datetime.date(2026, 11, 2), fields=w.fields,
                            agencies=w.agencies)
    w.cases = 0
    return w


def grow(world, per_agency: int) -> None:
    """``per_agency`` more officers, items, parties and cases in each of the four agencies."""
    from zhifa.catalog import synthetic as catalog_synthetic
    from zhifa.catalog.models import Item
    from zhifa.parties import synthetic as parties_synthetic
    from zhifa.parties.models import Party
    from zhifa.people import synthetic as people_synthetic

    count = per_agency * len(world.agencies)
    people_synthetic.generate(world.ctx, count)
    catalog_synthetic.generate(world.ctx, count)
    parties_synthetic.generate(world.ctx, count)
    parties = list(Party.objects.order_by("pk")[:count])
    items = {}
    for item in Item.objects.order_by("pk"):
        items.setdefault(item.agency_id, item)
    rows = []
    for i in range(count):
        agency = world.agencies[i % len(world.agencies)]
        party = parties[i % len(parties)]
        world.cases += 1
        number = f"合成罚〔2026〕{world.cases}号"
        cause = f"合成案由{world.cases % 7}"
        rows.append(Case(
            number=number, stage="filed", agency=agency, item=items.get(agency.pk) or next(iter(items.values())),
            party=party, cause=cause, occurred_on=datetime.date(2026, 1, 1), place="合成路",
            registered_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=world.cases % 300),
            search_text=search_text_for(number, cause, party.name),
        ))
    Case.objects.bulk_create(rows)


def list_queries(client, world) -> dict:
    """The SQL statements of every list request, by (url, user, q); each page must not be empty."""
    counts = {}
    for who in WHO:
        client.force_login(world.users[who])
        for url, model in LISTS:
            for q in ("", SEARCH[model]):
                full = f"{url}?q={q}" if q else url
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(full)
                assert response.status_code == 200, (full, who, response.status_code)
                if "/api/" in url:
                    assert response.json()["results"], (full, who)
                else:
                    assert response.context["rows"], (full, who)
                counts[(url, who, q)] = len(captured)
    return counts


def test_every_list_runs_the_same_queries_at_two_sizes(client, world):
    """Cases, officers, parties, items — HTML and API, officer / county / city, with and
    without ``?q=`` — run as many statements with 8 rows per agency as with 60 (more than a
    page), at most 15."""
    grow(world, 8)
    small = list_queries(client, world)
    grow(world, 52)
    large = list_queries(client, world)
    assert max(large.values()) <= MAX_QUERIES, {k: v for k, v in large.items() if v > MAX_QUERIES}
    grew = {key: (small[key], large[key]) for key in small if large[key] != small[key]}
    assert not grew, grew


def test_case_list_scope_and_search_stay_exact(client, world, users):
    """An officer never sees another agency's case, not through ``?q=`` either; a county
    supervisor sees the county's agencies and not the other county's."""
    grow(world, 3)
    other = Case.objects.filter(agency=world.tree.other_market).first()
    client.force_login(users.officer_a)
    mine = client.get("/api/cases/cases/?page_size=500").json()
    assert {row["agency"] for row in mine["results"]} == {world.tree.market.pk}
    assert client.get(f"/api/cases/cases/?q={other.number}").json()["count"] == 0
    assert client.get(f"/api/cases/cases/{other.pk}/").status_code == 404
    client.force_login(users.supervisor_a)
    county = client.get("/api/cases/cases/?page_size=500").json()
    assert {row["agency"] for row in county["results"]} == {
        world.tree.market.pk, world.tree.comprehensive.pk, world.tree.township_office.pk}
    assert client.get(f"/api/cases/cases/?q={other.number}").json()["count"] == 0


def test_search_finds_number_cause_and_a_renamed_party(client, world, users):
    """``?q=`` matches the case number, the cause and the party's name — the new name after a
    rename, the old one no longer; a case saved with a new cause is found by it."""
    grow(world, 2)
    case = Case.objects.filter(agency=world.tree.market).order_by("pk").first()
    client.force_login(users.officer_a)

    def found(q):
        return [row["id"] for row in client.get("/api/cases/cases/", {"q": q}).json()["results"]]

    assert case.pk in found(case.number)
    party = case.party
    old_name = party.name
    party.name = "改名后的商贸有限公司"
    party.save()
    assert case.pk in found("改名后的商贸")
    assert case.pk not in found(old_name)
    case.refresh_from_db()
    case.cause = "销售变质腊肉"
    case.save(update_fields=["cause"])
    assert found("变质腊肉") == [case.pk]


def test_sqlite_trigram_index_finds_what_like_finds_and_follows_every_write(world):
    """On SQLite ``?q=`` of three characters or more goes through the FTS5 trigram table (its
    rarest trigrams, then the text checked), which finds exactly the cases ``LIKE '%q%'`` finds, and follows inserts, a cause changed, a party
    renamed and a deletion; triggers dropped by a table rebuild are put back (and the index
    rebuilt) by ``ensure_sqlite_index``."""
    from zhifa.cases import search
    from zhifa.cases.filters import CaseFilterSet

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")
    assert search.has_fts()
    grow(world, 5)

    def found(q):
        return set(CaseFilterSet({"q": q}, queryset=Case.objects.all()).qs.values_list("pk", flat=True))

    def like(q):
        return set(Case.objects.filter(search_text__contains=q.lower()).values_list("pk", flat=True))

    condition = search.search_q("合成案由3")  # looked up in the index: ids, then the text checked
    assert [child[0] for child in condition.children] == ["id__in", "search_text__contains"]
    assert search.search_q("合成") == Q(search_text__contains="合成")  # too short for trigrams
    for q in ("合成案由3", "合成罚〔2026〕1", "罚〔2026〕7号", "第", "合成", "没有这个词"):
        assert found(q) == like(q), q
    assert found("合成案由3")
    case = Case.objects.order_by("pk").first()
    case.cause = "销售变质腊肉"
    case.save(update_fields=["cause"])
    assert found("变质腊肉") == {case.pk}
    party = case.party
    party.name = "改名后的商贸有限公司"
    party.save()
    assert case.pk in found("改名后的商贸")
    assert Case.objects.filter(party=party).count() == len(found("改名后的商贸"))
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER cases_case_fts_au")
        cursor.execute("UPDATE cases_case SET search_text = 'x重建后的案由y' WHERE id = %s", [case.pk])
    assert found("重建后的案由") == set()  # the index missed the write ...
    assert search.ensure_sqlite_index() is True
    assert found("重建后的案由") == {case.pk}  # ... and is whole again after the repair
    Case.objects.filter(pk=case.pk).delete()
    assert found("重建后的案由") == set()


def test_sqlite_search_asks_the_index_for_the_rarest_sampled_trigrams(world):
    """FTS5 reads the whole case list of every trigram it is asked for, so a long query is looked
    up by its three rarest trigrams in a sample of the cases — never by one every case holds
    ("合成罚" of every number) — and still finds exactly what ``LIKE`` finds."""
    from zhifa.cases import search

    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")
    grow(world, 5)
    search.TrigramSample.forget()
    sampled, counts = search.TrigramSample.counts(connection)
    assert sampled == Case.objects.count() == 20 and counts["合成罚"] == 20
    case = Case.objects.order_by("-pk").first()
    value = case.number.lower()
    chosen = search.rare_trigrams(value)
    assert len(chosen) == 3 and set(chosen) <= set(search.trigrams_of(value))
    assert "合成罚" not in chosen and "成罚〔" not in chosen
    assert [counts[t] for t in chosen] == sorted(counts[t] for t in chosen)  # rarest first
    assert max(counts[t] for t in chosen) <= sorted(counts[t] for t in search.trigrams_of(value))[2]
    with CaptureQueriesContext(connection) as queries:
        condition = search.search_q(value)
    match = [q["sql"] for q in queries.captured_queries if "MATCH" in q["sql"]]
    assert len(match) == 1 and match[0].count(" AND ") == 2  # one lookup, three trigrams
    assert set(Case.objects.filter(condition).values_list("pk", flat=True)) == {case.pk}
    assert search.rare_trigrams("合成罚〔") == ["合成罚", "成罚〔"]  # two trigrams: both


def test_counts_are_capped_and_next_walks_every_row(client, world, users, monkeypatch):
    """Beyond the cap the API says ``count_capped`` (the page "N+"), and following ``next``
    still returns every case in scope exactly once."""
    monkeypatch.setattr(CappedPaginator, "cap", 10)
    grow(world, 6)  # 24 cases, 6 for the officer's agency, 18 in the county
    client.force_login(users.supervisor_a)
    page = client.get("/api/cases/cases/?page_size=4").json()
    assert page["count"] == 10 and page["count_capped"] is True
    seen = [row["id"] for row in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    expected = Case.objects.restrict(users.supervisor_a).count()
    assert len(seen) == len(set(seen)) == expected == 18
    html = client.get("/cases/").content.decode()
    assert "共 10+ 件" in html
    client.force_login(users.officer_a)
    small = client.get("/api/cases/cases/").json()
    assert small["count"] == 6 and small["count_capped"] is False and small["next"] is None


def test_case_api_list_is_slim_and_detail_complete(client, world, users):
    """The list returns a row's fields (with agency and party names), the detail every field."""
    grow(world, 1)
    client.force_login(users.officer_a)
    row = client.get("/api/cases/cases/").json()["results"][0]
    assert {"number", "stage_name", "agency_name", "party_name", "next_deadline"} <= set(row)
    assert "facts" not in row and "penalties" not in row
    detail = client.get(f"/api/cases/cases/{row['id']}/").json()
    assert {"facts", "penalties", "handling_officers", "limitation_ends_on"} <= set(detail)


def test_case_api_rows_are_what_the_list_serializer_writes(client, world, users):
    """The API list writes its rows from values (``CaseListSerializer.row``) without a model
    instance: every row, of every kind — overdue or not, dates missing or set, the discretion
    check unset, passed or failed, either procedure — is what ``CaseListSerializer`` writes, and
    the count still reads the cases alone (no join)."""
    import json

    from rest_framework.renderers import JSONRenderer

    from zhifa.cases.api.serializers import CaseListSerializer
    from zhifa.core import clock

    grow(world, 3)
    today = clock.today()
    first, second, third = Case.objects.filter(agency=world.tree.market).order_by("pk")[:3]
    Case.objects.filter(pk=first.pk).update(
        next_deadline=today - datetime.timedelta(days=1), next_deadline_label="作出处罚决定", within_benchmark=False,
        filed_on=today, decided_on=today, closed_on=today)
    Case.objects.filter(pk=second.pk).update(procedure="simple", stage="on_site", within_benchmark=True,
                                             next_deadline=today, next_deadline_label="当场处罚")
    Case.objects.filter(pk=third.pk).update(next_deadline=None, next_deadline_label="", within_benchmark=None)
    client.force_login(users.officer_a)
    with CaptureQueriesContext(connection) as queries:
        rows = client.get("/api/cases/cases/?page_size=500").json()["results"]
    expected = Case.objects.restrict(users.officer_a).select_related("agency", "party").order_by("-registered_on", "-id")
    assert rows == json.loads(JSONRenderer().render(CaseListSerializer(expected, many=True).data))
    assert len(rows) == 3 and {row["is_overdue"] for row in rows} == {True, False}
    assert {row["within_benchmark"] for row in rows} == {None, True, False}
    assert {row["stage_name"] for row in rows if row["id"] == second.pk} == {"现场处置"}
    count = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(count) == 1 and "JOIN" not in count[0], count


# ---------------------------------------------------------------------------------------
# PostgreSQL: every list's page is planned on its index
# ---------------------------------------------------------------------------------------

EXPECTED_INDEX = {
    ("/api/cases/cases/", "officer"): ("cases_case_agency_newest",),
    ("/api/cases/cases/", "county"): ("cases_case_newest", "cases_case_agency_newest"),
    ("/api/cases/cases/", "city"): ("cases_case_newest",),
    ("/api/people/officers/", None): ("people_officer_name_order", "people_officer_agency_name"),
    ("/api/parties/parties/", None): ("parties_party_name_order", "parties_party_region_name"),
    ("/api/catalog/items/", None): ("catalog_item_code", "catalog_item_unique_code_in_agency"),
}
# ``?q=`` of three characters or more, per list: the filter set, its query and the trigram
# indexes that can answer it (name and post for officers).
TRIGRAM_SEARCH = [
    ("people.Officer", "zhifa.people.filters.OfficerFilterSet", "执法队员", ("people_officer_post_trgm",)),
    ("people.Officer", "zhifa.people.filters.OfficerFilterSet", "赵某某", ("people_officer_name_trgm",)),
    ("parties.Party", "zhifa.parties.filters.PartyFilterSet", "商贸有限", ("parties_party_name_trgm",)),
    ("catalog.Item", "zhifa.catalog.filters.ItemFilterSet", "行政处罚", ("catalog_item_name_trgm",)),
]


def page_statement(statements, table):
    for query in statements:
        sql = query["sql"]
        if f'FROM "{table}"' in sql and "ORDER BY" in sql and "LIMIT" in sql and "COUNT(" not in sql:
            return sql
    raise AssertionError(f"no page query on {table}")


def plan(sql, params=None, *, settings=("enable_seqscan", "enable_sort")):
    """EXPLAIN of ``sql`` with the given planner methods priced out (SET LOCAL, this transaction)."""
    with connection.cursor() as cursor:
        for name in settings:
            cursor.execute(f"SET LOCAL {name} = off")
        cursor.execute("EXPLAIN " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
        for name in settings:
            cursor.execute(f"RESET {name}")
    return "\n".join(lines)


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL (ZHIFA_DATABASE_URL)")


def test_every_list_page_is_read_from_its_index_on_postgresql(postgresql, client, world):
    """EXPLAIN of each list's page query names the index matching its scope and order."""
    grow(world, 4)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for (url, who), indexes in EXPECTED_INDEX.items():
        for user_key in ([who] if who else list(WHO)):
            client.force_login(world.users[user_key])
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            model = next(m for u, m in LISTS if u == url)
            table = (model if not isinstance(model, str) else _model(model))._meta.db_table
            explained = plan(page_statement(captured.captured_queries, table))
            assert any(index in explained for index in indexes), (url, user_key, explained)
            assert "Seq Scan on " + table not in explained, (url, user_key, explained)


def test_case_search_uses_the_trigram_index_on_postgresql(postgresql, world):
    """``?q=`` on cases (the filter set's own condition) can be answered from the pg_trgm GIN
    index on ``search_text``: with sequential and plain index scans priced out it is the one
    path left, so a missing index or a condition it cannot serve shows as a Seq Scan."""
    from zhifa.cases.filters import CaseFilterSet

    grow(world, 4)
    qs = CaseFilterSet({"q": "合成案由3"}, queryset=Case.objects.all()).qs
    explained = plan(*qs.query.sql_with_params(), settings=("enable_seqscan", "enable_indexscan"))
    assert "cases_case_search_trgm" in explained, explained


def test_case_search_leaves_common_trigrams_out_of_the_index_on_postgresql(postgresql, world):
    """A case number's "合成罚〔2026〕" is in every case: GIN would read those trigrams' whole
    lists. The index is asked for the rest of the number only, the whole text is checked on the
    rows (``strpos``), and the result is exactly ``LIKE``'s; a text without common trigrams stays
    one ``LIKE``."""
    from zhifa.cases import search
    from zhifa.cases.filters import CaseFilterSet

    grow(world, 5)
    search.TrigramSample.forget()
    for case in Case.objects.order_by("pk"):
        value = case.number.lower()
        runs = search.uncommon_runs(value)
        assert runs and all(run in value and "合成罚" not in run and "〔20" not in run for run in runs), runs
        qs = CaseFilterSet({"q": value}, queryset=Case.objects.all()).qs
        sql, params = qs.query.sql_with_params()
        assert "STRPOS" in sql and value not in [p.strip("%") for p in params if isinstance(p, str) and "%" in p]
        assert set(qs.values_list("pk", flat=True)) == set(
            Case.objects.filter(search_text__contains=value).values_list("pk", flat=True)) == {case.pk}
    explained = plan(sql, params, settings=("enable_seqscan", "enable_indexscan"))
    assert "cases_case_search_trgm" in explained and "Seq Scan" not in explained, explained
    assert search.search_q("没有这个词") == Q(search_text__contains="没有这个词")
    assert search.search_q("合成罚〔2026〕") == Q(search_text__contains="合成罚〔2026〕")  # common only


@pytest.mark.parametrize(("label", "filterset_path", "q", "indexes"), TRIGRAM_SEARCH,
                         ids=[f"{row[0]}-{row[2]}" for row in TRIGRAM_SEARCH])
def test_register_search_uses_trigram_indexes_on_postgresql(postgresql, world, label, filterset_path, q, indexes):
    """``?q=`` on officers, parties and items — the filter set's own condition, Django's
    ``UPPER(col::text) LIKE UPPER('%q%')`` — can be answered from the pg_trgm GIN indexes on
    that very expression: with sequential and plain index scans priced out, a missing index or
    a condition that no longer matches its expression shows as a Seq Scan."""
    from django.utils.module_loading import import_string

    grow(world, 4)
    filterset = import_string(filterset_path)
    qs = filterset({"q": q}, queryset=_model(label).objects.all()).qs
    explained = plan(*qs.query.sql_with_params(), settings=("enable_seqscan", "enable_indexscan"))
    assert any(index in explained for index in indexes), explained
    assert "Seq Scan" not in explained, explained


def test_register_scopes_stay_exact(client, world, users):
    """Officers, parties and items after the scope became lists of ids: a county supervisor
    sees the county's officers and an officer dispatched into it from the other county, not the
    other county's own; an officer of one agency sees only that agency's items; parties of the
    other county stay out of reach, through ``?q=`` too; a township office sees an item
    delegated to it."""
    from zhifa.catalog.models import Delegation, Item
    from zhifa.parties.models import Party
    from zhifa.people.models import Officer

    grow(world, 3)
    tree = world.tree
    guest = Officer.objects.filter(home_agency=tree.other_market).first()
    guest.dispatched_to = tree.township_team
    guest.dispatched_from = datetime.date(2026, 1, 1)
    guest.save()
    stranger = Officer.objects.filter(home_agency=tree.other_market).exclude(pk=guest.pk).first()

    def api(url, **params):
        return client.get(url, {"page_size": 500, **params}).json()

    client.force_login(users.supervisor_a)
    officers = {row["id"] for row in api("/api/people/officers/")["results"]}
    assert guest.pk in officers and stranger.pk not in officers
    assert Officer.objects.filter(home_agency=tree.market).first().pk in officers
    assert all(row["id"] != stranger.pk for row in api("/api/people/officers/", q=stranger.name)["results"])
    parties = api("/api/parties/parties/")["results"]
    assert parties and all(row["region"] != tree.other_county.pk for row in parties)
    far = Party.objects.filter(region=tree.other_county).first()
    assert all(row["id"] != far.pk for row in api("/api/parties/parties/", q=far.name)["results"])
    assert client.get(f"/api/people/officers/{stranger.pk}/").status_code == 404

    client.force_login(users.officer_a)
    items = api("/api/catalog/items/")["results"]
    assert items and {row["agency"] for row in items} == {tree.market.pk}
    assert "current_version" not in items[0]
    officers = {row["id"] for row in api("/api/people/officers/")["results"]}
    assert officers == set(Officer.objects.filter(home_agency=tree.market).values_list("pk", flat=True))

    delegated = Item.objects.filter(agency=tree.comprehensive).first()
    Delegation.objects.create(item=delegated, agency=tree.township_office, start_date=datetime.date(2026, 1, 1),
                              document_number="云政发〔2026〕1号")
    client.force_login(make_user("township_officer", roles.OFFICER, agency=tree.township_office))
    items = {row["id"] for row in api("/api/catalog/items/")["results"]}
    assert delegated.pk in items
    assert not Item.objects.filter(pk__in=items, agency=tree.other_market).exists()


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


# ---------------------------------------------------------------------------------------
# A county's parties: read region by region in name order (OwnerWalkMixin)
# ---------------------------------------------------------------------------------------

def _county_parties(world):
    """Parties spread over every region of the tree, names in an order unrelated to the region."""
    from zhifa.orgs.models import Region
    from zhifa.parties.models import Party

    regions = list(Region.objects.order_by("pk"))
    Party.objects.bulk_create([
        Party(kind=Party.INDIVIDUAL_BUSINESS, name=f"走查{(i * 37) % 101:03d}号商行", region=region,
              region_path=region.path)
        for i in range(101) for region in regions[i % len(regions): i % len(regions) + 1]
    ])
    return regions


def test_county_party_pages_walked_by_region_equal_the_plain_query(world):
    """Every page (and a filtered page) of a county supervisor's parties read region by region is
    exactly the plain query's page — rows and order — and a count or another order runs the plain
    query. On SQLite the walk is not used (no ``LIMIT`` inside ``UNION ALL``): same rows."""
    from zhifa.parties.models import Party

    _county_parties(world)
    user = world.users["county"]
    walked = Party.objects.restrict(user)
    plain = walked.without_owner_walk()
    assert walked._owner_walk and len(walked._owner_walk[1]) > 1
    total = plain.count()
    assert 0 < total < Party.objects.count()
    for low in range(0, total + 10, 7):
        assert list(walked.values_list("pk", flat=True)[low: low + 7]) == \
            list(plain.values_list("pk", flat=True)[low: low + 7]), low
    legal = walked.filter(kind=Party.INDIVIDUAL_BUSINESS)
    assert list(legal[3:9]) == list(plain.filter(kind=Party.INDIVIDUAL_BUSINESS)[3:9])
    assert walked.order_by()[:1001].count() == total
    assert list(walked.order_by("-id")[:5]) == list(plain.order_by("-id")[:5])
    assert all(row.region_id in walked._owner_walk[1] for row in walked[:total])


def test_county_party_page_walks_each_region_on_postgresql(postgresql, client, world):
    """The county supervisor's party page (API) is a ``UNION ALL`` of one walk of
    ``parties_party_region_name`` per region of the scope, each stopped by a ``LIMIT`` — not a walk
    of the whole name index filtered by region (684 ms at 1M parties before, when names correlate
    with regions)."""
    regions = _county_parties(world)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(world.users["county"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/parties/parties/", {"page": 2, "page_size": 10})
    assert response.status_code == 200 and len(response.json()["results"]) == 10
    sql = page_statement(captured.captured_queries, "parties_party")
    scope = world.users["county"]
    from zhifa.parties.models import Party

    owners = Party.objects.restrict(scope)._owner_walk[1]
    assert 1 < len(owners) < len(regions)
    assert sql.count("UNION ALL") == len(owners) - 1 and sql.count("LIMIT 21") == len(owners), sql
    # the other ways to read a region's rows priced out, as in the plan test above (on this tiny
    # table a bitmap and a sort would win; at 1M the planner takes the walks by itself)
    explained = plan(sql, settings=("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort"))
    walks = [line for line in explained.splitlines() if "parties_party_region_name" in line]
    assert len(walks) == len(owners), explained
    assert all(f"region_id = {owner})" in explained for owner in owners), explained


def _common_word_parties(world, regions):
    """600 more parties whose names share a word (公共商行), spread over every region, analysed."""
    from zhifa.parties.models import Party

    Party.objects.bulk_create([
        Party(kind=Party.INDIVIDUAL_BUSINESS, name=f"公共商行{(i * 53) % 600:03d}号", region=regions[i % len(regions)],
              region_path=regions[i % len(regions)].path)
        for i in range(600)
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_party_search_walks_regions_only_for_a_common_word(world):
    """On PostgreSQL a name search in a county keeps the region-by-region walk when the text is too
    short for the trigram index or so common (the planner's estimate of its matches) that walking is
    the smaller read; a rare name, a full number, SQLite, an officer's one region or the whole
    tree's scope keep the plain query. A walked search's pages are exactly the plain query's."""
    from zhifa.parties.filters import PartyFilterSet
    from zhifa.parties.models import Party

    regions = _county_parties(world)
    _common_word_parties(world, regions)
    county = Party.objects.restrict(world.users["county"])
    assert county._owner_walk

    def searched(q):
        return PartyFilterSet({"q": q}, queryset=county).qs

    walks = connection.vendor == "postgresql"
    assert bool(searched("走查")._owner_walk) is walks  # two characters: no trigram to narrow by
    assert bool(searched("公共商行")._owner_walk) is walks  # in most of the table
    assert not searched("走查007号商行")._owner_walk  # one row: its trigram index answers
    assert not searched("91110000MA01ABCD2X")._owner_walk  # a full credit code: its own index
    assert PartyFilterSet({"kind": Party.LEGAL}, queryset=county).qs._owner_walk
    assert not Party.objects.restrict(make_user("root", roles.SYSTEM_ADMIN, is_superuser=True))._owner_walk
    walked = searched("公共商行")
    plain = walked.without_owner_walk()
    total = plain.count()
    assert 0 < total < 600
    for low in range(0, total + 10, 9):
        assert list(walked.values_list("pk", flat=True)[low: low + 9]) == \
            list(plain.values_list("pk", flat=True)[low: low + 9]), low
    assert list(searched("走查")[:30]) == list(searched("走查").without_owner_walk()[:30])


def test_a_wide_scope_sorts_the_matches_of_a_rare_name(world):
    """A scope not read region by region (a city's, a province's, the whole tree's) searching a rare
    name is ordered by expressions no index gives (``name || ''``, ``id + 0``) on PostgreSQL, so the
    trigram index's matches are collected and sorted instead of the name index being walked until a
    page of them turns up (4.3 s → 7 ms for 长安食品 over 1M parties). Same rows, same order; a
    common word, two characters and SQLite keep the plain query."""
    from zhifa.parties.filters import PartyFilterSet
    from zhifa.parties.models import Party

    regions = _county_parties(world)
    _common_word_parties(world, regions)
    everything = Party.objects.restrict(make_user("root", roles.SYSTEM_ADMIN, is_superuser=True))
    assert not everything._owner_walk

    def searched(q):
        return PartyFilterSet({"q": q}, queryset=everything).qs

    postgresql = connection.vendor == "postgresql"
    rare = searched("走查007号商行")
    assert rare._sort_matches is postgresql
    assert not searched("公共商行")._sort_matches  # in most of the table: the name order meets it at once
    assert not searched("走查")._sort_matches  # two characters: no trigram to narrow by
    sql = str(rare[:21].query)
    assert ("|| '')" in sql and "+ 0)" in sql) is postgresql, sql
    plain = rare._chain()
    plain._sort_matches = False
    assert list(rare[:21]) == list(plain[:21]) and len(list(rare[:21])) >= 1
    assert list(rare.order_by("-name")[:5]) == list(plain.order_by("-name")[:5])
    assert rare.count() == plain.count()


def test_county_common_word_search_walks_each_region_on_postgresql(postgresql, client, world):
    """``?q=`` of a common word on the county supervisor's party page (API) is read region by
    region — one ``LIMIT``ed walk of ``parties_party_region_name`` per region — not a walk of the
    name index filtered by region and name (488 ms at 1M parties, 23 ms walked), and a rare full
    name keeps the plain query (served by ``parties_party_name_trgm``:
    ``test_register_search_uses_trigram_indexes_on_postgresql``)."""
    from zhifa.parties.models import Party

    regions = _county_parties(world)
    _common_word_parties(world, regions)
    client.force_login(world.users["county"])
    owners = Party.objects.restrict(world.users["county"])._owner_walk[1]
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/parties/parties/", {"q": "公共商行", "page_size": 10})
    assert response.status_code == 200 and len(response.json()["results"]) == 10
    assert all(row["name"].startswith("公共商行") for row in response.json()["results"])
    sql = page_statement(captured.captured_queries, "parties_party")
    assert sql.count("UNION ALL") == len(owners) - 1 and sql.count("LIMIT 11)") == len(owners), sql
    explained = plan(sql, settings=("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort"))
    walks = [line for line in explained.splitlines() if "parties_party_region_name" in line]
    assert len(walks) == len(owners), explained
    rare = Party.objects.restrict(world.users["county"]).filter(name__startswith="走查").order_by("-pk")[0]
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/parties/parties/", {"q": rare.name})
    assert [row["id"] for row in response.json()["results"]] == [rare.pk]
    sql = page_statement(captured.captured_queries, "parties_party")
    assert "UNION ALL" not in sql  # the plain query, which the trigram index serves (test above)


def test_sqlite_county_count_reads_the_agency_index_and_page_walks_the_list_order(world):
    """On SQLite a county's case page is written ``agency_id + 0 IN (…)`` so that it walks
    ``cases_case_newest`` and stops after a page, but its capped count (no order) keeps the plain
    ``agency_id IN (…)`` and reads only the scope's cases through an agency index — it scanned the
    whole table before (3.2 s for a common word at 1M cases). Both count the same rows."""
    if connection.vendor != "sqlite":
        pytest.skip("the agency_id + 0 form is SQLite's")
    grow(world, 3)
    scoped = Case.objects.restrict(world.users["county"]).filter(search_text__contains="合成")
    page_sql, page_params = scoped.order_by("-registered_on", "-id")[:21].query.sql_with_params()
    count_sql, count_params = scoped.order_by()[:1001].query.sql_with_params()
    assert '"cases_case"."agency_id" + 0) IN' in page_sql
    assert "+ 0" not in count_sql
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + count_sql, count_params)
        count_plan = " / ".join(row[-1] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + page_sql, page_params)
        page_plan = " / ".join(row[-1] for row in cursor.fetchall())
    assert "USING INDEX" in count_plan and "agency_id=?" in count_plan, count_plan
    assert "cases_case_newest" in page_plan, page_plan
    assert CappedPaginator(scoped.order_by("-registered_on", "-id"), 20).count == \
        Case.objects.filter(agency__in=[a for a in world.agencies if a.tree_path.startswith(
            world.users["county"].scope_path)], search_text__contains="合成").count()


def test_desk_counts_open_deviating_cases_from_their_partial_index(world):
    """The desk's "偏离裁量基准" alert counts the open cases in reach outside the discretion
    benchmark through the partial index ``cases_case_open_deviating``, not a pass over every open
    case (328 ms for a city supervisor at 1M cases on SQLite); the count is exact."""
    from zhifa.cases.dashboard import case_alerts

    grow(world, 3)
    county = world.users["county"]
    in_reach = Case.objects.restrict(county)
    deviating = list(in_reach.order_by("pk").values_list("pk", flat=True)[:4])
    Case.objects.filter(pk__in=deviating).update(within_benchmark=False)
    Case.objects.filter(pk=deviating[0]).update(closed_on=datetime.date(2026, 11, 2))  # closed: not counted
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as captured:
        alerts = case_alerts(county)
    assert any(alert["text"] == "3件案件拟处罚偏离裁量基准" for alert in alerts), alerts
    sql = next(q["sql"] for q in captured.captured_queries if "within_benchmark" in q["sql"])
    explained = either_plan(sql)
    assert "cases_case_open_deviating" in explained, explained


def either_plan(sql, params=None) -> str:
    """The plan of ``sql``: SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's with sequential scans
    priced out (so a small test table is still read the way a large one is)."""
    if connection.vendor != "sqlite":
        return plan(sql, params, settings=("enable_seqscan",))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return " / ".join(row[-1] for row in cursor.fetchall())


def test_open_case_counts_and_the_workload_are_read_from_the_open_case_index(client, world):
    """The desk's "办理中案件" card and overdue alert, the dashboard's workload and the overdue
    page read the open cases in reach from the partial index ``cases_case_open``, never every case
    ever registered (a city supervisor's desk count: 0.45 s at 1M cases on SQLite); the figures
    are exact. As in a real agency, most cases are closed. The plans are checked on SQLite, whose
    planner went wrong at 1M cases."""
    grow(world, 6)
    city = world.users["city"]
    still_open = list(Case.objects.restrict(city).order_by("pk").values_list("pk", flat=True)[:3])
    Case.objects.exclude(pk__in=still_open).update(closed_on=datetime.date(2026, 6, 1))
    Case.objects.filter(pk=still_open[0]).update(next_deadline=datetime.date(2026, 10, 1))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client.force_login(city)
    statements = []
    for url in ("/", "/workspace/dashboard/", "/cases/overdue/"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        statements += [q["sql"] for q in captured.captured_queries
                       if 'FROM "cases_case"' in q["sql"] and '"closed_on" IS NULL' in q["sql"]
                       and "within_benchmark" not in q["sql"].split(" WHERE ", 1)[1]]
        if url == "/":
            assert "1件案件已超过办理期限" in response.content.decode()
        elif url == "/workspace/dashboard/":
            assert sum(response.context["panels"]["workload"]["open"]) == 3
        else:
            assert response.context["total"] == 1
    assert len(statements) >= 4, "\n".join(statements)
    if connection.vendor != "sqlite":
        return  # PostgreSQL's choice among indexes on a few test rows is a coin toss, not a plan
    for sql in statements:
        explained = either_plan(sql)
        # an overdue count or list may instead read the cases whose deadline has passed (an
        # open case's: a closed case has no next deadline) from the deadline's own index
        overdue = '"next_deadline" <' in sql.split(" WHERE ", 1)[1]
        assert "cases_case_open" in explained or (overdue and "cases_case_next_deadline" in explained), (
            sql, explained)


def test_remedies_of_a_year_are_read_from_their_decision_date(world):
    """The 复议诉讼纠错率 (KPI and cockpit) counts the remedies decided in a year from the index on
    their decision date, remedies first — not every case of the region probed for one. (SQLite's
    planner, without statistics for a table that is still empty, chose the cases first: 70 ms per
    count, 50 counts on the KPI page, at 1M cases. PostgreSQL estimates a table's size from the
    table itself; its plan on a handful of test rows says nothing of a large one.)"""
    from zhifa.cases import choices
    from zhifa.cases.models import Remedy
    from zhifa.supervision import kpis

    grow(world, 3)
    cases = list(Case.objects.order_by("pk")[:4])
    results = ["revoked", "upheld", "upheld", choices.REMEDY_PENDING]
    for case, result in zip(cases, results, strict=True):
        Remedy.objects.create(case=case, kind="reconsideration", body="秦川市人民政府", filed_on=datetime.date(2025, 2, 1),
                              result=result, decided_on=datetime.date(2025, 5, 1), recorded_by=world.users["county"])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    region = world.tree.city.path
    with CaptureQueriesContext(connection) as captured:
        value = kpis.REGISTRY["reversal"].function(region, 2025)
    assert value == Decimal("33.3")  # 1 revoked of 3 decided (the pending one is not decided)
    counted = [q["sql"] for q in captured.captured_queries if 'FROM "cases_remedy"' in q["sql"]]
    assert counted
    if connection.vendor != "sqlite":
        return
    for sql in counted:
        assert "cases_remedy_decided" in either_plan(sql), either_plan(sql)
