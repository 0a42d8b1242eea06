"""Issue #14 on the portal: the decision page and the decision search run a fixed number of
queries whatever the number of publications; an unchanged decision page is answered
``304 Not Modified`` (ETag, Last-Modified), from the view and from the portal cache alike,
with the same bytes as before; the list without a query is read in the order of its index."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.publicity import choices
from zhifa.publicity.filters import public_search
from zhifa.publicity.models import Publication
from zhifa.publicity.tests.test_search import FOOD, LICENCE, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def anonymous():
    return Client()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _more(tree, n):
    for i in range(n):
        publish(tree.market if i % 2 else tree.other_market, FOOD if i % 3 else LICENCE,
                fine_amount=1000 + i, decided_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i))


@pytest.mark.parametrize("url_of", [
    lambda pk: reverse("publicity:public_detail", args=[pk]),
    lambda pk: reverse("publicity:public_list"),
    lambda pk: reverse("publicity:public_list") + "?q=食品安全",
    lambda pk: reverse("publicity:public_list") + "?q=食品安全&kind=penalty&min_amount=1000&max_amount=9999",
    lambda pk: reverse("publicity:public_list") + "?page=2",
])
def test_decision_pages_and_search_run_the_same_queries_at_two_sizes(settings, tree, anonymous, url_of):
    """The decision page (2 queries), the list and the search cost the same number of
    queries with 3 and with 60 publications (no COUNT over the matches, no query per row)."""
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0
    first = publish(tree.market, FOOD)
    _more(tree, 2)
    # Warmed once: a search counts each word's and filter term's decisions once an hour
    # (search.selective_terms); the steady page is what must not grow.
    anonymous.get(url_of(first.pk))
    small = _queries(anonymous, url_of(first.pk))
    _more(tree, 57)
    anonymous.get(url_of(first.pk))
    assert _queries(anonymous, url_of(first.pk)) == small
    if "decisions/" + str(first.pk) in url_of(first.pk):
        assert small == 2
    with CaptureQueriesContext(connection) as captured:
        anonymous.get(url_of(first.pk))
    assert not any("COUNT(" in q["sql"].upper() for q in captured.captured_queries)


def test_unchanged_decision_page_is_not_modified_and_identical(settings, tree, anonymous):
    """ETag and Last-Modified on the decision page; a client that holds it gets 304, from the
    view and from the portal cache; a change (annotation) gives a new page and ETag."""
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0
    publication = publish(tree.market, FOOD)
    url = reverse("publicity:public_detail", args=[publication.pk])
    first = anonymous.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = anonymous.get(url)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert anonymous.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 300
    cached = [anonymous.get(url), anonymous.get(url)]
    assert [r["X-Cache"] for r in cached] == ["miss", "hit"]
    assert cached[0].content == cached[1].content == first.content
    held = anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert held.status_code == 304 and held["X-Cache"] == "hit" and not held.content

    publication.annotation = "该决定已被依法变更。"
    publication.updated_at = publication.updated_at + datetime.timedelta(seconds=2)
    publication.save()
    changed = anonymous.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "该决定已被依法变更。" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_other_decisions_are_not_served_by_a_held_etag(settings, tree, anonymous):
    """An ETag of one page does not make another page 304 (each page its own validator)."""
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0
    one, other = publish(tree.market, FOOD), publish(tree.market, LICENCE)
    etag = anonymous.get(reverse("publicity:public_detail", args=[one.pk]))["ETag"]
    response = anonymous.get(reverse("publicity:public_detail", args=[other.pk]), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200


def test_unpublished_decision_is_not_found_even_with_a_validator(settings, tree, anonymous):
    """A pending publication stays 404, whatever the client sends."""
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0
    pending = publish(tree.market, FOOD, status=choices.PENDING)
    url = reverse("publicity:public_detail", args=[pending.pk])
    assert anonymous.get(url, HTTP_IF_NONE_MATCH="*").status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan")
def test_postgresql_lists_newest_first_from_the_index_without_sorting(tree):
    """The portal's list without a query (and by agency) is an index scan in the published
    order, stopped after the page: no Sort node over the matches."""
    _more(tree, 30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publicity_publication")
        # By agency, a tiny table may be read through either newest-first index (filtering the agency).
        for data, index in (({}, "publicity_status_newest"), ({"agency": tree.market.pk}, "_newest")):
            qs = public_search(Publication.objects.public(), data).select_related("agency")[:21]
            compiled, params = qs.query.sql_with_params()
            # With so few rows a sort is cheapest: price out the other paths, so the plan shows
            # whether an index can give the published order at all (else a Sort stays).
            for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute("EXPLAIN " + compiled, params)
            plan = " | ".join(row[0] for row in cursor.fetchall())
            assert index in plan and "Sort" not in plan, plan


def test_decision_page_reads_only_the_columns_it_shows(settings, tree, anonymous):
    """An uncached decision page reads the masked, public columns it shows — not the unmasked
    originals (facts, legal basis, result, party name), the search tokens or the masking report,
    whose loading was a good part of the page's cost — and still shows every public field."""
    settings.ZHIFA_PUBLIC_CACHE_SECONDS = 0
    publication = publish(tree.market, FOOD)
    with CaptureQueriesContext(connection) as captured:
        response = anonymous.get(reverse("publicity:public_detail", args=[publication.pk]))
    assert response.status_code == 200 and len(captured.captured_queries) == 2
    selected = captured.captured_queries[0]["sql"]
    for column in ("facts", "legal_basis", "result", "party_name", "search_tokens", "masking_report", "redactions"):
        assert f'"publicity_publication"."{column}"' not in selected, column
    page = response.content.decode()
    for shown in (publication.public_title, publication.decision_number, publication.public_party_name,
                  tree.market.name):
        assert shown in page


def test_portal_cache_holds_thousands_of_pages_and_the_menu_is_resolved_once():
    """The local-memory and file caches keep ``ZHIFA_CACHE_MAX_ENTRIES`` entries (10,000 by default,
    not Django's 300), and the portal menu's addresses are resolved once per process, not for every
    page (20 ``reverse()`` calls were a tenth of an uncached decision page)."""
    from django.test import RequestFactory

    from zhifa.core.context_processors import portal_navigation
    from zhifa.core.navigation import _addresses
    from zhifa.settings import cache_setting

    assert cache_setting("locmem://")["OPTIONS"]["MAX_ENTRIES"] == 10_000
    assert cache_setting("file:///tmp/x", 50_000)["OPTIONS"]["MAX_ENTRIES"] == 50_000
    _addresses.cache_clear()
    first = portal_navigation(RequestFactory().get("/public/decisions/"))["portal_nav"]
    portal_navigation(RequestFactory().get("/public/"))
    assert _addresses.cache_info().misses == 1 and _addresses.cache_info().hits == 1
    assert [item["url"] for item in first if item["active"]] == [reverse("publicity:public_list")]
