"""Role dashboards (角色看板) with charts: an officer's deadlines this week, a unit head's workload
and overdue cases per officer, an agency head's (and supervisor's) figures against last year.

Each panel is one aggregate query through ``restrict``; the page draws them with ECharts from the
site's own static files (``vendor/echarts``), fed by ``json_script`` (no inline script).
"""

import datetime

from django.db.models import CharField, Count, F, Func, Q

from zhifa.accounts import roles

from .todos import todos_for

WEEKDAYS = "一二三四五六日"


class YearMonth(Func):
    """A date column's "YYYY-MM", computed by the database itself: Django's ``ExtractMonth`` and
    ``TruncMonth`` call a Python function per row on SQLite (1.1 s for a city supervisor's
    200,000 cases of two years; 0.1 s this way, read from the agency's date index alone)."""

    output_field = CharField()
    arity = 1
    template = "to_char(%(expressions)s, 'YYYY-MM')"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)", **extra)


def deadlines_this_week(user, today: datetime.date) -> dict:
    """The person's to-dos due on each of the next seven days, and those already overdue."""
    desk = todos_for(user, today=today)
    days = [today + datetime.timedelta(days=n) for n in range(7)]
    labels = ["已超期"] + [f"{d:%m-%d}（周{WEEKDAYS[d.weekday()]}）" for d in days]
    counts = [sum(1 for i in desk.items if i.deadline and i.deadline < today)]
    counts += [sum(1 for i in desk.items if i.deadline == d) for d in days]
    return {"labels": labels, "values": counts, "total": sum(counts)}


def workload(user, today: datetime.date, *, top: int = 30) -> dict:
    """Open cases and overdue cases per handling officer within the user's reach, the ``top``
    busiest first (ties by name); cases nobody is assigned to count as "未分配".

    One grouped pass over the open cases in reach, read from the partial index ``cases_case_open``
    and the assignments' (case, officer) index — no table row of a case is read, and a case is
    counted once per officer because an officer is assigned to a case at most once. The names are
    read afterwards, for the officers that can still make the list."""
    from zhifa.cases.models import Case
    from zhifa.people.models import Officer

    groups = list(Case.objects.restrict(user, "view").filter(closed_on__isnull=True, archived_on__isnull=True)
                  .values(officer=F("assignments__officer_id"))
                  .annotate(total=Count("id"), overdue=Count("id", filter=Q(next_deadline__lt=today)))
                  .order_by("-total"))
    if len(groups) > top:
        cutoff = groups[top - 1]["total"]
        groups = [g for g in groups if g["total"] >= cutoff]
    names = dict(Officer._base_manager.filter(pk__in=[g["officer"] for g in groups if g["officer"]])
                 .values_list("pk", "name"))
    rows = sorted(((names.get(g["officer"], "未分配"), g["total"], g["overdue"]) for g in groups),
                  key=lambda row: (-row[1], row[0]))[:top]
    return {"officers": [name for name, _, _ in rows], "open": [total for _, total, _ in rows],
            "overdue": [overdue for _, _, overdue in rows], "overdue_total": sum(overdue for _, _, overdue in rows)}


def year_on_year(user, today: datetime.date) -> dict:
    """Cases registered and decided per month, this year against last year (two queries)."""
    from zhifa.cases.models import Case

    this_year, last_year = today.year, today.year - 1
    cases = Case.objects.restrict(user, "view")
    series = {}
    for field, label in (("registered_on", "立案"), ("decided_on", "作出决定")):
        months = (cases.filter(**{f"{field}__gte": datetime.date(last_year, 1, 1),
                                  f"{field}__lte": datetime.date(this_year, 12, 31)})
                  .values_list(YearMonth(field)).annotate(n=Count("id")).order_by())
        table = {(int(month[:4]), int(month[5:7])): n for month, n in months}
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
