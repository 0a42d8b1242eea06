"""Filters of the publication queue, shared by the HTML list and the API; and the public
search filters, shared by the portal page and the open-data API."""

import django_filters

from zhifa.core import clock
from zhifa.core.filters import SearchFilterSet

from . import choices, search
from .models import Publication, PublicationAction


class PublicationFilterSet(SearchFilterSet):
    search_fields = ("decision_number", "title", "party_name")
    status = django_filters.ChoiceFilter(label="状态", choices=choices.STATUS_CHOICES)
    kind = django_filters.ChoiceFilter(label="类别", choices=choices.KIND_CHOICES)
    overdue = django_filters.BooleanFilter(label="超期未公示", method="filter_overdue")
    actions = django_filters.BooleanFilter(label="待撤回或注明", method="filter_actions")

    class Meta:
        model = Publication
        fields = ["status", "kind", "agency", "overdue", "actions"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = {"status": choices.PENDING, "due_on__lt": clock.today()}
        return queryset.filter(**late) if value else queryset.exclude(**late)

    def filter_actions(self, queryset, name, value):
        if value is None:
            return queryset
        pending = PublicationAction.objects.filter(status=PublicationAction.PENDING).values("publication_id")
        return queryset.filter(pk__in=pending) if value else queryset.exclude(pk__in=pending)


def public_search(queryset, data: dict):
    """Apply the portal's search: full text (``search.search``) plus agency, kind, date and
    amount filters; ``data`` is a cleaned ``PublicSearchForm`` (or the API's equivalent).

    The filters are ORM filters (the exact condition) and, with a query, also filter terms
    of the full-text index (``search.filter_terms``), so a selective filter narrows the index
    lookup itself. Without a query the list is newest first, answered by the ORM indexes."""
    queryset = queryset.filter(status=choices.PUBLISHED)
    if data.get("agency"):
        queryset = queryset.filter(agency=data["agency"])
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("since"):
        queryset = queryset.filter(decided_on__gte=data["since"])
    if data.get("until"):
        queryset = queryset.filter(decided_on__lte=data["until"])
    if data.get("min_amount") is not None:
        queryset = queryset.filter(fine_amount__gte=data["min_amount"])
    if data.get("max_amount") is not None:
        queryset = queryset.filter(fine_amount__lte=data["max_amount"])
    text = (data.get("q") or "").strip()
    if text:
        terms = search.filter_terms(
            agency=data.get("agency") or None, kind=data.get("kind") or None, since=data.get("since") or None,
            until=data.get("until") or None, min_amount=data.get("min_amount"), max_amount=data.get("max_amount"),
        )
        return search.search(queryset, text, terms=terms)
    return queryset.order_by("-published_on", "-id")
