"""Filter sets shared by the HTML lists and the API (one definition for both)."""

import django_filters
from django import forms
from django.db.models import Q

from .models import ChangeLog

BOOLEAN_CHOICES = [("", "全部"), ("true", "是"), ("false", "否")]


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a free-text ``q`` over ``search_fields`` and scoped choice fields."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label="搜索", method="filter_q")

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from .scoping import ScopedModel

        user = getattr(request, "user", None)
        for f in self.filters.values():
            if isinstance(f, django_filters.BooleanFilter) and "widget" not in f.extra:
                f.extra["widget"] = forms.Select(choices=BOOLEAN_CHOICES)
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


class ChangeLogFilterSet(django_filters.FilterSet):
    """Filters of the audit trail."""

    action = django_filters.ChoiceFilter(label="操作", choices=ChangeLog.ACTION_CHOICES)
    actor_name = django_filters.CharFilter(label="操作人", lookup_expr="icontains")
    object_repr = django_filters.CharFilter(label="对象", lookup_expr="icontains")
    since = django_filters.DateFilter(label="起始日期", field_name="time", lookup_expr="date__gte")
    until = django_filters.DateFilter(label="截止日期", field_name="time", lookup_expr="date__lte")

    class Meta:
        model = ChangeLog
        fields = ["action", "actor_name", "object_repr", "since", "until"]
