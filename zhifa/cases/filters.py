"""Case filters shared by the workbench lists and the API."""

import django_filters
from django.db.models import Q

from zhifa.core import clock
from zhifa.core.filters import SearchFilterSet
from zhifa.orgs.models import Agency, Unit

from . import choices
from .models import Case
from .procedures import PROCEDURES
from .search import search_q


def _stage_choices():
    seen = {}
    for procedure in PROCEDURES.values():
        for stage in procedure.stages:
            seen.setdefault(stage.code, stage.name)
    return list(seen.items())


STAGE_CHOICES = _stage_choices()
UNIT_CHOICES_MAX = 300  # more units in reach than this: the unit filter lists one agency's units


class CaseFilterSet(SearchFilterSet):
    search_fields = ("number", "cause", "party__name")
    procedure = django_filters.ChoiceFilter(label="程序", choices=choices.PROCEDURE_CHOICES)
    stage = django_filters.ChoiceFilter(label="环节", choices=STAGE_CHOICES)
    source = django_filters.ChoiceFilter(label="案件来源", choices=choices.SOURCE_CHOICES)
    # the choices read only what their labels show (hundreds of options for a city supervisor;
    # the filter needs the primary key alone); a unit's label names its agency: read with it
    agency = django_filters.ModelChoiceFilter(label="办案机关", queryset=Agency.objects.only("name"))
    unit = django_filters.ModelChoiceFilter(
        label="承办机构",
        queryset=Unit.objects.select_related("agency").only("name", "agency__name", "agency__short_name"))
    overdue = django_filters.BooleanFilter(label="已超期", method="filter_overdue")
    deviation = django_filters.BooleanFilter(label="偏离裁量基准", method="filter_deviation")
    mine = django_filters.BooleanFilter(label="我办理的", method="filter_mine")

    class Meta:
        model = Case
        fields = ["q", "procedure", "stage", "source", "agency", "unit", "overdue", "deviation", "mine"]

    @property
    def form(self):
        form = super().form
        if not getattr(form, "units_narrowed", False):
            form.units_narrowed = True
            self._narrow_unit_options(form.fields["unit"])
        return form

    def _narrow_unit_options(self, field):
        """Beyond ``UNIT_CHOICES_MAX`` units in reach (a province: tens of thousands), the unit
        ``<select>`` offers the units of the agency chosen in the same form — or the unit already
        chosen, as the overdue page's links give — instead of every unit, and asks for an agency
        first. Only the options shown change: any unit in reach is still accepted (the API's
        filter is the same as before). One read of at most that many ids decides."""
        units = field.queryset
        if len(units.values_list("pk", flat=True)[:UNIT_CHOICES_MAX + 1]) <= UNIT_CHOICES_MAX:
            return
        agency, unit = (str(self.data.get(name) or "").strip() for name in ("agency", "unit"))
        if agency.isdigit():
            shown, empty = units.filter(agency_id=int(agency)), field.empty_label
        elif unit.isdigit():
            shown, empty = units.filter(pk=int(unit)), field.empty_label
        else:
            shown, empty = units.none(), "（先选择办案机关并筛选）"
        field.widget.choices = [("", empty), *((u.pk, field.label_from_instance(u)) for u in shown)]

    def filter_q(self, queryset, name, value):
        """Number, cause or party name containing ``q`` — one column (``Case.search_text``).

        Queries of three characters or more are served by an index: on PostgreSQL a pg_trgm GIN
        index (the planner walks the list order instead when the text is common: its statistics
        on the column are detailed for that, migration 0007), on SQLite an FTS5 trigram table
        (``cases.search``). Shorter queries walk the list order.
        """
        value = value.strip().lower()
        return queryset.filter(search_q(value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        """已超期: open cases whose next deadline has passed — what the desk's alert and the
        overdue page count (a closed or archived case is never overdue)."""
        overdue = Q(next_deadline__lt=clock.today(), closed_on__isnull=True, archived_on__isnull=True)
        if value is True:
            return queryset.filter(overdue)
        if value is False:
            return queryset.exclude(overdue)
        return queryset

    def filter_deviation(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(within_benchmark=False) if value else queryset.exclude(within_benchmark=False)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value and user is not None:
            return queryset.filter(assignments__officer__user=user)
        return queryset
