"""Filters of the statistics API (internal and open data)."""

import django_filters

from zhifa.core.filters import FilterSet

from ..models import STATUS_CHOICES, AnnualReport, RegionReport


class AnnualReportFilterSet(FilterSet):
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状态", choices=STATUS_CHOICES)
    agency = django_filters.NumberFilter(label="执法主体 id", field_name="agency_id")
    region = django_filters.CharFilter(label="行政区划代码（含下级）", method="filter_region")

    class Meta:
        model = AnnualReport
        fields = ["year", "status", "agency", "region"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(agency__region__path__contains=f"/{value.strip()}/")


class RegionReportFilterSet(FilterSet):
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状态", choices=STATUS_CHOICES)
    region = django_filters.CharFilter(label="行政区划代码（含下级）", method="filter_region")

    class Meta:
        model = RegionReport
        fields = ["year", "status", "region"]

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__contains=f"/{value.strip()}/")


class PublicAnnualReportFilterSet(AnnualReportFilterSet):
    class Meta(AnnualReportFilterSet.Meta):
        fields = ["year", "agency", "region"]


class PublicRegionReportFilterSet(RegionReportFilterSet):
    class Meta(RegionReportFilterSet.Meta):
        fields = ["year", "region"]
