"""Filters for the organisation lists, shared by the HTML views and the API."""

import django_filters

from zhifa.core.filters import SearchFilterSet

from .models import Agency, Region, Unit


class RegionFilterSet(SearchFilterSet):
    search_fields = ("name", "code__startswith")
    level = django_filters.ChoiceFilter(label="层级", choices=Region.LEVEL_CHOICES)
    parent = django_filters.ModelChoiceFilter(label="上级", queryset=Region.objects.all())

    class Meta:
        model = Region
        fields = ["q", "level", "parent"]


class AgencyFilterSet(SearchFilterSet):
    search_fields = ("name", "short_name", "credit_code__startswith")
    region = django_filters.ModelChoiceFilter(label="行政区划", queryset=Region.objects.all(), method="filter_region")
    legal_status = django_filters.ChoiceFilter(label="主体性质", choices=Agency.LEGAL_STATUS_CHOICES)
    kind = django_filters.ChoiceFilter(label="执法类别", choices=Agency.KIND_CHOICES)

    class Meta:
        model = Agency
        fields = ["q", "region", "legal_status", "kind", "is_active"]

    def filter_region(self, queryset, name, value):
        """Agencies in the region or any region below it."""
        return queryset.filter(tree_path__startswith=value.path) if value else queryset


class UnitFilterSet(SearchFilterSet):
    search_fields = ("name", "agency__name")
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=Agency.objects.all())
    kind = django_filters.ChoiceFilter(label="类型", choices=Unit.KIND_CHOICES)

    class Meta:
        model = Unit
        fields = ["q", "agency", "kind", "is_active"]
