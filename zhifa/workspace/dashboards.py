"""Role dashboards (角色看板) with charts: an officer's deadlines this week, a unit head's workload
and overdue cases per officer, an agency head's (and supervisor's) figures against last year.

Each panel is one aggregate query through ``restrict``; the page draws them with ECharts from the
site's own static files (``vendor/echarts``), fed by ``json_script`` (no inline script).
"""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from zhifa.accounts import roles

from .todos import todos_for

WEEKDAYS = "一二三四五六日"


def deadlines_this_week(user, today: datetime.date) -> dict:
    """The person's to-dos due on each of the next seven days, and those already overdue."""
    desk = todos_for(user, today=today)
    days = [today + datetime.timedelta(days=n) for n in range(7)]
    labels = ["已超期"] + [f"{d:%m-%d}（周{WEEKDAYS[d.weekday()]}）" for d in days]
    counts = [sum(1 for i in desk.items if i.deadline and i.deadline < today)]
    counts += [sum(1 for i in desk.items if i.deadline == d) for d in days]
    return {"labels": labels, "values": counts, "total": sum(counts)}


def workload(user, today: datetime.date) -> dict:
    """Open cases and overdue cases per handling officer within the user's reach (one query)."""
    from zhifa.cases.models import Case

    rows = (Case.objects.restrict(user, "view").filter(closed_on__isnull=True, archived_on__isnull=True)
            .values("assignments__officer__name")
            .annotate(total=Count("id", distinct=True),
                      overdue=Count("id", filter=Q(next_deadline__lt=today), distinct=True))
            .order_by("-total", "assignments__officer__name")[:30])
    names = [r["assignments__officer__name"] or "未分配" for r in rows]
    return {"officers": names, "open": [r["total"] for r in rows], "overdue": [r["overdue"] for r in rows],
            "overdue_total": sum(r["overdue"] for r in rows)}


def year_on_year(user, today: datetime.date) -> dict:
    """Cases registered and decided per month, this year against last year (two queries)."""
    from zhifa.cases.models import Case

    this_year, last_year = today.year, today.year - 1
    cases = Case.objects.restrict(user, "view")
    series = {}
    for field, label in (("registered_on", "立案"), ("decided_on", "作出决定")):
        rows = (cases.filter(**{f"{field}__gte": datetime.date(last_year, 1, 1),
                                f"{field}__lte": datetime.date(this_year, 12, 31)})
                .annotate(y=ExtractYear(field), m=ExtractMonth(field)).values("y", "m").annotate(n=Count("id")))
        table = {(r["y"], r["m"]): r["n"] for r in rows}
        for year in (last_year, this_year):
            values = [table.get((year, m), 0) for m in range(1, 13)]
            if year == this_year:  # months still to come are not zero, they are not there yet
                values = [v if m <= today.month else None for m, v in enumerate(values, start=1)]
            series[f"{year}年{label}"] = values
    to_date = {label: (sum(v or 0 for v in series[f"{this_year}年{label}"]),
                       sum(series[f"{last_year}年{label}"][: today.month]))
               for label in ("立案", "作出决定")}
    figures = [{"label": f"{label}（1—{today.month}月）", "this": now, "last": before,
                "change": None if not before else round((now - before) * 100 / before, 1)}
               for label, (now, before) in to_date.items()]
    return {"months": [f"{m}月" for m in range(1, 13)],
            "series": [{"name": name, "data": data} for name, data in series.items()],
            "figures": figures, "this_year": this_year, "last_year": last_year}


def panels_for(user, today: datetime.date) -> dict:
    """The panels of the user's role: which are shown, with their data."""
    data = {}
    if user.has_capability("cases", "view"):
        data["deadlines"] = deadlines_this_week(user, today)
    head = user.is_superuser or user.role in (roles.UNIT_HEAD, roles.AGENCY_HEAD, roles.SUPERVISOR)
    if head and user.has_capability("cases", "view"):
        data["workload"] = workload(user, today)
    if (user.is_superuser or user.role in (roles.AGENCY_HEAD, roles.SUPERVISOR, roles.LEGAL_REVIEWER)) \
            and user.has_capability("cases", "view"):
        data["year"] = year_on_year(user, today)
    return data
