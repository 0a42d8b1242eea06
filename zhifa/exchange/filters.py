"""Filter set of the mirrored cases, shared by the HTML list and the API."""

import django_filters

from zhifa.core.filters import SearchFilterSet

from .models import MirroredCase, Source


class MirroredCaseFilterSet(SearchFilterSet):
    """Cases pushed from below: by source platform, by case number, decision number or party."""

    search_fields = ("case_number", "decision_number", "party_name", "agency_name")
    source = django_filters.ModelChoiceFilter(label="来源平台", queryset=Source.objects.all())
    decided = django_filters.BooleanFilter(label="已作出决定", field_name="decided_on", lookup_expr="isnull", exclude=True)

    class Meta:
        model = MirroredCase
        fields = ["source", "decided"]
