"""Filters of the template lists, shared by the HTML pages and the API."""

import django_filters

from zhifa.core.filters import SearchFilterSet
from zhifa.orgs.models import Agency

from .kinds import DOCUMENT_KINDS
from .models import DocumentTemplate


class DocumentTemplateFilterSet(SearchFilterSet):
    """文书模板筛选：文书种类、执法主体（含“默认”）、是否当前使用。"""

    search_fields = ("note", "agency__name")
    code = django_filters.ChoiceFilter(label="文书种类", choices=DOCUMENT_KINDS)
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=Agency.objects.all())
    default = django_filters.BooleanFilter(label="默认模板", field_name="agency", lookup_expr="isnull")

    class Meta:
        model = DocumentTemplate
        fields = ["q", "code", "agency", "default", "is_active"]
