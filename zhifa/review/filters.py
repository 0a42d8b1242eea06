"""Filter sets of the legal review app, shared by the HTML lists and the API."""

import django_filters

from zhifa.core import clock
from zhifa.core.filters import SearchFilterSet

from . import choices
from .models import CollectiveDiscussion, MajorDecisionCatalog, Review

STATE_CHOICES = [
    ("open", "待审核及审核中"),
    ("problems", "存在问题待答复"),
    ("done", "已完成"),
    ("all", "全部"),
]


class ReviewFilterSet(SearchFilterSet):
    """Reviews: by state, status, overdue, assigned to me, case number or cause."""

    search_fields = ("case__number", "case__cause", "case__party__name")
    state = django_filters.ChoiceFilter(label="范围", choices=STATE_CHOICES, method="filter_state", empty_label="待审核及审核中")
    status = django_filters.ChoiceFilter(label="状态", choices=choices.STATUS_CHOICES)
    overdue = django_filters.BooleanFilter(label="已超期", method="filter_overdue")
    mine = django_filters.BooleanFilter(label="分配给我", method="filter_mine")

    class Meta:
        model = Review
        fields = ["state", "status", "overdue", "mine", "case"]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=choices.OPEN_STATUSES)
        if value == "problems":
            return queryset.filter(status=choices.PROBLEMS, answered_at__isnull=True)
        if value == "done":
            return queryset.filter(status__in=(choices.AGREE, choices.PROBLEMS))
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = {"status__in": choices.OPEN_STATUSES, "deadline__lt": clock.today()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None:
            return queryset.filter(reviewer=user)
        return queryset


class CatalogFilterSet(SearchFilterSet):
    """Catalog rows: by agency, criterion, active."""

    search_fields = ("description", "legal_basis")

    class Meta:
        model = MajorDecisionCatalog
        fields = ["agency", "criterion", "requires_collective_discussion", "is_active"]


class DiscussionFilterSet(SearchFilterSet):
    """Collective discussions: by case and date."""

    search_fields = ("case__number", "case__cause", "conclusion")
    since = django_filters.DateFilter(label="起始日期", field_name="held_on", lookup_expr="gte")
    until = django_filters.DateFilter(label="截止日期", field_name="held_on", lookup_expr="lte")

    class Meta:
        model = CollectiveDiscussion
        fields = ["case", "since", "until"]
