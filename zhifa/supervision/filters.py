"""Filter sets of the supervision app, shared by the HTML lists and the API."""

import django_filters

from zhifa.core.filters import SearchFilterSet
from zhifa.orgs.models import Agency

from .models import Alert, ProblemModel, SupervisionAction
from .models import actions as act
from .models import alerts as a

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
