"""Filters of the catalog lists, shared by the HTML views and the API."""

import django_filters

from zhifa.core.filters import SearchFilterSet
from zhifa.orgs.models import Agency, EnforcementField

from . import choices
from .models import Benchmark, Delegation, Item, ItemVersion, SpecialListEntry


class ItemFilterSet(SearchFilterSet):
    """执法事项: by kind, field, owning agency (and its subtree), status; search code/name."""

    search_fields = ("code__startswith", "name")
    kind = django_filters.ChoiceFilter(label="事项类型", choices=choices.ITEM_KIND_CHOICES)
    field = django_filters.ModelChoiceFilter(label="执法领域", queryset=EnforcementField.objects.all())
    agency = django_filters.ModelChoiceFilter(label="实施主体", queryset=Agency.objects.all())
    status = django_filters.ChoiceFilter(label="状态", choices=choices.ITEM_STATUS_CHOICES)
    delegated_to = django_filters.ModelChoiceFilter(
        label="赋权乡镇（街道）", field_name="delegations__agency", method="filter_delegated_to",
        queryset=Agency.objects.filter(region__level="township"),
    )

    class Meta:
        model = Item
        fields = ["q", "kind", "field", "agency", "status", "delegated_to"]

    def filter_delegated_to(self, queryset, name, value):
        """Items delegated (at any time) to the given township office."""
        if not value:
            return queryset
        return queryset.filter(pk__in=Delegation.objects.filter(agency=value).values("item_id"))


class ItemVersionFilterSet(SearchFilterSet):
    """事项版本: by item; search name and law."""

    search_fields = ("name", "law_name")
    item = django_filters.NumberFilter(label="执法事项", field_name="item_id")
    current = django_filters.BooleanFilter(label="现行版本", field_name="valid_to", lookup_expr="isnull")

    class Meta:
        model = ItemVersion
        fields = ["q", "item", "current"]


class DelegationFilterSet(SearchFilterSet):
    """赋权: by item or township office."""

    search_fields = ("item__name", "item__code__startswith", "document_number")
    item = django_filters.NumberFilter(label="执法事项", field_name="item_id")
    agency = django_filters.ModelChoiceFilter(
        label="承接乡镇（街道）", queryset=Agency.objects.filter(region__level="township")
    )

    class Meta:
        model = Delegation
        fields = ["q", "item", "agency"]


class BenchmarkFilterSet(SearchFilterSet):
    """裁量基准: by field, owning agency, current only; search item code/name and document."""

    search_fields = ("item__code__startswith", "item__name", "document")
    item = django_filters.NumberFilter(label="执法事项", field_name="item_id")
    field = django_filters.ModelChoiceFilter(
        label="执法领域", field_name="item__field", queryset=EnforcementField.objects.all()
    )
    agency = django_filters.ModelChoiceFilter(label="实施主体", field_name="item__agency", queryset=Agency.objects.all())
    current = django_filters.BooleanFilter(label="现行有效", field_name="valid_to", lookup_expr="isnull")
    review_before = django_filters.DateFilter(label="复审日期早于", field_name="review_due", lookup_expr="lte")

    class Meta:
        model = Benchmark
        fields = ["q", "item", "field", "agency", "current", "review_before"]


class SpecialListFilterSet(SearchFilterSet):
    """清单条目: by list kind, field, owning agency."""

    search_fields = ("item__code__startswith", "item__name", "circumstances")
    list_kind = django_filters.ChoiceFilter(label="清单类型", choices=choices.LIST_KIND_CHOICES)
    item = django_filters.NumberFilter(label="执法事项", field_name="item_id")
    field = django_filters.ModelChoiceFilter(
        label="执法领域", field_name="item__field", queryset=EnforcementField.objects.all()
    )
    agency = django_filters.ModelChoiceFilter(label="实施主体", field_name="item__agency", queryset=Agency.objects.all())

    class Meta:
        model = SpecialListEntry
        fields = ["q", "list_kind", "item", "field", "agency"]
