"""Filters of the public lists, shared by the portal pages and the open-data API.

Choice lists come from ``.public()`` only. Region filters become a prefix scan on the small
organisation table plus an ``IN`` on the large table's foreign-key index (see
``zhifa.core.scoping.paths_q``), so lists stay fast as rows grow.
"""

import django_filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from zhifa.catalog import choices as catalog_choices
from zhifa.catalog.models import Benchmark, Item
from zhifa.core.filters import FilterSet
from zhifa.orgs.models import Agency, EnforcementField, Region, Unit
from zhifa.people.models import Certificate, Officer
from zhifa.review.models import MajorDecisionCatalog

from .models import ServiceGuide


def _regions(request=None):
    return Region.objects.public().exclude(level="township")


def _agencies(request=None):
    return Agency.objects.public().order_by("region__code", "name")


def _agencies_under(region):
    return Agency.objects.filter(tree_path__startswith=region.path).values("pk")


@extend_schema_field(OpenApiTypes.INT)
class RegionFilter(django_filters.ModelChoiceFilter):
    """A region (by id): rows of the agencies on or below it."""


class PublicFilterSet(FilterSet):
    """A keyword ``q`` (``keyword_q`` builds the condition) and a region filter through ``agency_field``."""

    agency_field = "agency"
    q = django_filters.CharFilter(label="关键词", method="filter_q")
    region = RegionFilter(label="行政区划", queryset=_regions, method="filter_region", empty_label="全部")

    def keyword_q(self, value: str) -> Q:
        raise NotImplementedError

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(self.keyword_q(value)) if value else queryset

    def filter_region(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(**{f"{self.agency_field}_id__in": _agencies_under(value)})


class AgencyFilterSet(PublicFilterSet):
    legal_status = django_filters.ChoiceFilter(label="主体性质", choices=Agency.LEGAL_STATUS_CHOICES,
                                               empty_label="全部")

    class Meta:
        model = Agency
        fields = ["region", "legal_status", "q"]

    def keyword_q(self, value):
        return Q(name__icontains=value) | Q(short_name__icontains=value)

    def filter_region(self, queryset, name, value):
        return queryset if value is None else queryset.filter(tree_path__startswith=value.path)


class UnitFilterSet(PublicFilterSet):
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=_agencies, empty_label="全部")

    class Meta:
        model = Unit
        fields = ["region", "agency", "q"]

    def keyword_q(self, value):
        return Q(name__icontains=value)


class OfficerFilterSet(PublicFilterSet):
    agency_field = "home_agency"
    agency = django_filters.ModelChoiceFilter(label="执法主体", field_name="home_agency", queryset=_agencies,
                                              empty_label="全部")

    class Meta:
        model = Officer
        fields = ["region", "agency", "q"]

    def keyword_q(self, value):
        holders = Certificate.objects.filter(number=value).values("officer_id")
        return Q(name__startswith=value) | Q(pk__in=holders)


class ItemFilterSet(PublicFilterSet):
    agency = django_filters.ModelChoiceFilter(label="实施主体", queryset=_agencies, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="事项类型", choices=catalog_choices.ITEM_KIND_CHOICES, empty_label="全部")
    field = django_filters.ModelChoiceFilter(label="执法领域", queryset=EnforcementField.objects.all(),
                                             empty_label="全部")

    class Meta:
        model = Item
        fields = ["region", "agency", "kind", "field", "q"]

    def keyword_q(self, value):
        return Q(code__startswith=value) | Q(name__icontains=value)


class BenchmarkFilterSet(PublicFilterSet):
    agency_field = "item__agency"
    agency = django_filters.ModelChoiceFilter(label="实施主体", field_name="item__agency", queryset=_agencies,
                                              empty_label="全部")

    class Meta:
        model = Benchmark
        fields = ["region", "agency", "q"]

    def keyword_q(self, value):
        return Q(item__code__startswith=value) | Q(item__name__icontains=value)

    def filter_region(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(item__in=Item.objects.filter(agency_id__in=_agencies_under(value)).values("pk"))


class MajorCatalogFilterSet(PublicFilterSet):
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=_agencies, empty_label="全部")

    class Meta:
        model = MajorDecisionCatalog
        fields = ["region", "agency", "q"]

    def keyword_q(self, value):
        return Q(description__icontains=value)


class GuideFilterSet(PublicFilterSet):
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=_agencies, empty_label="全部")

    class Meta:
        model = ServiceGuide
        fields = ["region", "agency", "q"]

    def keyword_q(self, value):
        return Q(title__icontains=value)
