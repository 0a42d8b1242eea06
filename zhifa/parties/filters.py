"""Filters for the party list, shared by the HTML view and the API."""

import json

import django_filters
from django.db import connections
from django.db.models import Q

from zhifa.core.crypto import index_lookup, normalize_phone
from zhifa.core.filters import FilterSet, SearchFilterSet
from zhifa.core.validators import normalize_identifier
from zhifa.orgs.models import Region

from .models import CreditRating, Party


def regions_in_scope(request):
    """Regions the requesting user may see (the choices of the region filter)."""
    user = getattr(request, "user", None)
    return Region.objects.restrict(user, "view") if user is not None else Region.objects.none()


# Rows a page of a region-by-region walk reads per region (a page of 50 and the one after it).
WALK_PAGE_ROWS = 51


def name_search_walks_regions(queryset, value: str) -> bool:
    """Whether a name search within a scope read region by region (``walk_owners``) should keep
    that walk rather than the trigram index (issue #14, 名称检索的读取方式).

    The trigram index collects every party whose name holds the text, then sorts them: cheap for a
    rare name, but a common word (every twentieth party is a 食品 business) means tens of thousands
    of rows at 1M parties, growing with the table. Walking each region's ``(region, name, id)``
    index meets a page of a common word after ``page / share`` entries, whatever the table's size,
    but reads a whole region for a rare name. So: walk when the text has fewer than three
    characters (no trigram to narrow by: the index cannot help), or when PostgreSQL's estimate of
    the matches ``m`` over the table's ``n`` rows makes the walk the smaller read — ``m`` rows
    against ``regions × WALK_PAGE_ROWS × n / m`` index entries, i.e. ``m² ≥ regions × 51 × n``.
    The estimate comes from the planner's statistics of ``UPPER(name)`` (1,000 buckets,
    migration ``parties/0004``); both ways return exactly the same rows in the same order.
    """
    walk = getattr(queryset, "_owner_walk", None)
    connection = connections[queryset.db]
    if not walk or connection.vendor != "postgresql":
        return False
    if len(value) < 3:
        return True
    matches, rows = _estimated_name_matches(connection, value)
    return rows > 0 and matches * matches >= len(walk[1]) * WALK_PAGE_ROWS * rows


def name_search_sorts_matches(queryset, value: str) -> bool:
    """For a scope too wide to read region by region (a city, a province): whether a name search
    should collect the trigram index's matches and sort them (``sort_matches``) rather than let
    PostgreSQL walk the list-order name index until a page of matches turns up.

    The planner prices that walk as if matches were spread evenly through the name order; names
    that share a place name sort together (长安食品…), and the walk read 795,000 entries (4.3 s)
    before the first. By the same measure as ``name_search_walks_regions`` — a walk of one
    region — the sort is the smaller read when ``m² < 51 × n``: a rare name."""
    connection = connections[queryset.db]
    if getattr(queryset, "_owner_walk", None) or connection.vendor != "postgresql" or len(value) < 3:
        return False
    matches, rows = _estimated_name_matches(connection, value)
    return rows > 0 and matches * matches < WALK_PAGE_ROWS * rows


def _estimated_name_matches(connection, value: str) -> tuple[float, float]:
    """PostgreSQL's estimate of the parties whose name holds ``value``, and of all parties."""
    matches_sql, matches_params = (Party._base_manager.filter(name__icontains=value).values("pk")
                                   .query.sql_with_params())
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + matches_sql, matches_params)
        plan = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Party._meta.db_table])
        rows = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"], rows


class PartyFilterSet(SearchFilterSet):
    """Search by name (contains) or by a full ID number / credit code / phone number (exact
    match only, so a number can be looked up without revealing any other); filter by kind,
    class and region. ID and phone numbers are encrypted at rest and matched through their
    blind indexes, so a fragment of one finds nothing."""

    q = django_filters.CharFilter(
        label="搜索（名称、完整证件号码、统一社会信用代码或完整电话号码）", method="filter_q"
    )
    kind = django_filters.ChoiceFilter(label="当事人类型", choices=Party.KIND_CHOICES)
    credit_class = django_filters.ChoiceFilter(
        label="信用风险分类", choices=[*Party.CREDIT_CLASS_CHOICES, ("none", "未分类")], method="filter_credit_class"
    )
    region = django_filters.ModelChoiceFilter(label="行政区划", queryset=regions_in_scope, method="filter_region")

    class Meta:
        model = Party
        fields = ["q", "kind", "credit_class", "region"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        number = normalize_identifier(value)
        # Stored identity numbers and credit codes are ASCII (validated on entry): a text with a
        # Chinese character can only be a name, so its search stays on the name column — which a
        # walk of ``(region, name, id)`` then checks from the index alone.
        by_number = (Q(**index_lookup(Party, "id_number", number)) | Q(credit_code=number)) if number.isascii() else Q()
        if len(normalize_phone(value)) >= 7:
            by_number |= Q(**index_lookup(Party, "phone", value))
        phone_like = len(normalize_phone(value)) >= 7 and all(ch.isdigit() or ch in " -()+" for ch in value)
        if (len(number) == 18 and number.isalnum()) or phone_like:
            # a full identity number, credit code or phone number: exact, indexed lookups only
            return _without_walk(queryset).filter(by_number)
        if name_search_sorts_matches(queryset, value):  # a city's or province's search for a rare name
            queryset = queryset.sort_matches()
        elif not name_search_walks_regions(queryset, value):  # a rare name: its trigram index answers
            queryset = _without_walk(queryset)
        return queryset.filter(Q(name__icontains=value) | by_number)

    def filter_credit_class(self, queryset, name, value):
        """One class, or ``none`` for parties never classified."""
        if not value:
            return queryset
        return queryset.filter(credit_class="" if value == "none" else value)

    def filter_region(self, queryset, name, value):
        """Parties registered in the region or any region below it."""
        return queryset.filter(region_path__startswith=value.path) if value else queryset


def _without_walk(queryset):
    return queryset.without_owner_walk() if hasattr(queryset, "without_owner_walk") else queryset


class CreditRatingFilterSet(FilterSet):
    """Filters of the credit rating history."""

    party = django_filters.NumberFilter(label="当事人编号", field_name="party_id")
    credit_class = django_filters.ChoiceFilter(label="信用风险分类", choices=Party.CREDIT_CLASS_CHOICES)
    since = django_filters.DateFilter(label="起始日期", field_name="rated_on", lookup_expr="gte")
    until = django_filters.DateFilter(label="截止日期", field_name="rated_on", lookup_expr="lte")

    class Meta:
        model = CreditRating
        fields = ["party", "credit_class", "since", "until"]
