"""Filter sets of the supervision app, shared by the HTML lists and the API."""

import django_filters

from zhifa.core import clock
from zhifa.core.filters import SearchFilterSet
from zhifa.orgs.models import Agency

from .complaints import procedure as proc
from .models import Alert, ProblemModel, SupervisionAction
from .models import actions as act
from .models import alerts as a
from .models import complaints as c

STATE_CHOICES = [("open", "未办结"), ("closed", "已办结（含不予认定）"), ("all", "全部")]


class AlertFilterSet(SearchFilterSet):
    """Alerts: open or closed, by status, model, agency, card, case number or summary."""

    search_fields = ("summary", "case__number", "agency__name")
    state = django_filters.ChoiceFilter(label="范围", choices=STATE_CHOICES, method="filter_state", empty_label="未办结")
    status = django_filters.ChoiceFilter(label="状态", choices=a.STATUS_CHOICES)
    problem_model = django_filters.ModelChoiceFilter(label="问题模型", queryset=ProblemModel.objects.all())
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=Agency.objects.all())
    card = django_filters.ChoiceFilter(label="警示", choices=a.CARD_CHOICES[1:])

    class Meta:
        model = Alert
        fields = ["state", "status", "problem_model", "agency", "card", "case"]

    def filter_state(self, queryset, name, value):
        if value == "closed":
            return queryset.filter(is_open=False)
        if value == "all":
            return queryset
        return queryset.filter(is_open=True)

    @property
    def qs(self):
        queryset = super().qs
        if not (self.data or {}).get("state") and not (self.data or {}).get("status"):
            queryset = queryset.filter(is_open=True)
        return queryset


class SupervisionActionFilterSet(SearchFilterSet):
    """Supervision actions: by kind, status, agency, number or subject."""

    search_fields = ("number", "title", "agency__name")
    kind = django_filters.ChoiceFilter(label="种类", choices=act.KIND_CHOICES)
    status = django_filters.ChoiceFilter(label="状态", choices=act.STATUS_CHOICES)
    agency = django_filters.ModelChoiceFilter(label="执法主体", queryset=Agency.objects.all())

    class Meta:
        model = SupervisionAction
        fields = ["kind", "status", "agency"]


class ComplaintFilterSet(SearchFilterSet):
    """Complaints (投诉举报): by status, source, kind, agency, overdue or unrouted, number or subject."""

    search_fields = ("number", "subject", "work_order_number")
    status = django_filters.ChoiceFilter(label="状态", choices=proc.STATUS_CHOICES)
    source = django_filters.ChoiceFilter(label="来源渠道", choices=c.SOURCE_CHOICES)
    kind = django_filters.ChoiceFilter(label="类别", choices=c.KIND_CHOICES)
    agency = django_filters.ModelChoiceFilter(label="承办执法主体", queryset=Agency.objects.all())
    overdue = django_filters.BooleanFilter(label="已超期", method="filter_overdue")
    unrouted = django_filters.BooleanFilter(label="待分派", method="filter_unrouted")

    class Meta:
        model = c.Complaint
        fields = ["status", "source", "kind", "agency", "overdue", "unrouted"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = {"status__in": proc.OPEN_STATUSES, "next_due__lt": clock.today()}
        return queryset.filter(**late) if value else queryset.exclude(**late)

    def filter_unrouted(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(agency__isnull=value)
