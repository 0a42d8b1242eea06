"""The workbench and the case lists."""


from django import forms as django_forms
from django.db.models import F
from django.views.generic import TemplateView

from zhifa.accounts import roles
from zhifa.core import clock
from zhifa.core.views import ObjectListView

from ..filters import CaseFilterSet
from ..models import LIST_FIELDS, Case
from .common import (
    APPROVAL_LIMIT,
    MY_CASES_LIMIT,
    CaseAccessMixin,
    annotate_cases,
    awaiting_approval,
    stage_choices,
)


class WorkbenchView(CaseAccessMixin, TemplateView):
    """办案工作台: my open cases with deadlines and next steps; for heads, what waits for them."""

    template_name = "cases/workbench.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = clock.today()
        mine = (
            Case.objects.restrict(user, "view")
            .filter(assignments__officer__user=user, closed_on__isnull=True, archived_on__isnull=True)
            .select_related("agency", "item", "party")
            .order_by(F("next_deadline").asc(nulls_last=True), "-id")
        )
        my_cases = list(mine[:MY_CASES_LIMIT])
        annotate_cases(my_cases, user, today)
        approvals = awaiting_approval(user)
        annotate_cases([case for case, _ in approvals], user, today)
        ctx.update(
            title="办案工作台",
            my_cases=my_cases,
            my_total=mine.count() if len(my_cases) == MY_CASES_LIMIT else len(my_cases),
            my_overdue=sum(1 for c in my_cases if c.deadline and c.deadline["overdue"]),
            approvals=approvals,
            is_head=user.is_superuser or user.role in (roles.UNIT_HEAD, roles.AGENCY_HEAD),
            may_handle=user.has_capability("cases", "change") and user.role != roles.AUXILIARY,
            approval_limit=APPROVAL_LIMIT,
        )
        return ctx


class CaseListView(ObjectListView):
    """All cases in the user's reach, with the shared filters."""

    model = Case
    template_name = "cases/case_list.html"
    filterset_class = CaseFilterSet
    select_related = ("agency", "party")
    columns = [("案号", "number"), ("案由", "cause"), ("当事人", "party.name"), ("环节", "stage_name"),
               ("下一期限", "next_deadline")]
    title = "案件"
    create_url_name = "cases:case_create"
    paginate_by = 30

    def get_queryset(self):
        return super().get_queryset().only(*LIST_FIELDS)

    def filter_queryset(self, qs):
        self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
        self.filterset.filters["stage"].extra["widget"] = django_forms.Select(choices=stage_choices())
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        annotate_cases([obj for obj, _ in ctx["rows"]], self.request.user, clock.today())
        user = self.request.user
        ctx["may_handle"] = user.has_capability("cases", "change") and user.role != roles.AUXILIARY
        return ctx


OVERDUE_LISTED = 100  # up to this many overdue cases in reach are shown on the page itself


class OverdueView(CaseAccessMixin, TemplateView):
    """Overdue open cases per handling unit (超期案件).

    The page counts the overdue cases of each (agency, unit) in one grouped query and links each
    group to the case list filtered to it (paginated); the cases themselves are shown here only
    while there are at most ``OVERDUE_LISTED`` of them. A city supervisor's tens of thousands of
    overdue cases were all rendered on one page before (19 s at 1M cases)."""

    template_name = "cases/overdue.html"

    def get_context_data(self, **kwargs):
        from django.db.models import Count
        from django.urls import reverse

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = clock.today()
        overdue = (Case.objects.restrict(user, "view")
                   .filter(next_deadline__lt=today, closed_on__isnull=True, archived_on__isnull=True))
        list_url = reverse("cases:case_list")
        groups = []
        for row in (overdue.values("agency_id", "agency__name", "unit_id", "unit__name").annotate(count=Count("id"))
                    .order_by("agency__name", "agency_id", "unit__name", "unit_id")):
            query = f"?overdue=true&agency={row['agency_id']}" + (f"&unit={row['unit_id']}" if row["unit_id"] else "")
            groups.append({"key": (row["agency_id"], row["unit_id"]), "agency": row["agency__name"],
                           "unit": row["unit__name"], "count": row["count"], "url": list_url + query, "cases": []})
        total = sum(group["count"] for group in groups)
        listed = total <= OVERDUE_LISTED
        if listed and total:
            cases = list(overdue.select_related("agency", "unit", "party", "item").order_by("next_deadline", "id"))
            annotate_cases(cases, user, today)
            by_key = {group["key"]: group for group in groups}
            for case in cases:
                by_key[case.agency_id, case.unit_id]["cases"].append(case)
        ctx.update(title="超期案件", groups=groups, total=total, listed=listed, listed_max=OVERDUE_LISTED)
        return ctx
