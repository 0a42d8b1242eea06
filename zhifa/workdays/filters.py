"""Filters of the calendar, shared by the pages and the API."""

import datetime

import django_filters

from zhifa.core.filters import FilterSet, SearchFilterSet

from .models import CalendarDay, CalendarYear


class CalendarYearFilterSet(SearchFilterSet):
    """Filters of the year list."""

    complete = django_filters.BooleanFilter(label="已完整录入")
    source = django_filters.ChoiceFilter(label="来源", choices=CalendarYear.SOURCE_CHOICES)

    class Meta:
        model = CalendarYear
        fields = ["complete", "source"]


class CalendarDayFilterSet(FilterSet):
    """Filters of the dates: ``?year=2026&month=10&kind=holiday&working=false``."""

    year = django_filters.NumberFilter(label="年度", method="filter_year")
    month = django_filters.NumberFilter(label="月份", field_name="date", lookup_expr="month")
    kind = django_filters.ChoiceFilter(label="类别", choices=CalendarDay.KIND_CHOICES)
    working = django_filters.BooleanFilter(label="工作日", field_name="is_working_day")
    since = django_filters.DateFilter(label="起始日期", field_name="date", lookup_expr="gte")
    until = django_filters.DateFilter(label="截止日期", field_name="date", lookup_expr="lte")

    class Meta:
        model = CalendarDay
        fields = ["year", "month", "kind", "working", "since", "until"]

    def filter_year(self, queryset, name, value):
        year = int(value)
        if not 1 <= year <= 9999:
            return queryset.none()
        # a date range (not __year) so the unique index on date is used
        return queryset.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))
