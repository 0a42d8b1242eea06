"""Filter sets shared by the HTML lists and the API (one definition for both).

Every filter set of the project derives from ``FilterSet`` below (a test checks it), which
turns numeric query parameters into bounded integers where the database or Python's dates
would otherwise fail: ``?year=0`` or ``?item=99999999999999999999`` is a form error (400 in
the API, an error under the field on a page), never a 500.
"""

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field

from .models import ChangeLog
from .widgets import FastSelect

BOOLEAN_CHOICES = [("", "全部"), ("true", "是"), ("false", "否")]

# The widest integer every supported database stores (SQLite and PostgreSQL bigint).
INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1
# Date-part lookups and the values Python's ``datetime`` accepts for them.
DATE_PART_BOUNDS = {
    "year": (1, 9999), "iso_year": (1, 9999), "month": (1, 12), "day": (1, 31), "week": (1, 53),
    "week_day": (1, 7), "iso_week_day": (1, 7), "quarter": (1, 4), "hour": (0, 23), "minute": (0, 59),
}


def number_bounds(filter_, model) -> tuple[int, int] | None:
    """Integer bounds of a ``NumberFilter`` on ``model``, or None when it filters a decimal."""
    lookup = filter_.lookup_expr.split("__")[-1] if filter_.lookup_expr else "exact"
    if lookup in DATE_PART_BOUNDS:
        return DATE_PART_BOUNDS[lookup]
    if filter_.field_name == "year" or filter_.field_name.endswith("__year"):
        return DATE_PART_BOUNDS["year"]
    field = None
    if model is not None:
        try:
            field = get_model_field(model, filter_.field_name)
        except FieldDoesNotExist:
            field = None
    if field is not None and field.is_relation:
        field = field.target_field
    if field is None or isinstance(field, models.IntegerField | models.AutoField):
        return INTEGER_MIN, INTEGER_MAX
    return None


# The tables a filter's ``<select>`` may list: reference data that administrators keep — a few
# hundred to a few thousand rows even for a province. A filter generated for a foreign key to
# any other table (cases, parties, officers: up to millions of rows in a user's scope) filters by
# the record's id instead (``RecordIdFilter``): a ``<select>`` of a city supervisor's 1,000,000
# cases took 40 s to render on the legal review queue (issue #14).
CHOICE_MODELS = frozenset({
    "orgs.Region", "orgs.Agency", "orgs.Unit", "orgs.EnforcementField", "supervision.ProblemModel", "exchange.Source",
})


class RecordIdFilter(django_filters.NumberFilter):
    """A foreign key filtered by the id of the record it points to (``?case=42``), for tables
    that grow with the enforcement data. A hidden field in the HTML filter form, so that a list
    opened from a record (a case's reviews) keeps that record while other filters change;
    ``FilterSet`` bounds the number like every other id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """Base of every filter set: numeric parameters are bounded integers (see module doc), and a
    filter generated for a foreign key outside ``CHOICE_MODELS`` filters by id."""

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        filter_ = super().filter_for_field(field, field_name, lookup_expr)
        if isinstance(filter_, django_filters.ModelChoiceFilter) and field.related_model is not None \
                and field.related_model._meta.label not in CHOICE_MODELS:
            return RecordIdFilter(field_name=field_name, lookup_expr=filter_.lookup_expr, label=filter_.label)
        return filter_

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.filters.values():
            if isinstance(f, django_filters.NumberFilter):
                bounds = number_bounds(f, self._meta.model)
                if bounds is None:
                    f.extra.setdefault("max_digits", 30)
                    continue
                f.field_class = forms.IntegerField
                f.extra.setdefault("min_value", bounds[0])
                f.extra.setdefault("max_value", bounds[1])


def names_any_filter(params, filters) -> bool:
    """Whether a query parameter belongs to one of ``filters`` (by name, or a name with the
    suffix a range widget adds: ``registered_on_after``)."""
    return any(param in filters or any(param.startswith(f"{name}_") for name in filters) for param in params)


def filters_only_when_asked(filterset_class) -> bool:
    """Whether ``filterset_class`` leaves a queryset as it is when no filter is given: true
    unless it overrides ``qs`` or ``filter_queryset`` (``AlertFilterSet`` shows open alerts by
    default); each filter already skips an empty value."""
    return filterset_class.qs is django_filters.FilterSet.qs \
        and filterset_class.filter_queryset is django_filters.FilterSet.filter_queryset


class FilterBackend(DjangoFilterBackend):
    """django-filter's API backend, without building and validating the filter form for a
    request that names none of its filters (a list's first page): the form and the deep
    copies of every filter cost a millisecond a request and change nothing then (issue #14)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and filters_only_when_asked(filterset_class) \
                and not names_any_filter(request.query_params, filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class SearchFilterSet(FilterSet):
    """A FilterSet with a free-text ``q`` over ``search_fields`` and scoped choice fields."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label="搜索", method="filter_q")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from .scoping import ScopedModel

        user = getattr(request, "user", None)
        for f in self.filters.values():
            if isinstance(f, django_filters.BooleanFilter) and "widget" not in f.extra:
                f.extra["widget"] = FastSelect(choices=BOOLEAN_CHOICES)
            elif isinstance(f, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter) \
                    and "widget" not in f.extra:
                f.extra["widget"] = FastSelect  # hundreds of agencies and units: see core.widgets
            qs = getattr(f, "queryset", None)
            if qs is not None and user is not None and hasattr(qs, "model") and issubclass(qs.model, ScopedModel):
                # django-filter builds the form field's choices from ``filter.queryset``
                f.queryset = qs.restrict(user, "view")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        cond = Q()
        for field in self.search_fields:
            lookup = field if "__" in field and field.rsplit("__", 1)[1] in ("exact", "startswith") else f"{field}__icontains"
            cond |= Q(**{lookup: value})
        return queryset.filter(cond)


class ChangeLogFilterSet(FilterSet):
    """Filters of the audit trail."""

    action = django_filters.ChoiceFilter(label="操作", choices=ChangeLog.ACTION_CHOICES)
    actor_name = django_filters.CharFilter(label="操作人", lookup_expr="icontains")
    object_repr = django_filters.CharFilter(label="对象", lookup_expr="icontains")
    since = django_filters.DateFilter(label="起始日期", field_name="time", lookup_expr="date__gte")
    until = django_filters.DateFilter(label="截止日期", field_name="time", lookup_expr="date__lte")

    class Meta:
        model = ChangeLog
        fields = ["action", "actor_name", "object_repr", "since", "until"]
