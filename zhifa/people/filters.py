"""Filters for officers, certificates and training records, shared by the HTML lists and the API."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from zhifa.core.crypto import index_lookup, normalize_phone
from zhifa.core.filters import SearchFilterSet
from zhifa.core.validators import normalize_identifier
from zhifa.orgs.models import Agency, EnforcementField

from .models import Certificate, Officer, TrainingRecord

EXPIRING_DAYS = 30


def looks_like_number(value: str) -> bool:
    """A whole identity number or a phone number (digits and separators only, 7+ digits):
    searched by exact, indexed lookups alone."""
    number = normalize_identifier(value)
    if len(number) == 18 and number[:17].isdigit():
        return True
    return len(normalize_phone(value)) >= 7 and all(ch.isdigit() or ch in " -()+" for ch in value)  # a certificate "expiring soon" ends within this many days


class OfficerFilterSet(SearchFilterSet):
    """Officers: name or post (contains), full identity number or full phone number (exact, through
    their blind indexes — both are encrypted at rest); agency (incl. officers dispatched to
    it), kind, flags."""

    search_fields = ("name", "post")
    q = django_filters.CharFilter(label="搜索（姓名、职务、完整身份证号码或完整电话号码）", method="filter_q")
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=Agency.objects.all(), method="filter_agency")
    kind = django_filters.ChoiceFilter(label="人员类别", choices=Officer.KIND_CHOICES)
    is_legal_reviewer = django_filters.BooleanFilter(label="法制审核人员")
    is_supervisor = django_filters.BooleanFilter(label="执法监督人员")
    is_active = django_filters.BooleanFilter(label="在岗")

    class Meta:
        model = Officer
        fields = ["q", "agency", "kind", "is_legal_reviewer", "is_supervisor", "is_active"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        # Identity and phone numbers are matched whole (normalised), never by fragment.
        number = normalize_identifier(value)
        by_number = Q(**index_lookup(Officer, "id_number", number))
        if len(normalize_phone(value)) >= 7:
            by_number |= Q(**index_lookup(Officer, "phone", value))
        if looks_like_number(value):
            return queryset.filter(by_number)  # indexed lookups only, no scan of names
        return queryset.filter(Q(name__icontains=value) | Q(post__icontains=value) | by_number)

    @extend_schema_field(OpenApiTypes.INT)
    def filter_agency(self, queryset, name, value):
        """People of the agency, and people dispatched to one of its units."""
        if not value:
            return queryset
        return queryset.filter(Q(home_agency=value) | Q(dispatched_to__agency=value))


class CertificateFilterSet(SearchFilterSet):
    """Certificates: number, holder; status, derived state (expired, expiring, review overdue), field, agency."""

    STATE_CHOICES = [
        ("usable", "可用（有效且在有效期内、已审验）"),
        ("expired", "已过期（仍登记为有效）"),
        ("expiring", f"{EXPIRING_DAYS}天内到期"),
        ("review_overdue", "年度审验逾期"),
    ]

    search_fields = ("number", "officer__name", "issuing_authority")
    status = django_filters.ChoiceFilter(label="登记状态", choices=Certificate.STATUS_CHOICES)
    state = django_filters.ChoiceFilter(label="使用状态", choices=STATE_CHOICES, method="filter_state")
    field = django_filters.ModelChoiceFilter(
        label="执法领域", queryset=EnforcementField.objects.all(), field_name="fields"
    )
    agency = django_filters.ModelChoiceFilter(
        label="执法主体", queryset=Agency.objects.all(), field_name="officer__home_agency"
    )

    class Meta:
        model = Certificate
        fields = ["q", "status", "state", "field", "agency"]

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "usable":
            return queryset.usable_on(today)
        if value == "expired":
            return queryset.expired_on(today)
        if value == "expiring":
            return queryset.usable_on(today).filter(expires_on__lte=today + datetime.timedelta(days=EXPIRING_DAYS))
        if value == "review_overdue":
            return queryset.review_overdue_on(today)
        return queryset


class TrainingFilterSet(SearchFilterSet):
    """Training records: title, person, provider; kind, year, agency."""

    search_fields = ("title", "officer__name", "provider")
    kind = django_filters.ChoiceFilter(label="培训类别", choices=TrainingRecord.KIND_CHOICES)
    year = django_filters.NumberFilter(label="年度", field_name="date", lookup_expr="year")
    agency = django_filters.ModelChoiceFilter(
        label="执法主体", queryset=Agency.objects.all(), field_name="officer__home_agency"
    )
    officer = django_filters.NumberFilter(label="人员编号", field_name="officer_id")

    class Meta:
        model = TrainingRecord
        fields = ["q", "kind", "year", "agency", "officer"]
